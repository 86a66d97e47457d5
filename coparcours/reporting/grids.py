"""The fixed publication grid of a funder's figures (docs/decisions.md, « Funders' figures
on a fixed grid »).

A funder reads figures for whole calendar months, quarters and years that have ended,
never for a period of its choice nor for one still running: two overlapping periods, or
the same running month read on two days, would differ by a handful of youths, the very
counts the masking hides (differencing attack; Hundepool et al., *Statistical Disclosure
Control*, Wiley 2012, § 4.2 and 5.2). The roles inside a consortium keep their free
periods.

A grid period is written ``2026-11`` (a month), ``2026-T3`` (a quarter) or ``2026`` (a
year), in the dashboard's address, its exports, its copil report and the API.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from coparcours.reporting.indicators.common import Period

MONTH, QUARTER, YEAR = "mois", "trimestre", "année"
#: How far back the grid goes (a dashboard computes three years at most).
YEARS_BACK = 3
GRID_NAMES = "un mois (2026-11), un trimestre (2026-T3) ou une année (2026) terminés"

MONTH_NAMES = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]

_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|T(?P<quarter>[1-4])))?$")


class OffGrid(ValueError):
    """A period off the funders' grid, or one that has not ended: the French message names
    the grids."""


@dataclass(frozen=True)
class GridPeriod:
    kind: str
    start: datetime.date

    @property
    def end(self) -> datetime.date:
        months = {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]
        index = self.start.year * 12 + self.start.month - 1 + months
        return datetime.date(index // 12, index % 12 + 1, 1)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def key(self) -> str:
        if self.kind == MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == QUARTER:
            return f"{self.start.year}-T{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    @property
    def months(self) -> list[GridPeriod]:
        """The months that make the period."""
        count = {MONTH: 1, QUARTER: 3, YEAR: 12}[self.kind]
        first = self.start.year * 12 + self.start.month - 1
        return [
            GridPeriod(MONTH, datetime.date((first + n) // 12, (first + n) % 12 + 1, 1))
            for n in range(count)
        ]

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return f"{MONTH_NAMES[self.start.month - 1]} {self.start.year}"
        if self.kind == QUARTER:
            number = (self.start.month - 1) // 3 + 1
            return f"{number}{'er' if number == 1 else 'e'} trimestre {self.start.year}"
        return f"année {self.start.year}"


def parse(value: str, today: datetime.date) -> GridPeriod:
    """The grid period written ``value``, if it has ended by ``today`` (else :class:`OffGrid`)."""
    found = _PATTERN.match(value.strip())
    if found is None:
        raise OffGrid(f"Période « {value} » hors de la grille : choisissez {GRID_NAMES}.")
    year = int(found["year"])
    if found["month"]:
        month = int(found["month"])
        if not 1 <= month <= 12:
            raise OffGrid(f"Période « {value} » hors de la grille : choisissez {GRID_NAMES}.")
        grid = GridPeriod(MONTH, datetime.date(year, month, 1))
    elif found["quarter"]:
        grid = GridPeriod(QUARTER, datetime.date(year, 3 * int(found["quarter"]) - 2, 1))
    else:
        grid = GridPeriod(YEAR, datetime.date(year, 1, 1))
    if grid.end > today:
        raise OffGrid(
            f"La période « {grid.label} » n'est pas terminée : les chiffres des financeurs "
            "portent sur des périodes closes."
        )
    if grid.start.year < today.year - YEARS_BACK:
        raise OffGrid(
            f"La période « {grid.label} » est trop ancienne : les {YEARS_BACK} dernières "
            "années sont publiées."
        )
    return grid


def of_period(period: Period, today: datetime.date) -> GridPeriod:
    """The grid period that ``period`` is exactly (``start`` and ``end`` of the API), else
    :class:`OffGrid`."""
    for kind in (MONTH, QUARTER, YEAR):
        grid = GridPeriod(kind, period.start)
        if period.start.day == 1 and grid.end == period.end and _aligned(grid):
            return parse(grid.key, today)
    raise OffGrid(
        f"Période du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y} hors de la grille : "
        f"choisissez {GRID_NAMES}."
    )


def _aligned(grid: GridPeriod) -> bool:
    if grid.kind == QUARTER:
        return grid.start.month % 3 == 1
    if grid.kind == YEAR:
        return grid.start.month == 1
    return True


def published(today: datetime.date) -> list[GridPeriod]:
    """Every grid period a funder may read on ``today``, the most recent first: the ended
    years, quarters and months of the last :data:`YEARS_BACK` years."""
    first = today.year - YEARS_BACK
    found = []
    for year in range(today.year, first - 1, -1):
        found.append(GridPeriod(YEAR, datetime.date(year, 1, 1)))
        found += [GridPeriod(QUARTER, datetime.date(year, m, 1)) for m in (10, 7, 4, 1)]
        found += [GridPeriod(MONTH, datetime.date(year, m, 1)) for m in range(12, 0, -1)]
    return [grid for grid in found if grid.end <= today]


def default(today: datetime.date) -> GridPeriod:
    """The last quarter that has ended."""
    return next(grid for grid in published(today) if grid.kind == QUARTER)
