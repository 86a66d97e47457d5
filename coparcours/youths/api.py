"""Youth records over the REST API, under the same access policy as the web pages."""

from __future__ import annotations

import datetime
from typing import Annotated

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StringConstraints

from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Duty,
    ShareBasis,
    api_acting_organisation,
    check,
    check_duty,
    youths_for_duty,
)
from coparcours.core.access.api_routes import api_requires, invalid_parameter
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Organisation
from coparcours.youths import access_log as access_log_lines
from coparcours.youths import opening, selectors, services, stages
from coparcours.youths.models import Consent, Document, ErasureRequest, Youth
from coparcours.youths.models.consents import ConsentGiver, ConsentMethod
from coparcours.youths.privacy import erasure as erasure_requests
from coparcours.youths.privacy.export import build_export

router = Router(tags=["Jeunes"])


class DuplicatesOut(Schema):
    detail: str
    visible_duplicates: list[int]
    duplicates_elsewhere: int


class YouthSummary(Schema):
    id: int
    last_name: str
    first_names: str
    birth_date: datetime.date | None
    is_unaccompanied_minor: bool
    owner_organisation_id: int


class CategoryOut(Schema):
    category: str
    visible: bool
    own_organisation_only: bool
    fields: dict[str, str | None]
    notes: list[dict]


class YouthDetail(YouthSummary):
    majority_date: datetime.date | None
    categories: list[CategoryOut]


#: Names that must be given: surrounding spaces dropped, never empty.
LastName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]
FirstNames = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class YouthIn(Schema):
    organisation_id: int | None = None
    last_name: LastName
    first_names: FirstNames
    sex: str = "X"
    birth_date: datetime.date | None = None
    birth_date_is_declared: bool = False
    nationality: str = ""
    languages: str = ""
    needs_interpreter: bool = False
    is_unaccompanied_minor: bool = False
    confirm_not_duplicate: bool = False


@router.get("", response=list[YouthSummary], summary="Jeunes accompagnés par mes organisations")
@paginate
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def list_youths(request: HttpRequest, q: str = "", stage: str = ""):
    """``stage``: a pathway stage such as ``cej:remobilisation`` or ``housing:hosted``."""
    if stage and not stages.is_known(stage):
        raise invalid_parameter("stage", f"Étape inconnue : « {stage} ».")
    return (
        selectors.caseload(
            request.auth,
            acting_organisation_id=None,
            scope=selectors.CaseloadScope.ALL,
            text=q,
            stage=stage,
        )
        .select_related(None)
        .only(*YouthSummary.model_fields)  # the summary's columns, without joins
    )


@router.post(
    "",
    response={201: YouthSummary, 409: DuplicatesOut},
    summary="Ouvrir un dossier",
)
@api_requires(
    Capability.YOUTH_CREATE, categories=[Category.IDENTITY, Category.CONTACT], acting=True
)
def create_youth(request: HttpRequest, payload: YouthIn):
    """Only a membership holding ``youth_create`` reaches the duplicate check (409);
    anyone else gets 403 ``capability_refused`` before any lookup, whoever is named."""
    data = payload.dict(exclude={"organisation_id", "confirm_not_duplicate"})
    organisation = api_acting_organisation(request, payload.organisation_id)
    duplicates = opening.duplicate_check(
        request.auth, organisation, data["last_name"], data["first_names"], data["birth_date"]
    )
    if duplicates.found and not payload.confirm_not_duplicate:
        return Status(
            409,
            {
                "detail": "Ce jeune est peut-être déjà connu : vérifiez, puis renvoyez la "
                "demande avec confirm_not_duplicate.",
                "visible_duplicates": [youth.pk for youth in duplicates.visible],
                "duplicates_elsewhere": duplicates.elsewhere,
            },
        )
    youth = services.create_youth(request.auth, organisation, **data)
    return Status(201, youth)


@router.get("/{youth_id}", response=YouthDetail, summary="Dossier d'un jeune")
@api_requires(Capability.YOUTH_RECORDS, categories=Category.values)
def get_youth(request: HttpRequest, youth_id: int):
    youth = selectors.youth_for(request.auth, youth_id)
    sections = selectors.record_view(request.auth, youth)
    return YouthDetail(
        id=youth.pk,
        last_name=youth.last_name,
        first_names=youth.first_names,
        birth_date=youth.birth_date,
        is_unaccompanied_minor=youth.is_unaccompanied_minor,
        owner_organisation_id=youth.owner_organisation_id,
        majority_date=youth.majority_date,
        categories=[
            CategoryOut(
                category=s.category,
                visible=s.visible,
                own_organisation_only=s.only_own,
                fields={str(label): None if v in ("", None) else str(v) for label, v in s.fields},
                notes=[
                    {
                        "id": n.pk,
                        "date": n.occurred_on.isoformat(),
                        "title": n.title,
                        "text": n.text,
                    }
                    for n in s.notes
                ],
            )
            for s in sections
        ],
    )


