"""The serious incidents' "À traiter" blocks of the home pages (docs/conventions.md, "Screens
by role"): for the coordination of a GME, the reports to acknowledge and the runaways whose
youth has not come back; for a member's staff, its incidents still followed. No youth is
named: the incident's page decides each name under the access policy. Each block costs one
query (its first rows read with their count)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability
from coparcours.housing.home_scope import acting_member_id, first_rows, led_consortia, plural
from coparcours.housing.models.incidents import (
    IncidentKind,
    IncidentStatus,
    SeriousIncident,
)
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone


def _label(incident: SeriousIncident) -> str:
    return f"{incident.get_kind_display()} — {incident.site.name}"


def _waiting_badge(hours: int) -> str:
    if hours < 1:
        return "signalé il y a moins d'une heure"
    if hours < 48:
        return f"signalé il y a {plural(hours, 'heure')}"
    return f"en attente depuis {plural(hours // 24, 'jour')}"


def to_acknowledge(request: HttpRequest) -> Todo | None:
    """Reports of the led GMEs' members the coordination has not acknowledged, the oldest
    first."""
    led = led_consortia(request)
    if led is None:
        return None
    now = timezone.now()
    incidents = (
        SeriousIncident.objects.filter(consortium_id__in=led, status=IncidentStatus.DECLARED)
        .select_related("site", "organisation")
        .order_by("created_at", "pk")
    )

    def row(incident: SeriousIncident) -> TodoRow:
        hours = int((now - incident.created_at).total_seconds() // 3600)
        return TodoRow(
            label=_label(incident),
            detail=f"{incident.organisation} · survenu le {incident.occurred_on:%d/%m/%Y}",
            badge=_waiting_badge(hours),
            tone=Tone.NEW if hours < 48 else Tone.LATE,
            url=reverse("housing:incident", args=[incident.pk]),
            action="Prendre en compte",
        )

    return first_rows(incidents, row, reverse("housing:incidents"))


def runaways_out(request: HttpRequest) -> Todo | None:
    """Runaways of the led GMEs whose youth has not come back, the longest gone first."""
    led = led_consortia(request)
    if led is None:
        return None
    today = timezone.localdate()
    incidents = (
        SeriousIncident.objects.filter(
            consortium_id__in=led, kind=IncidentKind.RUNAWAY, returned_on__isnull=True
        )
        .exclude(status=IncidentStatus.CLOSED)
        .select_related("site", "organisation")
        .order_by("occurred_on", "pk")
    )

    def row(incident: SeriousIncident) -> TodoRow:
        days = (today - incident.occurred_on).days
        return TodoRow(
            label=_label(incident),
            detail=f"{incident.organisation} · fugue du {incident.occurred_on:%d/%m/%Y}",
            badge=f"parti depuis {plural(days, 'jour')}" if days else "parti aujourd'hui",
            tone=Tone.URGENT,
            url=reverse("housing:incident", args=[incident.pk]),
            action="Suivre",
        )

    return first_rows(incidents, row, reverse("housing:incidents"))


def member_incidents(request: HttpRequest) -> Todo | None:
    """The acting member's incidents still followed: a runaway waits for the youth's return,
    another event for the coordination's acknowledgement, then its closing."""
    member = acting_member_id(request)
    if member is None:
        return None
    incidents = (
        SeriousIncident.objects.filter(organisation_id=member)
        .exclude(status=IncidentStatus.CLOSED)
        .select_related("site", "organisation")
        .order_by("occurred_on", "pk")
    )

    def row(incident: SeriousIncident) -> TodoRow:
        runaway = incident.is_runaway
        return TodoRow(
            label=_label(incident),
            detail=f"survenu le {incident.occurred_on:%d/%m/%Y}",
            badge="pas encore revenu" if runaway else incident.get_status_display().lower(),
            tone=Tone.URGENT if runaway else Tone.WAITING,
            url=reverse(
                "housing:incident_return" if runaway else "housing:incident", args=[incident.pk]
            ),
            action="Enregistrer le retour" if runaway else "Voir",
        )

    return first_rows(incidents, row, reverse("housing:incidents"))


BLOCKS = [
    TodoBlock(
        key="housing_incidents_declared",
        title="Événements graves à prendre en compte",
        capability=Capability.HOUSING_COORDINATION,
        find=to_acknowledge,
        empty="Tous les événements graves signalés sont pris en compte.",
        order=11,
    ),
    TodoBlock(
        key="housing_runaways",
        title="Fugues en cours",
        capability=Capability.HOUSING_COORDINATION,
        find=runaways_out,
        empty="Aucun jeune en fugue.",
        order=13,
    ),
    TodoBlock(
        key="housing_member_incidents",
        title="Événements graves suivis",
        capability=Capability.HOUSING_INCIDENTS_REPORT,
        find=member_incidents,
        empty="Aucun événement grave en cours de suivi.",
        order=24,
    ),
]
