"""Contacts with the mission locale, typed or imported from a CSV extract."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Schema, Status

from coparcours.cej import rules, selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.cej.services import contacts
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class ContactOut(Schema):
    id: int
    occurred_on: datetime.date
    channel: str
    answered: bool
    intends_to_continue: bool
    is_substantial: bool
    source: str
    author_organisation_id: int


class ContactIn(Schema):
    organisation_id: int | None = None
    occurred_on: datetime.date
    channel: rules.Channel
    answered: bool = False
    intends_to_continue: bool = False


class ContactImportIn(Schema):
    organisation_id: int | None = None
    csv: str


@router.get("/pathways/{pathway_id}/contacts", response=list[ContactOut], summary="Contacts")
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_contacts(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return selectors.pathway_page(request.auth, pathway).contacts


@router.post(
    "/pathways/{pathway_id}/contacts", response={201: ContactOut}, summary="Ajouter un contact"
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_contact(request: HttpRequest, pathway_id: int, payload: ContactIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, contacts.add_contact(request.auth, organisation, pathway, **data))


@router.post(
    "/pathways/{pathway_id}/contacts/import",
    response={201: list[ContactOut]},
    summary="Importer une extraction CSV (date;canal;reponse;intention)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def import_contacts(request: HttpRequest, pathway_id: int, payload: ContactImportIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(201, contacts.import_contacts(request.auth, organisation, pathway, payload.csv))
