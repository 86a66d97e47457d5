"""The funder's placement requests and the coordination's queue: filing, reading,
proposing a place, the waiting list, cancelling, the search for free places."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.core.access import Category
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.housing.forms import AvailabilityForm, ProposalForm, RequestForm
from coparcours.housing.models.requests import PlacementRequest
from coparcours.housing.models.sites import Site
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.selectors import roles
from coparcours.housing.services import coordination as coordination_services
from coparcours.housing.services import requests as request_services
from coparcours.housing.views.common import coordinated_consortium, form_page, submit


@requires(Capability.HOUSING_REQUESTS)
def request_list(request: HttpRequest) -> HttpResponse:
    """The funder's requests and their status (the coordination sees all of its GME's)."""
    requests = request_selectors.requests_for(request.user).order_by("-created_at", "-pk")
    funder = roles.funded_consortia(request.user).order_by("name").first()
    is_funder = bool(roles.funder_organisation_ids(request.user))
    if not is_funder and not roles.coordinated_consortia(request.user).exists():
        raise PermissionDenied(
            "Les demandes de placement sont réservées au financeur et à la coordination."
        )
    return render(
        request,
        "housing/requests.html",
        {"requests": requests, "can_file": funder is not None},
    )


@requires(Capability.HOUSING_REQUEST_FILE, categories=[Category.IDENTITY])
def request_create(request: HttpRequest) -> HttpResponse:
    consortium = roles.funded_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied("Seul le service financeur du groupement dépose des demandes.")
    form = RequestForm(request.POST or None, initial={"requested_date": timezone.localdate()})
    filed = submit(
        request,
        form,
        lambda data: request_services.file_request(request.user, consortium, **data),
        "Votre demande est transmise à la coordination du groupement.",
    )
    if filed:
        return redirect("housing:request", pk=filed.pk)
    return form_page(
        request, form, f"Nouvelle demande de placement — {consortium.name}", "housing:requests"
    )


def _request_for(request: HttpRequest, pk: int) -> PlacementRequest:
    """A request the user may see (its funder or the coordination), or 404."""
    return get_object_or_404(request_selectors.requests_for(request.user), pk=pk)


@requires(Capability.HOUSING_REQUESTS, categories=[Category.IDENTITY])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    request_selectors.record_request_read(request.user, placement)
    coordination = coordination_services.is_coordination(request.user, placement.consortium)
    context: dict[str, Any] = {"placement": placement, "coordination": coordination}
    if coordination:
        start = placement.requested_date
        if start < timezone.localdate():
            start = timezone.localdate()
        age = request_services.request_age(placement, start)
        found = occupancy_selectors.availability(placement.consortium, start, age, placement.sex)
        context.update(
            {
                "ambiguous_matches": (
                    len(request_services.likely_known_youths(placement))
                    if placement.youth_id is None and placement.is_open
                    else 0
                ),
                "age": age,
                "search_start": start,
                "available": found,
                "proposals": placement.proposals.select_related("site__organisation"),
                "form": ProposalForm(
                    sites=Site.objects.filter(pk__in=[a.site.pk for a in found]),
                    initial={"entry_date": start},
                ),
            }
        )
    return render(request, "housing/request_detail.html", context)


@requires(Capability.HOUSING_QUEUE)
def request_propose(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    coordination_services.require_coordination(request.user, placement.consortium)
    form = ProposalForm(
        request.POST or None, sites=Site.objects.filter(consortium=placement.consortium)
    )
    proposal = submit(
        request,
        form,
        lambda data: request_services.propose(
            request.user, placement, data["site"], data["entry_date"]
        ),
        "La place est proposée au membre, qui doit l'accepter.",
    )
    if proposal:
        return redirect("housing:request", pk=placement.pk)
    return form_page(request, form, f"Proposer une place — {placement}", "housing:dashboard")


@requires(Capability.HOUSING_QUEUE)
@require_POST
def request_wait(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _request_for(request, pk)
    try:
        request_services.put_on_waiting_list(request.user, placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "La demande est inscrite en liste d'attente.")
    return redirect("housing:request", pk=placement.pk)


@requires(Capability.HOUSING_REQUESTS)
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a request (the funder's or the coordination's), after saying what it ends."""
    placement = _request_for(request, pk)
    if request.method == "POST":
        try:
            request_services.cancel_request(request.user, placement)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "La demande est annulée.")
        return redirect("housing:request", pk=placement.pk)
    if not placement.is_open:
        messages.info(request, "Cette demande n'est plus en cours : elle ne peut pas être annulée.")
        return redirect("housing:request", pk=placement.pk)
    return confirmation_page(
        request,
        Confirmation(
            title=f"Annuler la demande {placement.reference} ?",
            context=f"{placement.get_status_display()} — déposée le "
            f"{timezone.localtime(placement.created_at):%d/%m/%Y} par {placement.funder}",
            consequences=[
                "La demande sort de la file : aucune place ne sera plus cherchée pour ce jeune.",
                "Une proposition en attente ou acceptée est retirée ; le membre en est "
                "informé sur sa liste de propositions.",
                "L'annulation est définitive : pour ce jeune, il faudra déposer une nouvelle "
                "demande.",
            ],
            confirm="Annuler la demande",
            parent=f"Demande {placement.reference}",
            cancel_url=reverse("housing:request", args=[placement.pk]),
        ),
    )


@requires(Capability.HOUSING_QUEUE)
def availability(request: HttpRequest) -> HttpResponse:
    """Free places across all members for a date, an age and a sex."""
    consortium = coordinated_consortium(request)
    form = AvailabilityForm(request.GET or None)
    found = None
    if form.is_valid():
        data = form.cleaned_data
        found = occupancy_selectors.availability(
            consortium, data["start"], data["age"], data["sex"]
        )
    return render(
        request,
        "housing/availability.html",
        {"form": form, "found": found, "consortium": consortium},
    )
