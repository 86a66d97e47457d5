"""The panel « Besoins sans réponse » of a youth's record: the open needs the reader may
read (their dimension, since when), and the way to the register of the youth's needs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from coparcours.core.access import Capability
from coparcours.needs import selectors
from coparcours.needs.models import NeedStatus
from coparcours.youths.record_panels import LinkedPanel, RecordPanel


def needs_panel(request: HttpRequest, youth: Any) -> LinkedPanel:
    """The youth's open needs the reader may read (the record page audited its
    categories; three queries)."""
    needs = [n for n in selectors.needs_glimpse(request.user, youth) if n.status == NeedStatus.OPEN]
    facts = [
        (need.get_dimension_display(), f"sans réponse depuis le {need.since:%d/%m/%Y}")
        for need in needs
    ]
    return LinkedPanel(
        facts=facts,
        links=[("Besoins sans réponse", reverse("needs:youth", args=[youth.pk]))],
        empty="Aucun besoin sans réponse que vous puissiez lire.",
    )


PANEL = RecordPanel(
    key="needs",
    title="Besoins sans réponse",
    capability=Capability.NEEDS,
    find=needs_panel,
    order=35,
)