class ConsentOut(Schema):
    id: int
    organisation_id: int
    author_organisation_id: int
    categories: list[str]
    purpose: str
    basis: str
    given_by: str
    method: str
    start_date: datetime.date
    end_date: datetime.date | None
    withdrawn_at: datetime.datetime | None
    state: str

    @staticmethod
    def resolve_state(obj: Consent) -> str:
        return obj.state_label


class ConsentIn(Schema):
    organisation_id: int | None = None
    recipient_organisation_id: int
    categories: list[str]
    purpose: str
    basis: str = ShareBasis.CONSENT
    given_by: str = ConsentGiver.YOUTH
    method: str = ConsentMethod.ORAL_WITH_WITNESS
    witness: str = ""
    prior_information_on: datetime.date | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None


@router.get("/{youth_id}/consents", response=list[ConsentOut], summary="Consentements")
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def list_consents(request: HttpRequest, youth_id: int):
    youth = selectors.youth_for(request.auth, youth_id)
    check(request.auth, youth, Category.IDENTITY, Action.READ)
    return list(youth.consents.all())


@router.post(
    "/{youth_id}/consents",
    response={201: ConsentOut},
    summary="Enregistrer un consentement",
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY], acting=True)
def create_consent(request: HttpRequest, youth_id: int, payload: ConsentIn):
    """Recorded by a person of the organisation whose data it opens, allowed to write
    those categories (403 ``consent_not_writable`` otherwise)."""
    youth = selectors.youth_for(request.auth, youth_id)
    acting = api_acting_organisation(request, payload.organisation_id)
    recipient = get_object_or_404(Organisation, pk=payload.recipient_organisation_id)
    data = payload.dict(exclude={"organisation_id", "recipient_organisation_id"})
    consent = services.record_consent(request.auth, youth, acting, organisation=recipient, **data)
    return Status(201, consent)


