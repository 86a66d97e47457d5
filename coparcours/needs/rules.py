"""The rules of the register of unmet needs (docs/domain-rules.md, "Unmet needs"): pure
functions, the day passed by the caller."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable

#: A need open this many days without a referral waiting for an answer waits for its
#: referent on the home page (« À traiter »).
STALE_AFTER_DAYS = 60


def date_errors(
    since: datetime.date, closed_on: datetime.date | None, today: datetime.date
) -> dict[str, str]:
    """The French errors of a need's dates, by field: a need is noticed by today, and met
    or abandoned between the day it was noticed and today."""
    errors = {}
    if since > today:
        errors["since"] = "Un besoin se constate au plus tard aujourd'hui."
    if closed_on is not None:
        if closed_on < since:
            errors["closed_on"] = f"La date de fin précède le constat du besoin ({since:%d/%m/%Y})."
        elif closed_on > today:
            errors["closed_on"] = "La date de fin ne peut pas être dans le futur."
    return errors


def delay_days(since: datetime.date, closed_on: datetime.date) -> int:
    """Days from the need's notice to its answer."""
    return (closed_on - since).days


def median_delay(delays: Iterable[int]) -> float | None:
    """The median delay to an answer, rounded to the day (``None`` without any)."""
    found = list(delays)
    return round(statistics.median(found)) if found else None


def stale_before(today: datetime.date) -> datetime.date:
    """Needs noticed before this day, still open, have waited too long."""
    return today - datetime.timedelta(days=STALE_AFTER_DAYS)
