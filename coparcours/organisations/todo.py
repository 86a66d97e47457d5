"""The "À traiter" blocks of the home pages: what waits for the person, each row with its act.

What a referent, a coordinator or a finance officer has to do lives in apps further down
the data flow (CEJ-JR reviews, placement requests, invoices…), which this app must not
import. Those apps register a :class:`TodoBlock` in their ``ready()``; the home page shows
the blocks whose capability the acting membership holds (the access policy decides), in
order, each with its count and its first rows. A block's ``find`` returns ``None`` when the
block does not concern the membership at all (the follow-ups received, for an organisation
that is not a mission locale), so that the page never shows a block that cannot fill.

Each ``find`` costs a bounded number of queries whatever the volume (a count and the first
:data:`ROWS_SHOWN` rows); docs/conventions.md, "Screens by role", lists the blocks by role.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from coparcours.core.access import acting_membership, may

#: Rows shown in a block; the block's link leads to the rest.
ROWS_SHOWN = 5
#: "New" counts from the person's previous sign-in, or over these days without one.
NEW_SINCE_DAYS = 7


class Tone:
    """The badges' kinds (docs/conventions.md, "Badges"): each has its colour and its words."""

    LATE = "late"  # past its date: "en retard de 8 jours"
    URGENT = "urgent"  # due soon: "dans 2 jours"
    WAITING = "waiting"  # waiting for someone else: "sans réponse depuis 3 jours"
    NEW = "new"  # new since the last visit, unread
    INFO = "info"  # a plain fact worth a glance


@dataclass(frozen=True)
class TodoRow:
    """One thing to do: what it is, its act (a link; none for a notice the person may no
    longer follow, such as a youth they no longer see), and why it is urgent."""

    label: str
    url: str
    action: str
    detail: str = ""
    badge: str = ""
    tone: str = Tone.INFO


@dataclass(frozen=True)
class Todo:
    """A block's count and its first rows; ``more_url`` lists them all."""

    count: int
    rows: list[TodoRow]
    more_url: str = ""

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class TodoBlock:
    """A kind of thing waiting for the holders of ``capability``."""

    key: str
    title: str
    capability: str
    find: Callable[[HttpRequest], Todo | None]
    empty: str
    order: int = 50


@dataclass(frozen=True)
class PendingBlock:
    block: TodoBlock
    todo: Todo


_BLOCKS: dict[str, TodoBlock] = {}


def register(block: TodoBlock) -> None:
    """Show a block on the home page of those who hold its capability (an app's ``ready()``)."""
    _BLOCKS[block.key] = block


def registered() -> list[TodoBlock]:
    return sorted(_BLOCKS.values(), key=lambda block: (block.order, block.key))


def pending_for(request: HttpRequest) -> list[PendingBlock]:
    """The blocks the acting membership may see and that concern it, with their rows."""
    membership = acting_membership(request)
    found = []
    for block in registered():
        if not may(membership, block.capability):
            continue
        todo = block.find(request)
        if todo is not None:
            found.append(PendingBlock(block, todo))
    return found


def todo_of(
    rows: QuerySet[Any] | list[Any],
    to_row: Callable[[Any], TodoRow],
    *,
    more_url: str = "",
    count: int | None = None,
) -> Todo:
    """A block from its rows: a queryset is counted (one query) and its first rows read
    (one query); a list already read is taken as it is."""
    if isinstance(rows, list):
        total = len(rows) if count is None else count
        return Todo(total, [to_row(row) for row in rows[:ROWS_SHOWN]], more_url)
    total = rows.count() if count is None else count
    first = list(rows[:ROWS_SHOWN]) if total else []
    return Todo(total, [to_row(row) for row in first], more_url)


def days_phrase(days: int) -> str:
    """« aujourd'hui », « dans 3 jours », « en retard de 8 jours » (``days`` from today)."""
    if days == 0:
        return "aujourd'hui"
    if days > 0:
        return "demain" if days == 1 else f"dans {days} jours"
    late = -days
    return f"en retard de {late} jour{'s' if late > 1 else ''}"


def new_since(user: Any) -> datetime.datetime:
    """Since when something is "new" for the person: their previous sign-in, else
    :data:`NEW_SINCE_DAYS` ago."""
    previous = getattr(user, "previous_login", None)
    return previous or timezone.now() - datetime.timedelta(days=NEW_SINCE_DAYS)
