"""How a dashboard cell is printed on the page and in the copil PDF: amounts of money as
on the invoices (``1 234,50 €``), nothing as a dash, the rest as it is."""

from __future__ import annotations

from decimal import Decimal

from django import template

from coparcours.finance.rules import euros

register = template.Library()


@register.filter
def cell(value: object) -> object:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return euros(value)
    return value
