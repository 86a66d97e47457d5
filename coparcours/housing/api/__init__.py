"""GME housing over the REST API: requests, availability, stays and occupancy, under the
same rules and access policy as the web pages."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from coparcours.core.access import Action, Capability, Category, check, visible_youth_data
from coparcours.core.access.api_routes import api_requires, invalid_parameter
from coparcours.housing import funders
from coparcours.housing.models.requests import PlacementRequest, Urgency
from coparcours.housing.models.sites import Site
from coparcours.housing.models.stays import ExitReason, Stay, TransferReason
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.selectors import roles
from coparcours.housing.selectors import stays as stay_selectors
from coparcours.housing.services import coordination as coordination_services
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.models import Consortium
from coparcours.youths.models.records import Sex

router = Router(tags=["Hébergement"])


def _consortium(request: HttpRequest, consortium_id: int | None) -> Consortium:
    """A GME the caller coordinates or funds: the one named, or their only one."""
    allowed = Consortium.objects.filter(
        pk__in=[
            *roles.coordinated_consortia(request.auth).values_list("pk", flat=True),
            *roles.funded_consortia(request.auth).values_list("pk", flat=True),
        ]
    )
    if consortium_id is not None:
        return get_object_or_404(allowed, pk=consortium_id)
    found = list(allowed[:2])
    if len(found) != 1:
        raise PermissionDenied(
            "Indiquez consortium_id : un groupement que vous coordonnez ou financez."
        )
    return found[0]


class RequestIn(Schema):
    consortium_id: int | None = None
    reference: str
    last_name: str = ""
    first_names: str = ""
    birth_date: datetime.date | None = None
    age: int | None = None
    sex: Sex
    needs: str = ""
    urgency: Urgency
    requested_date: datetime.date


class RequestOut(Schema):
    id: int
    consortium_id: int
    reference: str
    urgency: str
    requested_date: datetime.date
    status: str
    status_label: str
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj: PlacementRequest) -> str:
        return obj.get_status_display()


@router.get("/requests", response=list[RequestOut], summary="Demandes de placement visibles")
@paginate
@api_requires(Capability.HOUSING_REQUESTS)
def list_requests(request: HttpRequest, status: str = ""):
    """The funder's own requests, or all requests of the GME for its coordination."""
    requests = request_selectors.requests_for(request.auth).order_by("-created_at", "-pk")
    return requests.filter(status=status) if status else requests


@router.post("/requests", response={201: RequestOut}, summary="Déposer une demande de placement")
@api_requires(Capability.HOUSING_REQUEST_FILE, categories=[Category.IDENTITY])
def create_request(request: HttpRequest, payload: RequestIn):
    consortium = _consortium(request, payload.consortium_id)
    data = payload.dict(exclude={"consortium_id"})
    return Status(201, request_services.file_request(request.auth, consortium, **data))


@router.get("/requests/{request_id}", response=RequestOut, summary="État d'une demande")
@api_requires(Capability.HOUSING_REQUESTS, categories=[Category.IDENTITY])
def get_request(request: HttpRequest, request_id: int):
    placement = get_object_or_404(request_selectors.requests_for(request.auth), pk=request_id)
    request_selectors.record_request_read(request.auth, placement)
    return placement


class ProposalIn(Schema):
    site_id: int
    entry_date: datetime.date


class ProposalOut(Schema):
    id: int
    request_id: int
    site_id: int
    entry_date: datetime.date
    status: str
    decline_reason: str


@router.post(
    "/requests/{request_id}/proposals",
    response={201: ProposalOut},
    summary="Proposer une place (coordination)",
)
@api_requires(Capability.HOUSING_QUEUE)
def create_proposal(request: HttpRequest, request_id: int, payload: ProposalIn):
    placement = get_object_or_404(request_selectors.requests_for(request.auth), pk=request_id)
    site = get_object_or_404(Site, pk=payload.site_id, consortium=placement.consortium)
    return Status(201, request_services.propose(request.auth, placement, site, payload.entry_date))


class ProposalAnswerIn(Schema):
    accept: bool
    decline_reason: str = ""


@router.post("/proposals/{proposal_id}/answer", response=ProposalOut, summary="Répondre (membre)")
@api_requires(Capability.HOUSING_MEMBER)
def answer_proposal(request: HttpRequest, proposal_id: int, payload: ProposalAnswerIn):
    proposal = get_object_or_404(request_selectors.proposals_for(request.auth), pk=proposal_id)
    return request_services.answer_proposal(
        request.auth, proposal, payload.accept, payload.decline_reason
    )


class AvailabilityOut(Schema):
    site_id: int
    site: str
    organisation: str
    kind: str
    free: int


@router.get("/availability", response=list[AvailabilityOut], summary="Places libres")
@api_requires(Capability.HOUSING_QUEUE)
def availability(
    request: HttpRequest,
    start: datetime.date,
    sex: Sex,
    age: int = Query(..., ge=0, le=21),
    consortium_id: int | None = None,
):
    consortium = _consortium(request, consortium_id)
    coordination_services.require_coordination(request.auth, consortium)
    return [
        AvailabilityOut(
            site_id=a.site.pk,
            site=a.site.name,
            organisation=a.site.organisation.name,
            kind=a.site.kind,
            free=a.free,
        )
        for a in occupancy_selectors.availability(consortium, start, age, sex)
    ]


