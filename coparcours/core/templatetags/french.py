"""Template filters showing values in French (``coparcours.core.formats``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.core.exceptions import ValidationError

from coparcours.core import formats, phones
from coparcours.core.access import Category

register = template.Library()


@register.filter
def euros(value: Decimal | int | None) -> str:
    """``{{ amount|euros }}`` → ``1 234,50 €``; nothing shows a dash."""
    return "—" if value is None or value == "" else formats.euros(Decimal(value))


@register.filter
def last_day(end: datetime.date | None) -> datetime.date | None:
    """``{{ period.end|last_day|date:"d/m/Y" }} inclus``: the last day of a half-open period."""
    return formats.last_day(end)


@register.filter
def category_label(code: str) -> str:
    """A youth-data category's French name (``mental_health`` → « Santé mentale »); an
    audit line without a category shows a dash."""
    if not code:
        return "—"
    return Category(code).label if code in Category.values else code


@register.filter
def phone(value: str) -> str:
    """``{{ number|phone }}`` → ``06 12 34 56 78`` (with its country code abroad)."""
    return phones.readable(value) if value else ""


@register.filter
def tel(value: str) -> str:
    """``href="{{ number|tel }}"``: the number a phone dials on a tap."""
    try:
        return f"tel:{phones.international(value)}"
    except ValidationError:
        return f"tel:{value}"
