"""The housing part of the coordinator's and the funder's home pages: one query at most.

The GMEs come from the home page's own ``consortia`` (already loaded with their members), so
the panel only counts requests (the coordination is the funder's single entry point).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, Q

from coparcours.housing.models import PlacementRequest
from coparcours.housing.models.requests import OPEN_REQUEST_STATUSES, RequestStatus
from coparcours.organisations.models import ConsortiumKind

register = template.Library()


def _counts(requests) -> dict[str, int]:
    return requests.aggregate(
        received=Count("pk", filter=Q(status=RequestStatus.RECEIVED)),
        waiting=Count("pk", filter=Q(status=RequestStatus.WAITING)),
        in_progress=Count(
            "pk", filter=Q(status__in=[RequestStatus.PROPOSED, RequestStatus.ACCEPTED])
        ),
        admitted=Count("pk", filter=Q(status=RequestStatus.ADMITTED)),
        open=Count("pk", filter=Q(status__in=OPEN_REQUEST_STATUSES)),
    )


@register.inclusion_tag("housing/_home_coordinator.html", takes_context=True)
def housing_coordination_summary(context: dict[str, Any]) -> dict[str, Any]:
    """Requests waiting for the coordination of the GMEs the current organisation leads."""
    organisation_id = context["request"].membership.organisation_id
    led = [
        consortium
        for consortium in context.get("consortia", [])
        if consortium.kind == ConsortiumKind.GME
        and any(
            member.is_lead and member.organisation_id == organisation_id
            for member in consortium.members.all()
        )
    ]
    counts = (
        _counts(PlacementRequest.objects.filter(consortium__in=[c.pk for c in led])) if led else {}
    )
    return {"led": led, "counts": counts}


@register.inclusion_tag("housing/_home_funder.html", takes_context=True)
def housing_funder_summary(context: dict[str, Any]) -> dict[str, Any]:
    """The status of the requests the current organisation filed, as counts."""
    organisation_id = context["request"].membership.organisation_id
    funded = [
        consortium
        for consortium in context.get("consortia", [])
        if consortium.kind == ConsortiumKind.GME and consortium.funder_id == organisation_id
    ]
    counts = _counts(PlacementRequest.objects.filter(funder_id=organisation_id)) if funded else {}
    return {"funded": funded, "counts": counts}
