"""Panels of a youth's record for what concerns the youth elsewhere: the CEJ-JR pathway,
the stay and its site, the referrals to services. Those live in apps further down the data
flow, which this app must not import: each registers a :class:`RecordPanel` in its
``ready()``, and the record page shows the panels of the capabilities the acting
membership holds, each telling only what the reader may see (its ``find`` asks the access
policy, and returns ``None`` when there is nothing the reader may be told)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest

from coparcours.core.access import acting_membership, may


@dataclass(frozen=True)
class RecordPanel:
    key: str
    title: str
    capability: str
    find: Callable[[HttpRequest, Any], LinkedPanel | None]
    order: int = 50


@dataclass(frozen=True)
class LinkedPanel:
    """What a panel shows: facts (label, value), then links (label, address), the first
    one the panel's main act."""

    facts: list[tuple[str, str]] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)
    empty: str = ""


@dataclass(frozen=True)
class ShownPanel:
    panel: RecordPanel
    content: LinkedPanel


_PANELS: dict[str, RecordPanel] = {}


def register(panel: RecordPanel) -> None:
    """Show a panel on the records read by holders of its capability (an app's ``ready()``)."""
    _PANELS[panel.key] = panel


def panels_for(request: HttpRequest, youth: Any) -> list[ShownPanel]:
    """The panels of the youth's record the acting membership may see, in order."""
    membership = acting_membership(request)
    shown = []
    for panel in sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key)):
        if not may(membership, panel.capability):
            continue
        content = panel.find(request, youth)
        if content is not None:
            shown.append(ShownPanel(panel, content))
    return shown
