"""Pure rules of the GME money: months, day counting, cent-exact sharing, amounts as
written in French accounting files, and the default mapping of the French chart of
accounts to the administrative account's functional groups."""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from coparcours.finance.models import DayCount, FunctionalGroup

CENT = Decimal("0.01")
K = TypeVar("K", bound=Hashable)


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """The half-open period [first day, first day of the next month)."""
    start = datetime.date(year, month, 1)
    end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return start, end


def counting_window(
    start: datetime.date, end: datetime.date, day_count: str
) -> tuple[datetime.date, datetime.date]:
    """The window of stay days billed in [start, end) under the day-count rule.

    A stay occupies [entry, exit). Counting the entry day and not the exit day (default)
    bills the days of [entry, exit) that fall in the period; counting the exit day and not
    the entry day bills the days of [entry + 1, exit + 1), which is the same as intersecting
    [entry, exit) with the period moved one day earlier.
    """
    if day_count == DayCount.EXIT:
        one = datetime.timedelta(days=1)
        return start - one, end - one
    return start, end


def share_largest_remainder(total: Decimal, weights: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split ``total`` in proportion to ``weights``, to the cent, by the largest remainder
    (Hamilton) method: the shares always add up to ``total`` exactly (what the Département
    pays is passed on to the members, no more, no less).

    Each share is first rounded down to the cent; the cents left over go one by one to the
    largest remainders (ties: the order of ``weights``).
    """
    if total != total.quantize(CENT):
        raise ValueError("Le montant à répartir doit être au centime.")
    positive = {key: weight for key, weight in weights.items() if weight > 0}
    if not positive:
        raise ValueError("Aucune part à répartir.")
    weight_sum = sum(positive.values(), Decimal(0))
    exact = {key: total * weight / weight_sum for key, weight in positive.items()}
    shares = {key: value.quantize(CENT, rounding=ROUND_DOWN) for key, value in exact.items()}
    left = int((total - sum(shares.values(), Decimal(0))) / CENT)
    order = sorted(positive, key=lambda key: exact[key] - shares[key], reverse=True)
    for key in order[:left]:
        shares[key] += CENT
    return {key: shares.get(key, Decimal("0.00")) for key in weights}


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def parse_cents(text: str) -> int:
    """``"1234,5"`` → 123450. French decimal comma (a point is accepted), spaces as
    thousands separators; empty means zero. Raises ``ValueError`` with a French message.
    Written for speed: it runs twice per line of a 500,000-line FEC."""
    value = text.strip()
    if not value:
        return 0
    if " " in value or "\u00a0" in value or "\u202f" in value:
        value = value.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    units, separator, decimals = value.partition(",")
    if not separator:
        units, separator, decimals = value.partition(".")
    sign = 1
    if units[:1] in ("-", "+") and units:
        sign = -1 if units[0] == "-" else 1
        units = units[1:]
    if (
        _digits(units)
        and len(units) <= 13
        and (not separator or (_digits(decimals) and len(decimals) <= 2))
    ):
        return sign * (int(units) * 100 + (int(decimals.ljust(2, "0")) if separator else 0))
    raise ValueError(f"« {text.strip()[:30]} » n'est pas un montant (ex. 1234,56).")


def cents_to_decimal(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


#: Default mapping of the French chart of accounts (plan comptable général, as used in
#: the M22 instruction of the social and medico-social establishments) to the functional
#: groups of the administrative account (CASF R.314-13, R.314-14). Longest prefix wins;
#: the lead member overrides any account (``AccountMapping``).
DEFAULT_MAPPING: dict[str, str] = {
    "60": FunctionalGroup.EXPENSE_1,
    "611": FunctionalGroup.EXPENSE_1,
    "624": FunctionalGroup.EXPENSE_1,
    "625": FunctionalGroup.EXPENSE_1,
    "626": FunctionalGroup.EXPENSE_1,
    "628": FunctionalGroup.EXPENSE_1,
    "61": FunctionalGroup.EXPENSE_3,
    "62": FunctionalGroup.EXPENSE_3,
    "621": FunctionalGroup.EXPENSE_2,
    "622": FunctionalGroup.EXPENSE_2,
    "631": FunctionalGroup.EXPENSE_2,
    "633": FunctionalGroup.EXPENSE_2,
    "63": FunctionalGroup.EXPENSE_3,
    "64": FunctionalGroup.EXPENSE_2,
    "65": FunctionalGroup.EXPENSE_3,
    "66": FunctionalGroup.EXPENSE_3,
    "67": FunctionalGroup.EXPENSE_3,
    "68": FunctionalGroup.EXPENSE_3,
    "69": FunctionalGroup.EXPENSE_3,
    "73": FunctionalGroup.REVENUE_1,
    "70": FunctionalGroup.REVENUE_2,
    "71": FunctionalGroup.REVENUE_2,
    "72": FunctionalGroup.REVENUE_2,
    "74": FunctionalGroup.REVENUE_2,
    "75": FunctionalGroup.REVENUE_2,
    "76": FunctionalGroup.REVENUE_3,
    "77": FunctionalGroup.REVENUE_3,
    "78": FunctionalGroup.REVENUE_3,
    "79": FunctionalGroup.REVENUE_3,
}


def default_group(account: str) -> str:
    """The functional group of an account by the default mapping (balance-sheet accounts,
    classes 1 to 5, are outside the administrative account)."""
    for length in range(min(len(account), 4), 1, -1):
        group = DEFAULT_MAPPING.get(account[:length])
        if group is not None:
            return group
    return FunctionalGroup.EXCLUDED


def group_of(account: str, overrides: Mapping[str, str]) -> str:
    """The group of an account: the lead member's override, else the default mapping."""
    return overrides.get(account) or default_group(account)


def is_expense(group: str) -> bool:
    return group.startswith("expense")


def net_amount(group: str, debit: Decimal, credit: Decimal) -> Decimal:
    """An expense account counts its debit balance, a revenue account its credit balance."""
    return debit - credit if is_expense(group) else credit - debit
