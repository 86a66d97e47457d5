"""A record's access log as its reader may see it (CNIL référentiel 2021-028: who accessed
what and when; Code pénal 226-13).

A line names the category of the data accessed: shown in French to a reader the policy
grants that category, "information protégée" to anyone else, since the name alone tells
that such data exists (a health or justice file). The decision is the policy's pure one
(``core.access.decide``): viewing the log is audited once, by its duty, and no further.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from coparcours.core.access import AccessFacts, Action, Category, active_memberships, decide
from coparcours.core.models import AuditLog
from coparcours.youths.models import Consent, Youth

PROTECTED = "information protégée"
_CONSENT = Consent._meta.label


def readable_categories(
    memberships: Iterable[tuple[int, str]], facts: AccessFacts
) -> frozenset[str]:
    """The categories the memberships may read on the youth (pure)."""
    memberships = list(memberships)
    return frozenset(
        category
        for category in Category.values
        if decide(memberships, facts, category, Action.READ) is not None
    )


def category_label(category: str, readable: frozenset[str]) -> str:
    """A line's category for its reader: its French label, or protected (pure)."""
    if not category:
        return "—"
    return str(Category(category).label) if category in readable else PROTECTED


def lines_for_reader(user: Any, youth: Youth, lines: Iterable[AuditLog]) -> list[AuditLog]:
    """The log's lines, each with ``category_label`` for this reader and ``detail``: what
    was shared or withdrawn, for the lines about a consent (written by the services)."""
    today = timezone.localdate()
    readable = readable_categories(active_memberships(user, today), youth.access_facts(today))
    shown = list(lines)
    for line in shown:
        line.category_label = category_label(line.category, readable)
        line.detail = line.reason if line.object_type == _CONSENT else ""
    return shown
