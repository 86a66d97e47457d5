"""Panels of the role home pages, contributed by the apps that own their data.

The home page belongs to ``organisations``, but what a referent or a counsellor needs first
(their youths, consents about to lapse, the CEJ-JR agenda…) lives in apps further down the
data flow, which this app must not import (docs/conventions.md: data flows one way). Those
apps register a :class:`HomePanel` when they are ready; the home view renders the panels of
the current role.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from coparcours.core.access import acting_membership, may


@dataclass(frozen=True)
class HomePanel:
    capability: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any]]
    order: int = 50


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    data: dict[str, Any]


_PANELS: list[HomePanel] = []


def register(panel: HomePanel) -> None:
    """Show a panel on the home page of those who hold its capability (called from an
    app's ``ready()``)."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(request: HttpRequest) -> list[RenderedPanel]:
    """The panels the acting membership may see, in order, with their data."""
    membership = acting_membership(request)
    return [
        RenderedPanel(panel.template, panel.context(request))
        for panel in sorted(_PANELS, key=lambda panel: panel.order)
        if may(membership, panel.capability)
    ]
