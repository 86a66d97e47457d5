"""The housing panels of a youth's record: the current stay, its site and member, and the
majority to come, as far as the reader may read the stay's housing data; and, for a hosted
minor, the road to 18 (schooling, the residence-permit file) as far as the reader may read
each part (docs/access.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability
from coparcours.housing.models.stays import Stay
from coparcours.housing.selectors import road18 as road_selectors
from coparcours.housing.selectors.stays import visible_stays
from coparcours.youths.record_panels import LinkedPanel, RecordPanel


def stay_panel(request: HttpRequest, youth: Any) -> LinkedPanel | None:
    """The youth's current (else last) stay the reader may read, or nothing."""
    stays = visible_stays(request.user, Stay.objects.filter(youth=youth), few_rows=True)
    if not stays:
        return None
    stay = max(stays, key=lambda s: (s.end_date is None, s.start_date, s.pk))
    facts = [
        ("Site", f"{stay.site.name} ({stay.site.organisation})"),
        ("Depuis le", f"{stay.start_date:%d/%m/%Y}"),
    ]
    if stay.end_date:
        facts.append(("Sorti·e le", f"{stay.end_date:%d/%m/%Y}"))
    elif youth.majority_date:
        facts.append(("Majorité le", f"{youth.majority_date:%d/%m/%Y}"))
    return LinkedPanel(
        facts=facts, links=[("Voir le séjour", reverse("housing:stay", args=[stay.pk]))]
    )


PANEL = RecordPanel(
    key="housing",
    title="Séjour dans le groupement",  # "Hébergement" is the youth's category of data
    capability=Capability.HOUSING_STAYS,
    find=stay_panel,
    order=20,
)


def road_panel(request: HttpRequest, youth: Any) -> LinkedPanel | None:
    """A hosted minor's current schooling and permit file, with the way to the timeline."""
    today = timezone.localdate()
    if youth.majority_date is None or youth.majority_date <= today:
        return None
    stays = visible_stays(
        request.user, Stay.objects.active(today).filter(youth=youth), few_rows=True
    )
    if not stays:
        return None
    road = road_selectors.road_of(request.user, stays[0])
    facts = []
    if road.schoolings:
        current = road.schoolings[0]
        facts.append(
            ("Scolarité", f"{current} ({current.level}) — {current.get_attendance_display()}")
        )
    elif road.schoolings is not None:
        facts.append(("Scolarité", "non renseignée"))
    if road.permit:
        facts.append(
            (
                "Titre de séjour",
                f"{road.permit.gathered} pièce(s) sur {len(road.permit.checklist)}, dépôt au plus "
                f"tard le {road.permit.deadline:%d/%m/%Y}",
            )
        )
    elif road.permit_readable:
        facts.append(("Titre de séjour", "préparation non ouverte"))
    return LinkedPanel(
        facts=facts,
        links=[("Voir le chemin vers 18 ans", reverse("housing:road18", args=[stays[0].pk]))],
    )


ROAD_PANEL = RecordPanel(
    key="housing_road18",
    title="Vers 18 ans",
    capability=Capability.HOUSING_ROAD_TO_18,
    find=road_panel,
    order=21,
)
