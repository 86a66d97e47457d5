"""Directory API: structures and services in the data·inclusion format, schemes, a youth's
orientation and referrals (under the access policy, like the web pages), and the partners'
shared guides and meetings (for the members of each consortium)."""

from __future__ import annotations

import datetime

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from coparcours.accounts.models import User
from coparcours.core.access import Action, Capability, Category, api_acting_organisation, check
from coparcours.core.access.api_routes import api_requires
from coparcours.directory import guides, library, meetings, selectors
from coparcours.directory.models import (
    Attendance,
    Decision,
    Guide,
    GuideVersion,
    Meeting,
    Referral,
    Service,
)
from coparcours.directory.services.exchange import service_record, structure_record
from coparcours.directory.services.referrals import answer_as_member, send_referral
from coparcours.organisations.models import Consortium
from coparcours.youths.selectors import youth_for

router = Router(tags=["Annuaire et orientation"])


@router.get("/structures", response=list[dict], summary="Structures (format data·inclusion)")
@paginate
@api_requires(Capability.DIRECTORY)
def list_structures(request: HttpRequest, q: str = "", departement: str = ""):
    return _DataInclusionList(
        selectors.search_structures(text=q, departement=departement), structure_record
    )


@router.get("/services", response=list[dict], summary="Services (format data·inclusion)")
@paginate
@api_requires(Capability.DIRECTORY)
def list_services(
    request: HttpRequest,
    q: str = "",
    thematique: str = "",
    public: str = "",
    commune: str = "",
    departement: str = "",
):
    """Filters as on the directory page; an unknown theme or public code answers 422."""
    return _DataInclusionList(
        selectors.search_services(
            text=q, theme=thematique, public=public, commune=commune, departement=departement
        ),
        service_record,
    )


class _DataInclusionList:
    """A lazy list: pagination slices the queryset, then only that page is converted."""

    def __init__(self, queryset, convert):
        self.queryset = queryset
        self.convert = convert

    def __len__(self) -> int:
        return self.queryset.count()

    def __getitem__(self, window: slice) -> list[dict]:
        return [self.convert(row) for row in self.queryset[window]]


class SchemeOut(Schema):
    code: str
    name: str
    short_name: str
    description: str
    legal_basis: str
    min_age: int | None
    max_age: int | None
    employment_service_registration: str
    min_months_without_contact: int | None
    departements: list[str]
    statuses: list[str]
    incompatible_with: list[str]
    operators: list[str]

    @staticmethod
    def resolve_incompatible_with(obj) -> list[str]:
        return [s.code for s in obj.incompatible_with.all()]

    @staticmethod
    def resolve_operators(obj) -> list[str]:
        return [s.di_id for s in obj.operators.all()]


@router.get("/schemes", response=list[SchemeOut], summary="Dispositifs et critères")
@api_requires(Capability.DIRECTORY)
def list_schemes(request: HttpRequest):
    return list(selectors.schemes())


class FitOut(Schema):
    code: str
    name: str
    fits: bool
    met: list[str]
    missing: list[str]
    unknown: list[str]
    hints: list[str]
    eligible_from: datetime.date | None


class ServiceFitOut(Schema):
    service_id: int
    data_inclusion_id: str
    nom: str
    structure: str
    met: list[str]
    missing: list[str]


class OrientationOut(Schema):
    hidden_categories: list[str]
    schemes: list[FitOut]
    services: list[ServiceFitOut]


