"""Durations written out in French (the lockout page says how long to wait)."""

from __future__ import annotations

import datetime

from django import template

register = template.Library()


def _count(number: int, singular: str) -> str:
    return f"{number} {singular}{'s' if number > 1 else ''}"


@register.filter
def duree(value: datetime.timedelta | None) -> str:
    """``timedelta(minutes=90)`` → « 1 heure 30 minutes »; under a minute → « 1 minute »."""
    if value is None:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = [_count(hours, "heure")] if hours else []
    if minutes:
        parts.append(_count(minutes, "minute"))
    return " ".join(parts)
