"""Directory API: structures and services in the data·inclusion format, schemes, a youth's
orientation and referrals (under the access policy, like the web pages)."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from coparcours.core.access import Action, Category, active_memberships, check
from coparcours.directory import selectors, services
from coparcours.directory.models import Referral, Service
from coparcours.organisations.models import Organisation
from coparcours.youths.selectors import youth_for

router = Router(tags=["Annuaire et orientation"])


@router.get("/structures", response=list[dict], summary="Structures (format data·inclusion)")
@paginate
def list_structures(request: HttpRequest, q: str = "", departement: str = ""):
    return _DataInclusionList(
        selectors.search_structures(text=q, departement=departement), services.structure_record
    )


@router.get("/services", response=list[dict], summary="Services (format data·inclusion)")
@paginate
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
        services.service_record,
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
def youth_referrals(request: HttpRequest, youth_id: int):
    youth = youth_for(request.auth, youth_id)
    check(request.auth, youth, Category.IDENTITY, Action.READ)
    return list(selectors.referrals_for_youth(request.auth, youth))


@router.post(
    "/youths/{youth_id}/referrals",
    response={201: ReferralOut},
    summary="Orienter vers un service (avec l'accord du jeune)",
)
def create_referral(request: HttpRequest, youth_id: int, payload: ReferralIn):
    youth = youth_for(request.auth, youth_id)
    organisation_ids = sorted({org for org, _ in active_memberships(request.auth)})
    organisation_id = payload.organisation_id
    if organisation_id is None and len(organisation_ids) == 1:
        organisation_id = organisation_ids[0]
    if organisation_id not in organisation_ids:
        raise HttpError(400, "Indiquez organisation_id : une organisation dont vous êtes membre.")
    referral = services.send_referral(
        request.auth,
        youth,
        Organisation.objects.get(pk=organisation_id),
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
def answer_referral(request: HttpRequest, referral_id: int, payload: AnswerIn):
    referral = get_object_or_404(
        Referral.objects.select_related("service__structure"), pk=referral_id
    )
    return services.answer_as_member(
        request.auth,
        referral,
        accepted=payload.accepted,
        reason=payload.refusal_reason,
        comment=payload.comment,
    )