@router.get(
    "/youths/{youth_id}/orientation", response=OrientationOut, summary="Orientation d'un jeune"
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def youth_orientation(request: HttpRequest, youth_id: int, thematique: str = ""):
    youth = youth_for(request.auth, youth_id)
    check(request.auth, youth, Category.IDENTITY, Action.READ)
    result = selectors.orientation(request.auth, youth, theme=thematique)
    return {
        "hidden_categories": list(result.facts.hidden),
        "schemes": [
            {
                "code": f.scheme.code,
                "name": f.scheme.name,
                "fits": f.fit.fits,
                "met": f.fit.met,
                "missing": f.fit.missing,
                "unknown": f.fit.unknown,
                "hints": f.fit.hints,
                "eligible_from": f.fit.eligible_from,
            }
            for f in result.schemes
        ],
        "services": [
            {
                "service_id": f.service.pk,
                "data_inclusion_id": f.service.di_id,
                "nom": f.service.nom,
                "structure": f.service.structure.nom,
                "met": f.met,
                "missing": f.missing,
            }
            for f in result.services
        ],
    }


class ReferralOut(Schema):
    id: int
    youth_id: int
    service_id: int
    service: str
    status: str
    refusal_reason: str
    answer_comment: str
    categories: list[str]
    created_at: datetime.datetime
    expires_on: datetime.date
    answered_at: datetime.datetime | None

    @staticmethod
    def resolve_service(obj: Referral) -> str:
        return obj.service.nom


class ReferralIn(Schema):
    organisation_id: int | None = None
    service_id: int
    categories: list[str]
    message: str
    consented_categories: list[str]
    consent_given_by: str
    consent_method: str


@router.get(
    "/youths/{youth_id}/referrals", response=list[ReferralOut], summary="Orientations envoyées"
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def youth_referrals(request: HttpRequest, youth_id: int):
    youth = youth_for(request.auth, youth_id)
    check(request.auth, youth, Category.IDENTITY, Action.READ)
    return list(selectors.referrals_for_youth(request.auth, youth))


@router.post(
    "/youths/{youth_id}/referrals",
    response={201: ReferralOut},
    summary="Orienter vers un service (avec l'accord du jeune)",
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY], acting=True)
def create_referral(request: HttpRequest, youth_id: int, payload: ReferralIn):
    youth = youth_for(request.auth, youth_id)
    organisation = api_acting_organisation(request, payload.organisation_id)
    referral = send_referral(
        request.auth,
        youth,
        organisation,
        service=get_object_or_404(Service, pk=payload.service_id),
        categories=payload.categories,
        message=payload.message,
        consented_categories=payload.consented_categories,
        consent_given_by=payload.consent_given_by,
        consent_method=payload.consent_method,
    )
    return Status(201, referral)


class AnswerIn(Schema):
    accepted: bool
    refusal_reason: str = ""
    comment: str = ""


@router.post(
    "/referrals/{referral_id}/answer",
    response=ReferralOut,
    summary="Répondre à une orientation reçue (structure utilisant Coparcours)",
)
@api_requires(Capability.DIRECTORY)
def answer_referral(request: HttpRequest, referral_id: int, payload: AnswerIn):
    referral = get_object_or_404(selectors.referrals_to_answer(request.auth), pk=referral_id)
    return answer_as_member(
        request.auth,
        referral,
        accepted=payload.accepted,
        reason=payload.refusal_reason,
        comment=payload.comment,
    )


# --- Shared guides ---------------------------------------------------------------------------


class GuideVersionOut(Schema):
    number: int
    change_note: str
    body: str
    has_file: bool
    file_url: str | None
    author_organisation: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_has_file(obj: GuideVersion) -> bool:
        return bool(obj.file)

    @staticmethod
    def resolve_file_url(obj: GuideVersion) -> str | None:
        if not obj.file:
            return None
        return reverse("api:guide_file", args=[obj.guide_id, obj.number])

    @staticmethod
    def resolve_author_organisation(obj: GuideVersion) -> str:
        return obj.author_organisation.name


class GuideOut(Schema):
    id: int
    consortium_id: int
    consortium: str
    kind: str
    title: str
    owner: str
    review_on: datetime.date
    current_version: int
    versions: list[GuideVersionOut]
    reach: str
    reach_label: str

    @staticmethod
    def resolve_consortium(obj: Guide) -> str:
        return obj.consortium.name

    @staticmethod
    def resolve_reach_label(obj: Guide) -> str:
        return library.reach_label(obj, len(obj.shared_with.all()))

    @staticmethod
    def resolve_owner(obj: Guide) -> str:
        return str(obj.owner)

    @staticmethod
    def resolve_current_version(obj: Guide) -> int:
        return obj.versions.all()[0].number

    @staticmethod
    def resolve_versions(obj: Guide) -> list[GuideVersion]:
        return list(obj.versions.all())


class GuideIn(Schema):
    consortium_id: int
    kind: str
    title: str
    owner_id: int
    review_on: datetime.date
    body: str


class GuideVersionIn(Schema):
    change_note: str
    body: str
    review_on: datetime.date | None = None


@router.get("/guides", response=list[GuideOut], summary="Guides partagés de mes partenariats")
@api_requires(Capability.PARTNERS)
def list_guides(request: HttpRequest, q: str = "", kind: str = ""):
    return list(guides.visible_guides(request.auth, text=q, kind=kind))


@router.get("/guides/{guide_id}", response=GuideOut, summary="Un guide et ses versions")
@api_requires(Capability.PARTNERS)
def get_guide(request: HttpRequest, guide_id: int):
    return guides.guide_for(request.auth, guide_id)


@router.get(
    "/guides/{guide_id}/versions/{number}/file",
    summary="Fichier d'une version (membres du partenariat)",
    url_name="guide_file",
)
@api_requires(Capability.PARTNERS)
def guide_file(request: HttpRequest, guide_id: int, number: int):
    version = guides.version_for(request.auth, guide_id, number)
    if not version.file:
        raise HttpError(404, "Cette version n'a pas de fichier.")
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/guides", response={201: GuideOut}, summary="Publier une page partagée")
@api_requires(Capability.PARTNERS_EDIT)
def create_guide(request: HttpRequest, payload: GuideIn):
    consortium = get_object_or_404(Consortium, pk=payload.consortium_id)
    guide = guides.create_guide(
        request.auth,
        consortium,
        kind=payload.kind,
        title=payload.title,
        owner=get_object_or_404(User, pk=payload.owner_id),
        review_on=payload.review_on,
        body=payload.body,
    )
    return Status(201, guides.guide_for(request.auth, guide.pk))


@router.post(
    "/guides/{guide_id}/versions",
    response={201: GuideOut},
    summary="Publier une nouvelle version (la précédente reste consultable)",
)
@api_requires(Capability.PARTNERS_EDIT)
def publish_guide_version(request: HttpRequest, guide_id: int, payload: GuideVersionIn):
    guide = guides.guide_for(request.auth, guide_id)
    guides.publish_version(
        request.auth,
        guide,
        change_note=payload.change_note,
        body=payload.body,
        review_on=payload.review_on,
    )
    return Status(201, guides.guide_for(request.auth, guide_id))


# --- Partner meetings --------------------------------------------------------------------------


class AttendanceOut(Schema):
    user_id: int
    name: str
    organisation: str
    status: str

    @staticmethod
    def resolve_name(obj: Attendance) -> str:
        return str(obj.user)

    @staticmethod
    def resolve_organisation(obj: Attendance) -> str:
        return obj.organisation.name


class DecisionOut(Schema):
    id: int
    meeting_id: int
    meeting: str
    text: str
    owner_id: int
    owner: str
    due_on: datetime.date | None
    status: str
    done_on: datetime.date | None

    @staticmethod
    def resolve_meeting(obj: Decision) -> str:
        return obj.meeting.title

    @staticmethod
    def resolve_owner(obj: Decision) -> str:
        return str(obj.owner)


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    consortium_ids: list[int]
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    location: str
    agenda: str
    minutes: str
    ics_url: str

    @staticmethod
    def resolve_consortium_ids(obj: Meeting) -> list[int]:
        return [c.pk for c in obj.consortia.all()]

    @staticmethod
    def resolve_ics_url(obj: Meeting) -> str:
        return reverse("api:meeting_ics", args=[obj.pk])


class MeetingDetailOut(MeetingOut):
    attendances: list[AttendanceOut]
    decisions: list[DecisionOut]

    @staticmethod
    def resolve_attendances(obj: Meeting) -> list[Attendance]:
        return list(obj.attendances.all())

    @staticmethod
    def resolve_decisions(obj: Meeting) -> list[Decision]:
        return list(obj.decisions.all())


class MeetingIn(Schema):
    consortium_ids: list[int]
    kind: str
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    agenda: str
    location: str = ""
    invitee_ids: list[int] = []
    repeat: int = 1


class DecisionIn(Schema):
    text: str
    owner_id: int
    due_on: datetime.date | None = None


@router.get("/meetings", response=list[MeetingOut], summary="Réunions de mes partenariats")
@paginate
@api_requires(Capability.PARTNERS)
def list_meetings(request: HttpRequest):
    return meetings.visible_meetings(request.auth)


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="Une réunion")
@api_requires(Capability.PARTNERS)
def get_meeting(request: HttpRequest, meeting_id: int):
    return meetings.meeting_for(request.auth, meeting_id)


