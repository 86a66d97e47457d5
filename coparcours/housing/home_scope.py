"""What the GME housing's "À traiter" blocks share (``housing.home``,
``housing.home_incidents``): the GMEs the acting organisation coordinates or is a member of,
read once per request, and a block's first rows read with their total in one query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest

from coparcours.core.access import acting_membership
from coparcours.housing.selectors import roles
from coparcours.organisations.models import Standing, consortia_with_standing
from coparcours.organisations.todo import ROWS_SHOWN, Todo, TodoRow, todo_of


def plural(count: int, word: str) -> str:
    """« 1 jour », « 3 jours »."""
    return f"{count} {word}{'s' if count > 1 else ''}"


def first_rows(queryset: QuerySet[Any], to_row: Callable[[Any], TodoRow], more_url: str) -> Todo:
    """The block's first rows and their total in one query (a count over the whole
    selection, read with the rows). The queryset must not repeat a row (no ``distinct``)."""
    rows = list(queryset.annotate(todo_total=Window(Count("pk")))[:ROWS_SHOWN])
    total = rows[0].todo_total if rows else 0
    return todo_of(rows, to_row, more_url=more_url, count=total)


def led_consortia(request: HttpRequest) -> list[int] | None:
    """The GMEs led by the acting organisation whose coordination the user works in (their
    ids, read once for the blocks of one page), or ``None`` when the organisation leads no
    GME."""
    membership = acting_membership(request)
    if membership is None or Standing.GME_LEAD not in membership.standings:
        return None
    found = request.__dict__.get("_housing_led_consortia")
    if found is None:
        found = list(
            roles.coordinated_consortia(request.user)
            .filter(consortia_with_standing(Standing.GME_LEAD, [membership.organisation_id]))
            .order_by("name", "pk")
            .values_list("pk", flat=True)
        )
        request.__dict__["_housing_led_consortia"] = found
    return found


def acting_member_id(request: HttpRequest) -> int | None:
    """The acting organisation when it is a member of a GME, else ``None``."""
    membership = acting_membership(request)
    if membership is None or Standing.GME_MEMBER not in membership.standings:
        return None
    return membership.organisation_id
