"""What every steering table shares: the half-open :class:`Period` (docs/conventions.md),
the rounding of rates and means, and the CEJ-JR dashboards' partner filter."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class Period:
    """A half-open period ``[start, end)``."""

    start: datetime.date
    end: datetime.date  # excluded

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def month_starts(period: Period) -> list[datetime.date]:
    """The first day of each month the period touches."""
    months, month = [], period.start.replace(day=1)
    while month < period.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def rate(part: int, whole: int) -> float | None:
    """``part`` as a percentage of ``whole``, to one decimal (``None`` for no whole)."""
    return round(100 * part / whole, 1) if whole else None


def mean_present(youth_days: int, days: int) -> int:
    """Youths present on average over ``days``, rounded, but never 0 when someone was:
    a mean rounded to 0 would show a count of nobody beside a positive rate, and the
    masking, which hides 1 to 4 youths, would not see them."""
    if not youth_days or not days:
        return 0
    return max(1, round(youth_days / days))


def mean(values: list[int]) -> float | None:
    """The mean to one decimal (``None`` for no value)."""
    return round(statistics.mean(values), 1) if values else None


def as_date(value: datetime.date) -> datetime.date:
    """A truncated date as a date (a database may return a datetime)."""
    return value.date() if isinstance(value, datetime.datetime) else value


def partner_filter(path: str, organisation_ids: Iterable[int] | None) -> Q:
    """The dashboard's partner filter on a pathway (``path`` leads to it): pathways the
    organisation takes part in, as the porteur who recorded it or as the youth's mission
    locale (the porteur and the mission locale share the follow-up)."""
    if organisation_ids is None:
        return Q()
    ids = list(organisation_ids)
    return Q(**{f"{path}author_organisation_id__in": ids}) | Q(
        **{f"{path}mission_locale_id__in": ids}
    )
