"""The housing panel of a youth's record: the current stay, its site and member, and the
majority to come, as far as the reader may read the stay's housing data (docs/access.md)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coparcours.core.access import Capability
from coparcours.housing.models.stays import Stay
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
