"""CEJ-JR pathways over the REST API, under the same access policy as the web pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from coparcours.cej import selectors, services
from coparcours.cej.models import DossierStatus
from coparcours.core.access import active_memberships
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths import selectors as youth_selectors
from coparcours.youths import services as youth_services

router = Router(tags=["CEJ-JR"])


def _acting(request: HttpRequest, organisation_id: int | None) -> Organisation:
    """The organisation the caller acts for: the one named, or their only one."""
    organisation_ids = sorted({org for org, _role in active_memberships(request.auth)})
    if organisation_id is None and len(organisation_ids) == 1:
        organisation_id = organisation_ids[0]
    if organisation_id not in organisation_ids:
        raise HttpError(400, "Indiquez organisation_id : une organisation dont vous êtes membre.")
    return Organisation.objects.get(pk=organisation_id)


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
    organisation_id: int | None = None
    partnership_id: int
    mission_locale_id: int | None = None
    youth_id: int | None = None
    last_name: str = ""
    first_names: str = ""
    birth_date: datetime.date | None = None
    confirm_not_duplicate: bool = False
    identified_on: datetime.date
    spotted_where: str
    spotted_by: str
    spotted_how: str
    registration: str
    registered_on: datetime.date | None = None


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
    channel: str
    answered: bool = False
    intends_to_continue: bool = False


class ContactImportIn(Schema):
    organisation_id: int | None = None
    csv: str


class EligibilityOut(Schema):
    status: str
    label: str
    date: datetime.date
    eligible_from: datetime.date | None
    reasons: list[str]
    facts: dict


class CheckOut(Schema):
    id: int
    checked_on: datetime.date
    at_entry: bool
    status: str
    eligible_from: datetime.date | None
    reasons: list[str]
    facts: dict
    overall_assessment: str
    justification: str


class DecisionOut(Schema):
    id: int
    meeting_id: int
    meeting_date: datetime.date
    kind: str
    until: datetime.date | None
    decided_by: str
    comment: str

    @staticmethod
    def resolve_meeting_date(obj) -> datetime.date:
        return obj.meeting.date


class DossierItemOut(Schema):
    id: int
    kind: str
    status: str
    collected_on: datetime.date | None
    transmitted_on: datetime.date | None

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj.kind.label


class ActingIn(Schema):
    organisation_id: int | None = None


@router.get("/pathways", response=list[PathwaySummary], summary="Parcours CEJ-JR visibles")
@paginate
def list_pathways(request: HttpRequest, stage: str = ""):
    return [
        PathwaySummary(
            id=row.pathway.pk,
            youth_id=row.pathway.youth_id,
            visible=row.visible,
            stage=row.pathway.stage if row.visible else None,
            stage_since=row.pathway.stage_since if row.visible else None,
            mission_locale_id=row.pathway.mission_locale_id,
        )
        for row in selectors.pathway_list(request.auth, stage=stage)
    ]


@router.post(
    "/pathways", response={201: PathwayOut, 409: dict}, summary="Repérage : ouvrir un parcours"
)
def create_pathway(request: HttpRequest, payload: OutreachIn):
    organisation = _acting(request, payload.organisation_id)
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
        duplicates = list(
            youth_services.likely_duplicates(
                payload.last_name, payload.first_names, payload.birth_date
            )
        )
        if duplicates and not payload.confirm_not_duplicate:
            visible = youth_selectors.visible_youth_ids(request.auth, [y.pk for y in duplicates])
            return Status(
                409,
                {
                    "detail": "Ce jeune est peut-être déjà connu : vérifiez, puis renvoyez la "
                    "demande avec confirm_not_duplicate, ou indiquez youth_id.",
                    "visible_duplicates": visible,
                    "duplicates_elsewhere": len(duplicates) - len(visible),
                },
            )
    pathway = services.record_outreach(
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
def get_pathway(request: HttpRequest, pathway_id: int):
    return selectors.pathway_for(request.auth, pathway_id)


@router.get("/pathways/{pathway_id}/contacts", response=list[ContactOut], summary="Contacts")
def list_contacts(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return selectors.pathway_page(request.auth, pathway).contacts


@router.post(
    "/pathways/{pathway_id}/contacts", response={201: ContactOut}, summary="Ajouter un contact"
)
def create_contact(request: HttpRequest, pathway_id: int, payload: ContactIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = _acting(request, payload.organisation_id)
    data = payload.dict(exclude={"organisation_id"})
    return Status(201, services.add_contact(request.auth, organisation, pathway, **data))


@router.post(
    "/pathways/{pathway_id}/contacts/import",
    response={201: list[ContactOut]},
    summary="Importer une extraction CSV (date;canal;reponse;intention)",
)
def import_contacts(request: HttpRequest, pathway_id: int, payload: ContactImportIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = _acting(request, payload.organisation_id)
    return Status(201, services.import_contacts(request.auth, organisation, pathway, payload.csv))


@router.get(
    "/pathways/{pathway_id}/eligibility",
    response={200: EligibilityOut},
    summary="Éligibilité à une date (par défaut aujourd'hui), motifs et faits",
)
def get_eligibility(request: HttpRequest, pathway_id: int, date: datetime.date | None = None):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    day = date or timezone.localdate()
    result = services.compute_eligibility(pathway, day)
    return EligibilityOut(
        status=result.status,
        label=result.label,
        date=day,
        eligible_from=result.eligible_from,
        reasons=list(result.reasons),
        facts=result.facts,
    )


@router.get(
    "/pathways/{pathway_id}/checks", response=list[CheckOut], summary="Vérifications enregistrées"
)
def list_checks(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.checks.all())


@router.get(
    "/pathways/{pathway_id}/decisions",
    response=list[DecisionOut],
    summary="Décisions du comité",
)
def list_decisions(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.decisions.select_related("meeting"))


@router.get(
    "/pathways/{pathway_id}/dossier",
    response=list[DossierItemOut],
    summary="Dossier administratif",
)
def list_dossier(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    page = selectors.pathway_page(request.auth, pathway)
    if not page.dossier_visible:
        raise HttpError(403, "Documents administratifs protégés par le secret professionnel.")
    return page.dossier


@router.post(
    "/pathways/{pathway_id}/dossier/transmit",
    response=list[DossierItemOut],
    summary="Transmettre les pièces recueillies (avec l'accord du jeune)",
)
def transmit_dossier(request: HttpRequest, pathway_id: int, payload: ActingIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = _acting(request, payload.organisation_id)
    items = services.transmit_dossier(request.auth, organisation, pathway)
    return [i for i in items if i.status == DossierStatus.TRANSMITTED]
