"""The coordination's desk (queue, waiting list, occupancy, majorities coming) and the
consortium's occupancy page (aggregates only)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing import charts, rules
from coparcours.housing.models.requests import PlacementRequest, RequestStatus
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.housing.selectors import requests as request_selectors
from coparcours.housing.selectors import roles
from coparcours.housing.selectors import sites as site_selectors
from coparcours.housing.selectors import stays as stay_selectors
from coparcours.housing.views.common import coordinated_consortium, staff_ids


@requires(Capability.HOUSING)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The coordination's desk: queue, waiting list, occupancy, majorities coming."""
    consortium = roles.coordinated_consortia(request.user).order_by("name").first()
    if consortium is None:
        if roles.funder_organisation_ids(request.user):
            return redirect("housing:requests")
        if staff_ids(request):
            return redirect("housing:proposals")
        raise PermissionDenied("L'hébergement du groupement n'est pas accessible à ce rôle.")
    settings_in_force = HousingSettings.in_force()
    by_member = occupancy_selectors.occupancy_today(
        consortium, "organisation", settings=settings_in_force
    )
    occupied = sum(g.occupied for g in by_member)
    capacity = sum(g.capacity for g in by_member)
    return render(
        request,
        "housing/dashboard.html",
        {
            "consortium": consortium,
            "waiting": list(request_selectors.waiting_list(consortium)),
            "in_progress": list(
                PlacementRequest.objects.filter(
                    consortium=consortium,
                    status__in=[RequestStatus.PROPOSED, RequestStatus.ACCEPTED],
                ).prefetch_related("proposals__site__organisation")
            ),
            "by_member": by_member,
            "total": occupancy_selectors.GroupOccupancy(
                consortium.name,
                occupied,
                capacity,
                rules.is_saturated(
                    occupied, capacity, settings_in_force.saturation_threshold_percent
                ),
            ),
            "threshold": settings_in_force.saturation_threshold_percent,
            "majorities": stay_selectors.coming_majorities(
                request.user, consortium, settings_in_force
            ),
            "alert_days": settings_in_force.coordinator_alert_days,
        },
    )


GROUPINGS = {"organisation": "Par membre", "kind": "Par type d'hébergement", "site": "Par site"}


@requires(Capability.HOUSING_QUEUE)
def occupancy(request: HttpRequest) -> HttpResponse:
    """Occupancy of the consortium: planned vs opened places, daily occupancy, heat-map,
    entries and exits per month (aggregates only)."""
    consortium = coordinated_consortium(request)
    by = request.GET.get("par", "organisation")
    if by not in GROUPINGS:
        by = "organisation"
    today = timezone.localdate()
    start = today - datetime.timedelta(days=364)
    end = today + datetime.timedelta(days=1)
    rows = occupancy_selectors.daily_occupancy(consortium.pk, start, end, by=by)
    whole = occupancy_selectors.daily_occupancy(consortium.pk, start, end, by="consortium")
    labels = occupancy_selectors.group_labels(consortium, by)
    capacity = site_selectors.capacity_history(consortium)
    return render(
        request,
        "housing/occupancy.html",
        {
            "consortium": consortium,
            "by": by,
            "groupings": GROUPINGS,
            "today_rows": occupancy_selectors.occupancy_today(consortium, by, today),
            "capacity": capacity,
            "capacity_chart": charts.capacity_chart(capacity, today),
            "occupancy_chart": charts.occupancy_chart(
                rows, labels, f"Jeunes hébergés chaque jour — {GROUPINGS[by].lower()}"
            ),
            "heatmap": charts.heatmap(whole, start, today),
            "movements": occupancy_selectors.monthly_movements(consortium, start.replace(day=1)),
            "threshold": HousingSettings.in_force(today).saturation_threshold_percent,
        },
    )
