"""How values are shown in French, on every page, PDF and export (docs/conventions.md,
"Enumerations and language"): amounts as on the invoices, end dates as the last day
included."""

from __future__ import annotations

import datetime
from decimal import Decimal


def euros(value: Decimal) -> str:
    """``Decimal("1234.5")`` → ``"1 234,50 €"`` (a narrow no-break space between thousands)."""
    sign = "-" if value < 0 else ""
    units, decimals = f"{abs(value):.2f}".split(".")
    grouped = f"{int(units):,}".replace(",", "\u202f")
    return f"{sign}{grouped},{decimals} €"


def last_day(end: datetime.date | None) -> datetime.date | None:
    """The last day of a period whose ``end`` is the first day excluded (docs/conventions.md,
    "Dates and periods"): what a person reads as "jusqu'au … inclus"."""
    return None if end is None else end - datetime.timedelta(days=1)