@router.post(
    "/{youth_id}/consents/{consent_id}/withdraw",
    response=ConsentOut,
    summary="Retirer",
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def withdraw_consent(request: HttpRequest, youth_id: int, consent_id: int):
    """By the recording organisation, the recipient or the owner; never a third party
    (403 ``consent_withdrawal_not_a_party``)."""
    youth = selectors.youth_for(request.auth, youth_id)
    consent = get_object_or_404(Consent, pk=consent_id, youth=youth)
    return services.withdraw_consent(request.auth, consent)


class AssignmentOut(Schema):
    id: int
    organisation_id: int
    relation: str
    role: str
    start_date: datetime.date
    end_date: datetime.date | None


class AssignmentIn(Schema):
    organisation_id: int
    relation: str = "co_accompaniment"
    role: str
    start_date: datetime.date
    end_date: datetime.date | None = None


@router.get("/{youth_id}/assignments", response=list[AssignmentOut], summary="Co-accompagnements")
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def list_assignments(request: HttpRequest, youth_id: int):
    youth = selectors.youth_for(request.auth, youth_id)
    check(request.auth, youth, Category.IDENTITY, Action.READ)
    return list(youth.assignments.all())


@router.post(
    "/{youth_id}/assignments", response={201: AssignmentOut}, summary="Ajouter un co-accompagnant"
)
@api_requires(Capability.YOUTH_RECORDS, categories=[Category.IDENTITY])
def create_assignment(request: HttpRequest, youth_id: int, payload: AssignmentIn):
    youth = selectors.youth_for(request.auth, youth_id)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    assignment = services.add_assignment(
        request.auth,
        youth,
        organisation,
        payload.role,
        payload.start_date,
        payload.end_date,
        payload.relation,
    )
    return Status(201, assignment)


class DocumentOut(Schema):
    id: int
    category: str
    title: str
    original_name: str
    content_type: str
    size: int
    created_at: datetime.datetime


@router.get("/{youth_id}/documents", response=list[DocumentOut], summary="Documents visibles")
@api_requires(Capability.YOUTH_RECORDS, categories=Category.values)
def list_documents(request: HttpRequest, youth_id: int):
    youth = selectors.youth_for(request.auth, youth_id)
    return [d for s in selectors.record_view(request.auth, youth) for d in s.documents]


@router.get("/{youth_id}/documents/{document_id}/file", summary="Télécharger un document")
@api_requires(Capability.YOUTH_RECORDS, categories=Category.values)
def download_document(request: HttpRequest, youth_id: int, document_id: int):
    youth = selectors.youth_for(request.auth, youth_id)
    document = get_object_or_404(Document.objects.exclude(file=""), pk=document_id, youth=youth)
    check(
        request.auth,
        youth,
        document.category,
        Action.READ,
        author_organisation_id=document.author_organisation_id,
        obj=document,
    )
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


# --- Data-protection rights (coparcours.youths.privacy) --------------------------------


@router.get(
    "/{youth_id}/export",
    response=dict,
    summary="Export des données (droit d'accès)",
)
@api_requires(Capability.DATA_PROTECTION, categories=Category.values)
def export_youth(request: HttpRequest, youth_id: int):
    """Everything held about the youth that the caller may read (RGPD art. 15); 404 for a
    youth the caller does not know, as for an unknown id."""
    youth = selectors.youth_known_to(request.auth, youth_id)
    return build_export(request.auth, youth).as_json()


class ErasureRequestOut(Schema):
    id: int
    received_on: datetime.date
    requester: str
    reason: str
    status: str
    decided_at: datetime.datetime | None
    decision_motive: str


class ErasureRequestIn(Schema):
    received_on: datetime.date
    requester: str
    reason: str


class ErasureDecisionIn(Schema):
    approve: bool
    motive: str = ""


def _privacy_youth(request: HttpRequest, youth_id: int) -> Youth:
    return get_object_or_404(
        youths_for_duty(request.auth, Youth.objects.active(), Duty.ACCESS_LOG), pk=youth_id
    )


@router.get(
    "/{youth_id}/erasure-requests",
    response=list[ErasureRequestOut],
    summary="Demandes d'effacement",
)
@api_requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def list_erasure_requests(request: HttpRequest, youth_id: int):
    youth = _privacy_youth(request, youth_id)
    check_duty(request.auth, youth, Duty.ACCESS_LOG)
    return list(youth.erasure_requests.all())


@router.post(
    "/{youth_id}/erasure-requests",
    response={201: ErasureRequestOut},
    summary="Enregistrer une demande d'effacement",
)
@api_requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def create_erasure_request(request: HttpRequest, youth_id: int, payload: ErasureRequestIn):
    youth = _privacy_youth(request, youth_id)
    erasure = erasure_requests.record_erasure_request(request.auth, youth, **payload.dict())
    return Status(201, erasure)


@router.post(
    "/{youth_id}/erasure-requests/{request_id}/decision",
    response=ErasureRequestOut,
    summary="Accepter (et anonymiser) ou refuser une demande d'effacement",
)
@api_requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def decide_erasure_request(
    request: HttpRequest, youth_id: int, request_id: int, payload: ErasureDecisionIn
):
    youth = _privacy_youth(request, youth_id)
    erasure = get_object_or_404(ErasureRequest, pk=request_id, youth=youth)
    return erasure_requests.decide_erasure_request(
        request.auth, erasure, approve=payload.approve, motive=payload.motive
    )


class AccessLogLineOut(Schema):
    at: datetime.datetime
    person: str
    organisation: str
    event: str
    category: str
    detail: str


class AccessLogOut(Schema):
    items: list[AccessLogLineOut]
    count: int


@router.get(
    "/{youth_id}/access-log",
    response=AccessLogOut,
    summary="Journal des accès au dossier",
)
@api_requires(Capability.DATA_PROTECTION, categories=[Category.IDENTITY])
def access_log(
    request: HttpRequest,
    youth_id: int,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0),
):
    """Who accessed the record, when, and which category, most recent first (CNIL
    référentiel 2021-028), as on the record's access-log page: a category the caller may
    not read is named "information protégée"; reading the log is audited once."""
    youth = _privacy_youth(request, youth_id)
    check_duty(request.auth, youth, Duty.ACCESS_LOG)
    lines = AuditLog.objects.filter(youth_id=youth.pk)
    shown = access_log_lines.lines_for_reader(request.auth, youth, lines[offset : offset + limit])
    return {
        "items": [
            {
                "at": line.at,
                "person": line.user_email or "—",
                "organisation": line.organisation_name or "—",
                "event": line.get_event_display(),
                "category": line.category_label,
                "detail": line.reason if line.event == AuditEvent.BREAK_GLASS else line.detail,
            }
            for line in shown
        ],
        "count": lines.count(),
    }
