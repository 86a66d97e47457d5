"""The orientation panel of a youth's record: the referrals the reader's organisations sent
for the youth and their answers, and the way to the orientation helper (services and
schemes that fit the youth)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability
from coparcours.directory import selectors
from coparcours.youths.record_panels import LinkedPanel, RecordPanel

#: Referrals listed on the record; the orientation page lists them all.
SHOWN = 3


def referrals_panel(request: HttpRequest, youth: Any) -> LinkedPanel:
    """The latest referrals sent by the reader's organisations (one query)."""
    referrals = list(selectors.referrals_for_youth(request.user, youth)[:SHOWN])
    facts = [
        (
            referral.service.nom,
            f"{referral.get_status_display()} — envoyée le "
            f"{timezone.localtime(referral.created_at):%d/%m/%Y}",
        )
        for referral in referrals
    ]
    return LinkedPanel(
        facts=facts,
        links=[("Chercher un service", reverse("directory:orientation", args=[youth.pk]))],
        empty="Aucune orientation envoyée par votre organisation.",
    )


PANEL = RecordPanel(
    key="directory",
    title="Orientations",
    capability=Capability.YOUTH_RECORDS,
    find=referrals_panel,
    order=30,
)
