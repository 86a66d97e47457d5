"""Missed actions and their sanctions, the one-off PACEA allowance."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Schema, Status

from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.cej.models import MissedAction, PaceaAllowanceRequest
from coparcours.cej.services import allowances
from coparcours.core.access import Capability, api_acting_organisation
from coparcours.core.access.api_routes import api_requires


class MissedActionOut(Schema):
    id: int
    occurred_on: datetime.date
    description: str
    breach_number: int
    proposed_effect: str
    reduction_percent: int | None
    youth_observations: str
    decision: str
    decided_on: datetime.date | None
    effective_from: datetime.date | None
    author_organisation_id: int


class MissedActionIn(Schema):
    organisation_id: int | None = None
    occurred_on: datetime.date
    description: str


class SanctionDecisionIn(Schema):
    organisation_id: int | None = None
    confirmed: bool
    youth_observations: str = ""
    decided_on: datetime.date


class PaceaRequestOut(Schema):
    id: int
    requested_on: datetime.date
    requested_by: str
    amount: Decimal
    decision: str
    decided_on: datetime.date | None
    author_organisation_id: int


class PaceaRequestIn(Schema):
    organisation_id: int | None = None
    requested_on: datetime.date
    requested_by: str
    amount: Decimal


class PaceaDecisionIn(Schema):
    organisation_id: int | None = None
    granted: bool
    decided_on: datetime.date


@router.get(
    "/pathways/{pathway_id}/missed-actions",
    response=list[MissedActionOut],
    summary="Manquements et sanctions",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_missed_actions(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return selectors.pathway_page(request.auth, pathway).missed_actions


@router.post(
    "/pathways/{pathway_id}/missed-actions",
    response={201: MissedActionOut},
    summary="Constater un manquement (conseiller de la mission locale)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_missed_action(request: HttpRequest, pathway_id: int, payload: MissedActionIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, allowances.propose_sanction(request.auth, organisation, pathway, **data))


@router.post(
    "/pathways/{pathway_id}/missed-actions/{missed_id}/decision",
    response=MissedActionOut,
    summary="Décision de la mission locale après les observations du jeune",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def decide_missed_action(
    request: HttpRequest, pathway_id: int, missed_id: int, payload: SanctionDecisionIn
):
    _pathway, missed = selectors.pathway_record_for(
        request.auth, pathway_id, MissedAction.objects.all(), missed_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return allowances.decide_sanction(request.auth, organisation, missed, **data)


@router.get(
    "/pathways/{pathway_id}/pacea-requests",
    response=list[PaceaRequestOut],
    summary="Demandes d'allocation ponctuelle PACEA",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_pacea_requests(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return selectors.pathway_page(request.auth, pathway).pacea_requests


@router.post(
    "/pathways/{pathway_id}/pacea-requests",
    response={201: PaceaRequestOut},
    summary="Demander une allocation ponctuelle PACEA (jamais pendant le CEJ)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_pacea_request(request: HttpRequest, pathway_id: int, payload: PaceaRequestIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return Status(
        201, allowances.request_pacea_allowance(request.auth, organisation, pathway, **data)
    )


@router.post(
    "/pathways/{pathway_id}/pacea-requests/{request_id}/decision",
    response=PaceaRequestOut,
    summary="Décision de la mission locale sur l'allocation ponctuelle",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def decide_pacea_request(
    request: HttpRequest, pathway_id: int, request_id: int, payload: PaceaDecisionIn
):
    _pathway, pacea = selectors.pathway_record_for(
        request.auth, pathway_id, PaceaAllowanceRequest.objects.all(), request_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return allowances.decide_pacea_allowance(request.auth, organisation, pacea, **data)
