"""Where a youth stands in each pathway, contributed by the apps that own the pathways.

The caseload filters by stage, but stages live in the apps downstream of youths (CEJ-JR
stages in ``cej``, hosting in ``housing``), which this app must not import
(docs/conventions.md: data flows one way). Each of those apps registers a
:class:`StageSource` when it is ready; the caseload asks the registry.

A stage is the owning app's data, in one category (the CEJ-JR stage is education and
employment, a stay is housing). Filtering by a stage must not reveal it to a user who may
not read that category: a youth matches only if the access policy lets the user read the
record that carries the stage.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from coparcours.core.access import Action, active_memberships, decide

#: Rows of the owning app's model at a stage on a day; each row must have ``youth_id`` and
#: ``author_organisation_id`` (the organisation whose record carries the stage).
StageRows = Callable[[str, datetime.date], QuerySet]


@dataclass(frozen=True)
class StageSource:
    key: str
    label: str
    category: str
    choices: tuple[tuple[str, str], ...]
    rows_at_stage: StageRows


_SOURCES: dict[str, StageSource] = {}


def register(source: StageSource) -> None:
    """Make a pathway's stages available to the caseload filter (called from ``ready()``)."""
    _SOURCES[source.key] = source


def choices() -> list[tuple[str, Any]]:
    """Grouped choices for a select: one group per pathway, values ``"<source>:<stage>"``."""
    return [("", "Toutes")] + [
        (source.label, [(f"{source.key}:{value}", label) for value, label in source.choices])
        for source in sorted(_SOURCES.values(), key=lambda source: source.label)
    ]


def _parse(value: str) -> tuple[StageSource, str] | None:
    key, _, stage = value.partition(":")
    source = _SOURCES.get(key)
    if source is None or stage not in dict(source.choices):
        return None
    return source, stage


def is_known(value: str) -> bool:
    return _parse(value) is not None


def at_stage(user: Any, youths: QuerySet, value: str, on: datetime.date) -> QuerySet:
    """The youths among ``youths`` at stage ``value`` on ``on`` whose stage the user may read.

    A constant number of queries whatever the number of youths: the stage rows, the
    access facts of the matching youths (two queries), the user's memberships.
    """
    from coparcours.youths.models.records import access_facts_for

    parsed = _parse(value)
    if parsed is None:
        return youths.none()
    source, stage = parsed
    rows = list(
        source.rows_at_stage(stage, on)
        .filter(youth__in=youths.values("pk"))
        .values_list("youth_id", "youth__owner_organisation_id", "author_organisation_id")
    )
    facts = access_facts_for({youth_id: owner_id for youth_id, owner_id, _ in rows}, on)
    memberships = active_memberships(user, on)
    readable = {
        youth_id
        for youth_id, _, author_id in rows
        if decide(
            memberships,
            facts[youth_id],
            source.category,
            Action.READ,
            author_organisation_id=author_id,
        )
        is not None
    }
    return youths.filter(pk__in=readable)
