"""The pathways: the list, outreach opening one (with its duplicate check), one pathway."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Schema, Status
from ninja.pagination import paginate
from pydantic import model_validator

from coparcours.cej import selectors
from coparcours.cej.api.router import PATHWAY_DATA, router
from coparcours.cej.services import outreach
from coparcours.core.access import Capability, Category, api_acting_organisation
from coparcours.core.access.api_routes import api_requires
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths import opening
from coparcours.youths import selectors as youth_selectors
from coparcours.youths.api import DuplicatesOut, FirstNames, LastName


class PathwaySummary(Schema):
    id: int
    youth_id: int
    visible: bool
    stage: str | None
    stage_since: datetime.date | None
    mission_locale_id: int


class PathwayOut(Schema):
    id: int
    youth_id: int
    partnership_id: int
    mission_locale_id: int
    author_organisation_id: int
    stage: str
    stage_since: datetime.date
    identified_on: datetime.date
    spotted_where: str
    spotted_by: str
    spotted_how: str
    registration: str
    registered_on: datetime.date | None
    pre_cej_until: datetime.date | None
    veille_reached_on: datetime.date | None
    contract_start: datetime.date | None
    contract_months: int | None
    monthly_allowance: Decimal | None
    exit_on: datetime.date | None
    exit_outcome: str


class OutreachIn(Schema):
    """A youth already known (``youth_id``), or the names of a youth to open a record for."""

    organisation_id: int | None = None
    partnership_id: int
    mission_locale_id: int | None = None
    youth_id: int | None = None
    last_name: LastName | None = None
    first_names: FirstNames | None = None
    birth_date: datetime.date | None = None
    confirm_not_duplicate: bool = False
    identified_on: datetime.date
    spotted_where: str
    spotted_by: str
    spotted_how: str
    registration: str
    registered_on: datetime.date | None = None

    @model_validator(mode="after")
    def _a_youth_is_named(self) -> OutreachIn:
        if self.youth_id is None and not (self.last_name and self.first_names):
            raise ValueError("Indiquez youth_id, ou le nom et les prénoms du jeune.")
        return self


@router.get("/pathways", response=list[PathwaySummary], summary="Parcours CEJ-JR visibles")
@paginate
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_pathways(request: HttpRequest, stage: str = ""):
    return selectors.pathway_list(request.auth, stage=stage).map(
        lambda row: PathwaySummary(
            id=row.pathway.pk,
            youth_id=row.pathway.youth_id,
            visible=row.visible,
            stage=row.pathway.stage if row.visible else None,
            stage_since=row.pathway.stage_since if row.visible else None,
            mission_locale_id=row.pathway.mission_locale_id,
        )
    )


@router.post(
    "/pathways",
    response={201: PathwayOut, 409: DuplicatesOut},
    summary="Repérage : ouvrir un parcours",
)
@api_requires(
    Capability.CEJ_OUTREACH, categories=[Category.IDENTITY, Category.CONTACT], acting=True
)
def create_pathway(request: HttpRequest, payload: OutreachIn):
    """Only a referent of a porteur (``cej_outreach``) reaches the duplicate check (409):
    anyone else gets 403 before any lookup, whoever is named; each check is audited with
    its counts, as when a record is opened (``youths.opening``)."""
    organisation = api_acting_organisation(request, payload.organisation_id)
    partnership = get_object_or_404(Consortium, pk=payload.partnership_id)
    mission_locale = (
        get_object_or_404(Organisation, pk=payload.mission_locale_id)
        if payload.mission_locale_id
        else None
    )
    youth = None
    if payload.youth_id is not None:
        youth = youth_selectors.youth_for(request.auth, payload.youth_id)
    else:
        duplicates = opening.duplicate_check(
            request.auth, organisation, payload.last_name, payload.first_names, payload.birth_date
        )
        if duplicates.found and not payload.confirm_not_duplicate:
            return Status(
                409,
                {
                    "detail": "Ce jeune est peut-être déjà connu : vérifiez, puis renvoyez la "
                    "demande avec confirm_not_duplicate, ou indiquez youth_id.",
                    "visible_duplicates": [youth.pk for youth in duplicates.visible],
                    "duplicates_elsewhere": duplicates.elsewhere,
                },
            )
    pathway = outreach.record_outreach(
        request.auth,
        organisation,
        partnership,
        youth=youth,
        youth_fields=None
        if youth
        else {
            "last_name": payload.last_name,
            "first_names": payload.first_names,
            "birth_date": payload.birth_date,
        },
        mission_locale=mission_locale,
        identified_on=payload.identified_on,
        spotted_where=payload.spotted_where,
        spotted_by=payload.spotted_by,
        spotted_how=payload.spotted_how,
        registration=payload.registration,
        registered_on=payload.registered_on,
    )
    return Status(201, pathway)


@router.get("/pathways/{pathway_id}", response=PathwayOut, summary="Un parcours")
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def get_pathway(request: HttpRequest, pathway_id: int):
    return selectors.pathway_for(request.auth, pathway_id)
