"""Read queries of the orientations, scoped by the access policy: the orientations of the
partnerships where the user handles them (``orientations``), the pages they manage
(``orientation_pages``), the open pages the directory lists."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from coparcours.core.access import Capability, consortia_where
from coparcours.organisations.models import Consortium
from coparcours.orientations.models import WAITING, Orientation, OrientationPage


def orientations_for(user: Any) -> QuerySet[Orientation]:
    """The orientations of the partnerships where the user handles them, newest first."""
    return Orientation.objects.filter(
        consortium__in=consortia_where(user, Capability.ORIENTATIONS)
    ).select_related("consortium")


def waiting_for(user: Any) -> QuerySet[Orientation]:
    """Those still waiting for the porteur or the coordination, oldest first."""
    return orientations_for(user).filter(status__in=WAITING).order_by("created_at")


def managed_partnerships(user: Any) -> QuerySet[Consortium]:
    """The partnerships whose public page the user may open or close, with their page."""
    return (
        consortia_where(user, Capability.ORIENTATION_PAGES)
        .select_related("orientation_page")
        .order_by("name")
    )


def open_pages() -> QuerySet[OrientationPage]:
    """The pages open today on partnerships in force (the directory lists them)."""
    today = timezone.localdate()
    return (
        OrientationPage.objects.filter(is_open=True, consortium__start_date__lte=today)
        .filter(Q(consortium__end_date__isnull=True) | Q(consortium__end_date__gt=today))
        .select_related("consortium__funder")
        .order_by("consortium__name")
    )
