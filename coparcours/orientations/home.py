"""The « À traiter » block of the orientations: those received from partners and still
waiting for the porteur or the coordination (docs/conventions.md, "Screens by role"). Rows
name the reference and the orienting structure, never the youth. One query."""

from __future__ import annotations

from django.db.models import Count, Window
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability
from coparcours.organisations.todo import (
    ROWS_SHOWN,
    Todo,
    TodoBlock,
    TodoRow,
    Tone,
    todo_of,
)
from coparcours.orientations.models import Orientation, OrientationStatus
from coparcours.orientations.selectors import waiting_for

#: A received orientation left this many days is late: the partner waits for a contact.
LATE_AFTER_DAYS = 7


def _row(orientation: Orientation) -> TodoRow:
    waited = (timezone.localdate() - orientation.status_since).days
    received = orientation.status == OrientationStatus.RECEIVED
    late = received and waited > LATE_AFTER_DAYS
    return TodoRow(
        label=f"{orientation.reference} — {orientation.partner_structure}",
        url=reverse("orientations:detail", args=[orientation.pk]),
        action="Traiter",
        detail=orientation.consortium.name,
        badge=(f"reçue il y a {waited} jours" if late else orientation.get_status_display()),
        tone=Tone.LATE if late else (Tone.NEW if received else Tone.WAITING),
    )


def waiting_orientations(request: HttpRequest) -> Todo | None:
    """The first rows and, beside each, how many wait in all: one query."""
    rows = list(waiting_for(request.user).annotate(waiting_count=Window(Count("pk")))[:ROWS_SHOWN])
    count = rows[0].waiting_count if rows else 0
    return todo_of(rows, _row, count=count, more_url=reverse("orientations:list"))


RECEIVED_BLOCK = TodoBlock(
    key="orientations_received",
    title="Orientations reçues des partenaires",
    capability=Capability.ORIENTATIONS,
    find=waiting_orientations,
    empty="Aucune orientation en attente.",
    order=15,
)
