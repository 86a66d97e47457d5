"""CEJ-JR pathways over the REST API, under the same access policy as the web pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate
from pydantic import field_validator, model_validator

from coparcours.accounts.models import User
from coparcours.cej import followup, rules, selectors, services
from coparcours.cej.models import (
    ActionPlan,
    Activity,
    DossierStatus,
    MissedAction,
    PaceaAllowanceRequest,
    PlanAction,
    Review,
)
from coparcours.core.access import Capability, Category, api_acting_organisation
from coparcours.core.access.api_routes import api_requires
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths import opening
from coparcours.youths import selectors as youth_selectors
from coparcours.youths.api import DuplicatesOut, FirstNames, LastName

router = Router(tags=["CEJ-JR"])

#: What a pathway's pages show of a youth (as the HTML routes declare).
PATHWAY_DATA = [Category.IDENTITY, Category.EDUCATION_EMPLOYMENT]


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


class CommitteeDecisionOut(Schema):
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
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def get_pathway(request: HttpRequest, pathway_id: int):
    return selectors.pathway_for(request.auth, pathway_id)


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
    return Status(201, services.add_contact(request.auth, organisation, pathway, **data))


@router.post(
    "/pathways/{pathway_id}/contacts/import",
    response={201: list[ContactOut]},
    summary="Importer une extraction CSV (date;canal;reponse;intention)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def import_contacts(request: HttpRequest, pathway_id: int, payload: ContactImportIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(201, services.import_contacts(request.auth, organisation, pathway, payload.csv))


@router.get(
    "/pathways/{pathway_id}/eligibility",
    response={200: EligibilityOut},
    summary="Éligibilité à une date (par défaut aujourd'hui), motifs et faits",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
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
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_checks(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.checks.all())


@router.get(
    "/pathways/{pathway_id}/decisions",
    response=list[CommitteeDecisionOut],
    summary="Décisions du comité",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_decisions(request: HttpRequest, pathway_id: int):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    return list(pathway.decisions.select_related("meeting"))


@router.get(
    "/pathways/{pathway_id}/dossier",
    response=list[DossierItemOut],
    summary="Dossier administratif",
)
@api_requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS])
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
@api_requires(Capability.CEJ, categories=[Category.IDENTITY, Category.ADMIN_DOCUMENTS], acting=True)
def transmit_dossier(request: HttpRequest, pathway_id: int, payload: ActingIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    items = services.transmit_dossier(request.auth, organisation, pathway)
    return [i for i in items if i.status == DossierStatus.TRANSMITTED]


# --- Missed actions and PACEA one-off allowances ---------------------------------------


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
    return Status(201, services.propose_sanction(request.auth, organisation, pathway, **data))


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
    return services.decide_sanction(request.auth, organisation, missed, **data)


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
        201, services.request_pacea_allowance(request.auth, organisation, pathway, **data)
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
    return services.decide_pacea_allowance(request.auth, organisation, pacea, **data)


# --- Weekly integration committee -----------------------------------------------------


class CommitteeMeetingOut(Schema):
    id: int
    partnership_id: int
    date: datetime.date
    participants: str


class CommitteeMeetingIn(Schema):
    organisation_id: int | None = None
    partnership_id: int
    date: datetime.date
    participants: str = ""


class AgendaRowOut(Schema):
    pathway_id: int
    reason: str
    visible: bool
    youth_id: int | None
    decision: CommitteeDecisionOut | None


class CommitteeMeetingDetailOut(CommitteeMeetingOut):
    agenda: list[AgendaRowOut]


class CommitteeDecisionIn(Schema):
    organisation_id: int | None = None
    pathway_id: int
    kind: str
    decided_by: str
    comment: str = ""


def _meeting(request: HttpRequest, meeting_id: int, organisation_id: int | None):
    organisation = api_acting_organisation(request, organisation_id)
    meeting = get_object_or_404(
        selectors.meetings_for(request.auth, organisation.pk), pk=meeting_id
    )
    return organisation, meeting


def _meeting_detail(request: HttpRequest, meeting) -> dict:
    """The meeting and its agenda; a protected youth shows neither identifier nor decision."""
    return {
        "id": meeting.pk,
        "partnership_id": meeting.partnership_id,
        "date": meeting.date,
        "participants": meeting.participants,
        "agenda": [
            {
                "pathway_id": row.item.pathway_id,
                "reason": row.item.reason,
                "visible": row.visible,
                "youth_id": row.item.pathway.youth_id if row.visible else None,
                "decision": row.decision if row.visible else None,
            }
            for row in selectors.agenda(request.auth, meeting, reason=selectors.AGENDA_THROUGH_API)
        ],
    }


@router.get("/meetings", response=list[CommitteeMeetingOut], summary="Comités d'intégration")
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def list_meetings(request: HttpRequest, organisation_id: int | None = None):
    organisation = api_acting_organisation(request, organisation_id)
    return list(selectors.meetings_for(request.auth, organisation.pk))


@router.post(
    "/meetings",
    response={201: CommitteeMeetingDetailOut},
    summary="Ouvrir un comité (ordre du jour)",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def create_meeting(request: HttpRequest, payload: CommitteeMeetingIn):
    organisation = api_acting_organisation(request, payload.organisation_id)
    partnership = get_object_or_404(
        selectors.partnerships_for(request.auth, organisation.pk), pk=payload.partnership_id
    )
    meeting = services.create_meeting(
        request.auth,
        organisation,
        partnership,
        date=payload.date,
        participants=payload.participants,
    )
    return Status(201, _meeting_detail(request, meeting))


@router.get(
    "/meetings/{meeting_id}",
    response=CommitteeMeetingDetailOut,
    summary="Un comité et son ordre du jour",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def get_meeting(request: HttpRequest, meeting_id: int, organisation_id: int | None = None):
    _organisation, meeting = _meeting(request, meeting_id, organisation_id)
    return _meeting_detail(request, meeting)


@router.post(
    "/meetings/{meeting_id}/decisions",
    response={201: CommitteeDecisionOut},
    summary="Enregistrer une décision (jeune inscrit à l'ordre du jour)",
)
@api_requires(
    Capability.CEJ_COMMITTEE,
    categories=PATHWAY_DATA,
    acting=True,
)
def create_decision(request: HttpRequest, meeting_id: int, payload: CommitteeDecisionIn):
    organisation, meeting = _meeting(request, meeting_id, payload.organisation_id)
    pathway = selectors.pathway_for(request.auth, payload.pathway_id)
    decision = services.record_decision(
        request.auth,
        organisation,
        meeting,
        pathway,
        kind=payload.kind,
        decided_by=payload.decided_by,
        comment=payload.comment,
    )
    return Status(201, decision)


# --- Co-accompaniment -------------------------------------------------------------------


class PlanActionOut(Schema):
    id: int
    dimension: str
    category: str
    objective: str
    action: str
    owner_organisation_id: int
    owner_id: int
    due_on: datetime.date
    status: str
    author_organisation_id: int


class PlanOut(Schema):
    id: int
    diagnosis_on: datetime.date
    diagnosis: str
    author_organisation_id: int
    actions: list[PlanActionOut]
    hidden_actions: int


class PlanIn(Schema):
    organisation_id: int | None = None
    diagnosis_on: datetime.date
    diagnosis: str = ""


class PlanActionIn(Schema):
    organisation_id: int | None = None
    dimension: str
    objective: str
    action: str
    owner_organisation_id: int
    owner_id: int
    due_on: datetime.date


class StatusIn(Schema):
    organisation_id: int | None = None
    status: str


class ActivityOut(Schema):
    id: int
    kind: str | None
    title: str | None
    starts_at: datetime.datetime
    duration_minutes: int
    organisation_id: int
    attended: bool | None
    author_organisation_id: int


class ActivityIn(Schema):
    organisation_id: int | None = None
    kind: str
    title: str
    starts_at: datetime.datetime
    duration_minutes: int = Field(
        description="Durée en minutes, de 1 minute à 24 heures.",
        json_schema_extra={"minimum": 1, "maximum": 24 * 60},
    )
    responsible_id: int
    attended: bool | None = None

    @field_validator("duration_minutes")
    @classmethod
    def _within_a_day(cls, minutes: int) -> int:
        if not 1 <= minutes <= 24 * 60:
            raise ValueError("Une activité dure entre 1 minute et 24 heures.")
        return minutes


class AttendanceIn(Schema):
    organisation_id: int | None = None
    attended: bool


class WeekHoursOut(Schema):
    week: datetime.date
    porteur_hours: Decimal
    mission_locale_hours: Decimal
    total_hours: Decimal
    minimum_hours: int | None
    reached: bool | None


class FollowUpOut(Schema):
    id: int
    week_start: datetime.date
    mission_locale_id: int
    detail: str
    rows: list[dict]
    sent_at: datetime.datetime | None


class FollowUpIn(Schema):
    organisation_id: int | None = None
    week: datetime.date = Field(
        description="Le lundi de la semaine suivie, une semaine terminée (AAAA-MM-JJ)."
    )

    @field_validator("week")
    @classmethod
    def _a_monday(cls, week: datetime.date) -> datetime.date:
        if week != rules.week_start(week):
            raise ValueError("Une semaine commence un lundi : indiquez le lundi de la semaine.")
        return week


class ReviewRatingOut(Schema):
    dimension: str
    rater: str
    score: int


class ReviewOut(Schema):
    id: int
    milestone_months: int
    due_on: datetime.date
    held_on: datetime.date | None
    next_steps: str
    ratings: list[ReviewRatingOut]


class RatingsIn(Schema):
    organisation_id: int | None = None
    rater: str
    scores: dict[str, int]


class ReviewCloseIn(Schema):
    organisation_id: int | None = None
    held_on: datetime.date
    next_steps: str


def _page(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    day = rules.week_start(week or timezone.localdate())
    return pathway, selectors.accompaniment_page(request.auth, pathway, day)


@router.get("/pathways/{pathway_id}/plan", response=PlanOut, summary="Plan d'action")
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def get_plan(request: HttpRequest, pathway_id: int):
    _pathway, page = _page(request, pathway_id)
    if page.plan is None:
        raise HttpError(404, "Pas de plan d'action.")
    return {
        "id": page.plan.pk,
        "diagnosis_on": page.plan.diagnosis_on,
        "diagnosis": page.plan.diagnosis,
        "author_organisation_id": page.plan.author_organisation_id,
        "actions": page.actions,
        "hidden_actions": page.hidden_actions,
    }


@router.post(
    "/pathways/{pathway_id}/plan", response={201: PlanOut}, summary="Ouvrir le plan d'action"
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_plan(request: HttpRequest, pathway_id: int, payload: PlanIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    plan = services.start_plan(
        request.auth,
        organisation,
        pathway,
        diagnosis_on=payload.diagnosis_on,
        diagnosis=payload.diagnosis,
    )
    return Status(
        201,
        {
            "id": plan.pk,
            "diagnosis_on": plan.diagnosis_on,
            "diagnosis": plan.diagnosis,
            "author_organisation_id": plan.author_organisation_id,
            "actions": [],
            "hidden_actions": 0,
        },
    )


@router.post(
    "/pathways/{pathway_id}/plan/actions",
    response={201: PlanActionOut},
    summary="Ajouter une action (une organisation, une personne)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_plan_action(request: HttpRequest, pathway_id: int, payload: PlanActionIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    plan = get_object_or_404(ActionPlan, pathway=pathway)
    item = services.add_plan_action(
        request.auth,
        organisation,
        plan,
        dimension=payload.dimension,
        objective=payload.objective,
        action=payload.action,
        owner_organisation=Organisation.objects.filter(pk=payload.owner_organisation_id).first(),
        owner=User.objects.filter(pk=payload.owner_id).first(),
        due_on=payload.due_on,
    )
    return Status(201, item)


@router.post(
    "/pathways/{pathway_id}/plan/actions/{action_id}/status",
    response=PlanActionOut,
    summary="Changer l'état d'une action",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def update_plan_action(request: HttpRequest, pathway_id: int, action_id: int, payload: StatusIn):
    _pathway, item = selectors.pathway_record_for(
        request.auth, pathway_id, PlanAction.objects.all(), action_id, within="plan__pathway"
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return services.set_action_status(request.auth, organisation, item, payload.status)


@router.get(
    "/pathways/{pathway_id}/activities",
    response=list[ActivityOut],
    summary="Activités d'une semaine (par défaut la semaine en cours)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def list_activities(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    _pathway, page = _page(request, pathway_id, week)
    return [
        {
            "id": row.activity.pk,
            "kind": row.activity.kind if row.detail_visible else None,
            "title": row.activity.title if row.detail_visible else row.label,
            "starts_at": row.activity.starts_at,
            "duration_minutes": row.activity.duration_minutes,
            "organisation_id": row.activity.organisation_id,
            "attended": row.activity.attended,
            "author_organisation_id": row.activity.author_organisation_id,
        }
        for row in page.activities
    ]


@router.post(
    "/pathways/{pathway_id}/activities",
    response={201: ActivityOut},
    summary="Planifier ou noter une activité (1 min à 24 h, sans chevauchement)",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def create_activity(request: HttpRequest, pathway_id: int, payload: ActivityIn):
    pathway = selectors.pathway_for(request.auth, pathway_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(
        201,
        services.add_activity(
            request.auth,
            organisation,
            pathway,
            kind=payload.kind,
            title=payload.title,
            starts_at=payload.starts_at,
            duration_minutes=payload.duration_minutes,
            responsible=Organisation.objects.filter(pk=payload.responsible_id).first(),
            attended=payload.attended,
        ),
    )


@router.post(
    "/pathways/{pathway_id}/activities/{activity_id}/attendance",
    response=ActivityOut,
    summary="Noter la présence",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA, acting=True)
def record_attendance(
    request: HttpRequest, pathway_id: int, activity_id: int, payload: AttendanceIn
):
    _pathway, activity = selectors.pathway_record_for(
        request.auth, pathway_id, Activity.objects.all(), activity_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return services.record_attendance(request.auth, organisation, activity, payload.attended)


@router.get(
    "/pathways/{pathway_id}/weekly-hours",
    response=list[WeekHoursOut],
    summary="Heures des dernières semaines : porteur, mission locale, minimum",
)
@api_requires(Capability.CEJ, categories=PATHWAY_DATA)
def weekly_hours(request: HttpRequest, pathway_id: int, week: datetime.date | None = None):
    _pathway, page = _page(request, pathway_id, week)
    return page.weeks


@router.get("/follow-ups", response=list[FollowUpOut], summary="Mes suivis du lundi")
@api_requires(Capability.CEJ_FOLLOW_UP, categories=PATHWAY_DATA)
def list_follow_ups(request: HttpRequest):
    follow_ups = list(selectors.follow_ups_for(request.auth))
    followup.audit_reading(request.auth, follow_ups, followup.READ_THROUGH_API)
    return follow_ups


@router.get("/follow-ups/{follow_up_id}", response=FollowUpOut, summary="Un suivi du lundi")
@api_requires(Capability.CEJ_FOLLOW_UP, categories=PATHWAY_DATA)
def get_follow_up(request: HttpRequest, follow_up_id: int):
    follow_up = get_object_or_404(selectors.follow_ups_for(request.auth), pk=follow_up_id)
    followup.audit_reading(request.auth, [follow_up], followup.READ_THROUGH_API)
    return follow_up


@router.post(
    "/follow-ups",
    response={201: list[FollowUpOut]},
    summary="Produire le suivi d'une semaine terminée (référent du porteur)",
)
@api_requires(
    Capability.CEJ_FOLLOW_UP,
    categories=PATHWAY_DATA,
    acting=True,
)
def produce_follow_ups(request: HttpRequest, payload: FollowUpIn):
    organisation = api_acting_organisation(request, payload.organisation_id)
    partnerships = selectors.partnerships_for(request.auth, organisation.pk, as_porteur=True)
    if not partnerships:
        raise HttpError(403, "Les référents du porteur produisent le suivi à la main.")
    report = followup.produce(
        payload.week,
        by=request.auth,
        counsellor_ids=selectors.counsellors_of(request.auth, partnerships),
    )
    return Status(201, report.created)


@router.get("/pathways/{pathway_id}/reviews", response=list[ReviewOut], summary="Bilans d'étape")
@api_requires(Capability.CEJ, categories=Category.values)
def list_reviews(request: HttpRequest, pathway_id: int):
    _pathway, page = _page(request, pathway_id)
    return [
        {
            "id": r.review.pk,
            "milestone_months": r.review.milestone_months,
            "due_on": r.review.due_on,
            "held_on": r.review.held_on,
            "next_steps": r.review.next_steps,
            "ratings": r.ratings,
        }
        for r in page.reviews
    ]


@router.post(
    "/pathways/{pathway_id}/reviews/{review_id}/ratings",
    response={201: list[ReviewRatingOut]},
    summary="Noter les dimensions (1 à 4)",
)
@api_requires(Capability.CEJ, categories=Category.values, acting=True)
def rate_review(request: HttpRequest, pathway_id: int, review_id: int, payload: RatingsIn):
    _pathway, review = selectors.pathway_record_for(
        request.auth, pathway_id, Review.objects.all(), review_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    return Status(
        201,
        services.rate_review(
            request.auth, organisation, review, rater=payload.rater, scores=payload.scores
        ),
    )


@router.post(
    "/pathways/{pathway_id}/reviews/{review_id}/close",
    response=ReviewOut,
    summary="Clore le bilan avec le plan concerté",
)
@api_requires(Capability.CEJ, categories=Category.values, acting=True)
def close_review(request: HttpRequest, pathway_id: int, review_id: int, payload: ReviewCloseIn):
    _pathway, review = selectors.pathway_record_for(
        request.auth, pathway_id, Review.objects.all(), review_id
    )
    organisation = api_acting_organisation(request, payload.organisation_id)
    review = services.close_review(
        request.auth, organisation, review, held_on=payload.held_on, next_steps=payload.next_steps
    )
    return {
        "id": review.pk,
        "milestone_months": review.milestone_months,
        "due_on": review.due_on,
        "held_on": review.held_on,
        "next_steps": review.next_steps,
        "ratings": list(review.ratings.all()),
    }
