"""How a dashboard cell is printed on the page and in the copil PDF: amounts of money as
on the invoices (``1 234,50 €``), nothing as a dash, the rest as it is; and which cells
and columns are numbers, right-aligned in the page's tables (``class="num"``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django import template

from coparcours.core.formats import euros
from coparcours.reporting.tables import MASKED, SECRET

register = template.Library()


@register.filter
def cell(value: object) -> object:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return euros(value)
    return value


@register.filter
def is_number(value: object) -> bool:
    """A count, a rate, an average or an amount, or the marker shown in a masked count's
    place (« < 5 », « s »); a boolean is no number."""
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float | Decimal) or value in (MASKED, SECRET)


@register.filter
def numeric_columns(rows: Iterable[Sequence[object]]) -> set[int]:
    """The columns after the row labels (the first) whose cells are all numbers or empty
    (``None``, ``""``: a total row's figure that adds nothing up), with at least one number:
    their headers and their empty cells are aligned as numbers."""
    numbers: set[int] = set()
    others: set[int] = set()
    for row in rows:
        for index, value in enumerate(row):
            if index and value not in (None, ""):
                (numbers if is_number(value) else others).add(index)
    return numbers - others