class StayOut(Schema):
    id: int
    youth_id: int
    site_id: int
    site: str
    host_organisation_id: int
    start_date: datetime.date
    end_date: datetime.date | None
    exit_reason: str

    @staticmethod
    def resolve_site(obj: Stay) -> str:
        return obj.site.name

    @staticmethod
    def resolve_host_organisation_id(obj: Stay) -> int:
        return obj.author_organisation_id


class AdmitIn(Schema):
    entry_date: datetime.date | None = None


@router.post(
    "/proposals/{proposal_id}/admit", response={201: StayOut}, summary="Enregistrer l'admission"
)
@api_requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def admit(request: HttpRequest, proposal_id: int, payload: AdmitIn):
    proposal = get_object_or_404(request_selectors.proposals_for(request.auth), pk=proposal_id)
    return Status(201, stay_services.admit(request.auth, proposal, payload.entry_date))


@router.get("/stays", response=list[StayOut], summary="Séjours visibles")
@paginate
@api_requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def list_stays(request: HttpRequest, current: bool = True):
    stays = Stay.objects.active() if current else Stay.objects.all()
    return stay_selectors.visible_stays(request.auth, stays)


def _stay(request: HttpRequest, stay_id: int, action: str = Action.READ) -> Stay:
    stays = visible_youth_data(
        request.auth, Stay.objects.select_related("youth", "site__consortium")
    )
    stay = get_object_or_404(stays, pk=stay_id)
    check(
        request.auth,
        stay.youth,
        Category.HOUSING,
        action,
        author_organisation_id=stay.author_organisation_id,
        obj=stay,
    )
    return stay


@router.get("/stays/{stay_id}", response=StayOut, summary="Un séjour")
@api_requires(Capability.HOUSING_STAYS, categories=[Category.IDENTITY, Category.HOUSING])
def get_stay(request: HttpRequest, stay_id: int):
    return _stay(request, stay_id)


class TransferIn(Schema):
    to_site_id: int
    on: datetime.date
    reason: TransferReason
    details: str = ""


@router.post("/stays/{stay_id}/transfer", response={201: StayOut}, summary="Réorienter")
@api_requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def transfer(request: HttpRequest, stay_id: int, payload: TransferIn):
    stay = _stay(request, stay_id, Action.WRITE)
    site = get_object_or_404(Site, pk=payload.to_site_id)
    moved = stay_services.transfer(
        request.auth, stay, site, payload.on, payload.reason, payload.details
    )
    return Status(201, moved.to_stay)


class ExitIn(Schema):
    on: datetime.date
    reason: ExitReason
    details: str = ""


@router.post("/stays/{stay_id}/exit", response=StayOut, summary="Enregistrer une sortie")
@api_requires(Capability.HOUSING_MEMBER, categories=[Category.IDENTITY, Category.HOUSING])
def record_exit(request: HttpRequest, stay_id: int, payload: ExitIn):
    stay = _stay(request, stay_id, Action.WRITE)
    return stay_services.record_exit(
        request.auth, stay, payload.on, payload.reason, payload.details
    )


class OccupancyOut(Schema):
    day: datetime.date
    group: str
    occupied: int | None
    capacity: int
    rate: float | None


@router.get("/occupancy", response=list[OccupancyOut], summary="Occupation quotidienne")
@api_requires(Capability.HOUSING)
def occupancy(
    request: HttpRequest,
    start: datetime.date,
    end: datetime.date,
    by: str = Query("consortium", pattern="^(consortium|organisation|kind|site)$"),
    consortium_id: int | None = None,
):
    """Daily occupancy over [start, end) (at most a year), for the coordination. The
    funder reads its publication (``housing.funders``) on the fixed grid: ``start``
    and ``end`` make an ended month, quarter or year (else 422 ``period_off_grid``), one
    row per month (``day`` is its first day) with the youths hosted on average and the
    rate as published (``null`` where masked) and the places opened on average, by member
    or kind of site (``by``), never by site (422 ``by_site_refused``) nor for the whole
    GME (422 ``by_consortium_refused``)."""
    consortium = _consortium(request, consortium_id)
    if not start < end <= start + datetime.timedelta(days=366):
        raise ValidationError({"end": "La période doit compter de 1 à 366 jours."})
    if not coordination_services.is_coordination(request.auth, consortium):
        if by not in funders.FUNDER_GROUPINGS:
            raise invalid_parameter(
                "by",
                "Le financeur lit l'occupation par membre ou par type d'hébergement, "
                "jamais par site ni pour le groupement entier.",
                code="by_site_refused" if by == "site" else "by_consortium_refused",
            )
        rows = funders.published_occupancy(request.auth, consortium, start, end, by)
        return [OccupancyOut(**row) for row in rows]
    labels = occupancy_selectors.group_labels(consortium, by)
    return [
        OccupancyOut(
            day=row.day,
            group=str(labels.get(row.key, row.key)),
            occupied=row.occupied,
            capacity=row.capacity,
            rate=row.rate,
        )
        for row in occupancy_selectors.daily_occupancy(consortium.pk, start, end, by=by)
    ]