@router.get(
    "/meetings/{meeting_id}/invitation.ics",
    summary="Invitation au format iCalendar",
    url_name="meeting_ics",
)
@api_requires(Capability.PARTNERS)
def meeting_invitation(request: HttpRequest, meeting_id: int):
    meeting = meetings.meeting_for(request.auth, meeting_id)
    return HttpResponse(meetings.meeting_ics(meeting), content_type="text/calendar")


@router.post("/meetings", response={201: list[MeetingOut]}, summary="Programmer une réunion")
@api_requires(Capability.PARTNERS_EDIT)
def create_meeting(request: HttpRequest, payload: MeetingIn):
    consortia = list(Consortium.objects.filter(pk__in=payload.consortium_ids))
    if len(consortia) != len(set(payload.consortium_ids)):
        raise HttpError(404, "Groupement ou partenariat introuvable.")
    invitees = list(User.objects.filter(pk__in=payload.invitee_ids))
    if len(invitees) != len(set(payload.invitee_ids)):
        raise HttpError(404, "Personne introuvable.")
    created = meetings.schedule_meeting(
        request.auth,
        consortia=consortia,
        kind=payload.kind,
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        agenda=payload.agenda,
        location=payload.location,
        invitees=invitees,
        repeat=payload.repeat,
    )
    return Status(201, created)


@router.post(
    "/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="Noter une décision"
)
@api_requires(Capability.PARTNERS_EDIT)
def create_decision(request: HttpRequest, meeting_id: int, payload: DecisionIn):
    meeting = meetings.meeting_for(request.auth, meeting_id)
    decision = meetings.add_decision(
        request.auth,
        meeting,
        text=payload.text,
        owner=get_object_or_404(User, pk=payload.owner_id),
        due_on=payload.due_on,
    )
    return Status(201, decision)


@router.get(
    "/decisions", response=list[DecisionOut], summary="Relevé des décisions, toutes réunions"
)
@paginate
@api_requires(Capability.PARTNERS)
def list_decisions(
    request: HttpRequest, q: str = "", consortium_id: int | None = None, status: str = ""
):
    return meetings.decision_log(request.auth, text=q, consortium_id=consortium_id, status=status)
