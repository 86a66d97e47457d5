"""A funder's figures, published a year at a time and audited as one (docs/decisions.md,
32).

A funder reads every grid period of a year (:mod:`.grids`: its ended months, quarters and
the year itself), for each consortium it funds and for all of them together. A count
hidden in one of those tables must not come back from the others: a quarter's exits are
its months' exits added up, a month's row of entries reads the same in the quarter's
table, the consortia's funnel together is the sum of each one's. So the suppression
pattern (:mod:`.secrecy`) is decided over every table of the year at once, with the
relations a reader knows between them (``Table.over_time``, the consortia added up,
:data:`BETWEEN_TABLES`) beside each table's own.

A year's publication is computed when a funder first reads it after one of its periods
has ended (or by the monthly job, :mod:`.tasks`), stored (:class:`FunderPublication`) and
served as stored until the next period ends: a funder reads the same figures all month
long. The next publication recomputes the figures (late entries revise them) and keeps
suppressed every count suppressed in the previous one, so that a revision does not show
what was hidden.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from coparcours.organisations.models import Consortium, ConsortiumKind
from coparcours.reporting import grids, secrecy
from coparcours.reporting.indicators.cej import cej_tables
from coparcours.reporting.indicators.gme import gme_tables
from coparcours.reporting.indicators.needs import flow_table
from coparcours.reporting.models import FunderPublication
from coparcours.reporting.tables import (
    ADDS_UP,
    AVERAGED,
    SAME_ROWS,
    Audited,
    Table,
    audited,
    shown,
)

#: The view of every consortium a funder funds, together.
ALL = "tous"

#: A count's place in a publication: view, period, table, row (its labels), column.
Key = tuple[str, str, str, tuple[str, ...], int]

#: Relations between two tables of the same dashboard: the counts of the first table's
#: row never exceed the second's (the exits after a contract are among all the exits).
BETWEEN_TABLES = [
    (("Durées des parcours", ("Du contrat à la sortie",), 1), ("Sorties par issue", ("Total",), 1)),
]


@dataclass
class _Published:
    """One table of the publication: its view and period, as computed, and its audit."""

    view: str
    grid: grids.GridPeriod
    table: Table
    audit: Audited

    def key(self, row: int, column: int) -> Key:
        labels = tuple(str(self.audit.rows[row][c]) for c in self.table.label_columns)
        return (self.view, self.grid.key, self.table.title, labels, column)


def views(consortia: Sequence[Consortium]) -> list[tuple[str, list[Consortium]]]:
    """What a funder may choose to read: each consortium, and all of them when several."""
    found = [(str(c.pk), [c]) for c in consortia]
    return [*found, (ALL, list(consortia))] if len(consortia) > 1 else found


def view_of(consortia: Sequence[Consortium], chosen: Consortium | None) -> str:
    if chosen is not None:
        return str(chosen.pk)
    return ALL if len(consortia) > 1 else str(consortia[0].pk)


def funder_tables(
    consortia: Sequence[Consortium],
    chosen: Consortium | None,
    grid: grids.GridPeriod,
    today: datetime.date,
) -> list[Table]:
    """The published tables of ``grid`` for the funder of ``consortia`` (the chosen one, or
    all of them): the year's publication as stored, computed first if a period ended since."""
    return read(published(consortia, grid.start.year, today), consortia, chosen, grid)


def read(
    publication: FunderPublication,
    consortia: Sequence[Consortium],
    chosen: Consortium | None,
    grid: grids.GridPeriod,
) -> list[Table]:
    """The tables of ``grid`` in a year's ``publication`` (read once for several periods)."""
    found = publication.tables.get(view_of(consortia, chosen), {}).get(grid.key, [])
    return [Table.from_json(table) for table in found]


def published(
    consortia: Sequence[Consortium], year: int, today: datetime.date
) -> FunderPublication:
    """The year's publication for ``consortia``, as of the last period ended by ``today``."""
    consortia = sorted(consortia, key=lambda c: c.pk)
    scope = ",".join(str(c.pk) for c in consortia)
    periods = [grid for grid in grids.published(today) if grid.start.year == year]
    previous = FunderPublication.objects.filter(scope=scope, year=year).first()
    if previous is not None and previous.periods == [grid.key for grid in periods]:
        return previous
    kept = [_key(cell) for cell in previous.suppressed] if previous else []
    tables, suppressed = publish(consortia, periods, today, kept)
    try:
        with transaction.atomic():
            publication, _ = FunderPublication.objects.update_or_create(
                scope=scope,
                year=year,
                defaults={
                    "periods": [grid.key for grid in periods],
                    "tables": tables,
                    "suppressed": [list(cell) for cell in suppressed],
                },
            )
    except IntegrityError:  # another reader published the same year meanwhile
        return FunderPublication.objects.get(scope=scope, year=year)
    return publication


def _key(stored: list) -> Key:
    view, period, title, labels, column = stored
    return (view, period, title, tuple(labels), column)


def publish(
    consortia: Sequence[Consortium],
    periods: Sequence[grids.GridPeriod],
    today: datetime.date,
    kept: Iterable[Key] = (),
) -> tuple[dict[str, dict[str, list[dict]]], list[Key]]:
    """Every table of ``periods`` for each view of ``consortia``, masked as one: the
    tables in JSON per view and period, and the cells suppressed."""
    published = [
        _Published(view, grid, table, audited(table))
        for view, selected in views(consortia)
        for grid in periods
        for table in _tables(selected, grid, today)
    ]
    values: dict[Key, int] = {}
    relations: list[secrecy.Relation] = []
    totals: set[Key] = set()
    for item in published:
        values.update({item.key(*cell): value for cell, value in item.audit.values.items()})
        totals |= {item.key(*cell) for cell in item.audit.totals}
        relations += [
            secrecy.Relation(
                tuple((item.key(*cell), c) for cell, c in relation.terms), relation.equal
            )
            for relation in item.audit.relations
        ]
    places = _cells_by_place(values)
    relations += _over_time(published, places, values)
    relations += _over_consortia(published, places)
    relations += _between_tables(values)
    pattern = secrecy.suppress(values, relations, totals, kept)
    tables: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for item in published:
        suppressed = {
            cell: pattern[item.key(*cell)]
            for cell in item.audit.values
            if item.key(*cell) in pattern
        }
        masked = shown(item.table, item.audit.rows, suppressed)
        tables[item.view][item.grid.key].append(masked.as_json())
    return {view: dict(found) for view, found in tables.items()}, sorted(pattern)


def _tables(
    selected: list[Consortium], grid: grids.GridPeriod, today: datetime.date
) -> list[Table]:
    gmes = [c for c in selected if c.kind == ConsortiumKind.GME]
    partnerships = [c for c in selected if c.kind == ConsortiumKind.CEJ_JR]
    period = grid.period
    return (
        (gme_tables(gmes, period, today) if gmes else [])
        + (cej_tables(partnerships, period, today, masked_voice=False) if partnerships else [])
        + [flow_table(selected, period)]
    )


def _parts(grid: grids.GridPeriod, periods: dict[str, grids.GridPeriod]) -> list[str] | None:
    """The periods that make ``grid`` (a quarter's months, a year's quarters), if all are
    published."""
    if grid.kind == grids.QUARTER:
        keys = [month.key for month in grid.months]
    elif grid.kind == grids.YEAR:
        keys = [grids.GridPeriod(grids.QUARTER, month.start).key for month in grid.months[::3]]
    else:
        return None
    return keys if all(key in periods for key in keys) else None


def _cells_by_place(values: dict[Key, int]) -> dict[tuple[str, str, str], dict]:
    """The counts of each table of each view and period, by (row labels, column)."""
    found: dict[tuple[str, str, str], dict] = defaultdict(dict)
    for key in values:
        view, period, title, labels, column = key
        found[(view, period, title)][(labels, column)] = key
    return found


def _adds_up(whole: dict, pieces: list[dict], place: tuple) -> secrecy.Relation:
    """The count at ``place`` of ``whole`` is the sum of the pieces' (a place missing from a
    table, a row it does not have, counts 0)."""
    terms = [(whole[place], 1)] if place in whole else []
    terms += [(piece[place], -1) for piece in pieces if place in piece]
    return secrecy.Relation(tuple(terms))


def _over_time(
    published: list[_Published], places: dict[tuple, dict], values: dict[Key, int]
) -> list[secrecy.Relation]:
    """The relations between a period's tables and its months' (``Table.over_time``)."""
    periods = {item.grid.key: item.grid for item in published}
    kinds = {(item.view, item.table.title): item.table.over_time for item in published}
    found = []
    for (view, title), over_time in kinds.items():
        if over_time == SAME_ROWS:
            found += _same_rows(view, title, periods, places)
        elif over_time in (ADDS_UP, AVERAGED):
            found += _over_parts(view, title, over_time, periods, places, values)
    return found


def _same_rows(
    view: str, title: str, periods: dict[str, grids.GridPeriod], places: dict[tuple, dict]
) -> list[secrecy.Relation]:
    """Tie each row (but the total) of a ``SAME_ROWS`` table to the same row in the other
    periods: it reads the same in each."""
    found = []
    seen: dict[tuple, Key] = {}
    for period in periods:
        for place, key in places.get((view, period, title), {}).items():
            if place[0][0] == "Total":
                continue
            if place in seen:
                found.append(secrecy.total(seen[place], [key]))
            seen.setdefault(place, key)
    return found


def _over_parts(
    view: str,
    title: str,
    over_time: str,
    periods: dict[str, grids.GridPeriod],
    places: dict[tuple, dict],
    values: dict[Key, int],
) -> list[secrecy.Relation]:
    """Relate each period's counts to its parts': their sum (``ADDS_UP``) or their
    days-weighted average (``AVERAGED``)."""
    found = []
    for period, grid in periods.items():
        parts = _parts(grid, periods)
        if parts is None:
            continue
        whole = places.get((view, period, title), {})
        pieces = [places.get((view, part, title), {}) for part in parts]
        for place in set(whole).union(*pieces):
            if over_time == ADDS_UP:
                found.append(_adds_up(whole, pieces, place))
            else:
                found += _averaged(
                    grid, whole.get(place), [periods[p] for p in parts], pieces, place, values
                )
    return found


def _averaged(
    grid: grids.GridPeriod,
    whole: Key | None,
    parts: list[grids.GridPeriod],
    pieces: list[dict],
    place: tuple,
    values: dict[Key, int],
) -> list[secrecy.Relation]:
    """A period's average is its parts' averages weighted by their days, each rounded
    (``indicators.common.mean_present``: to the unit, a positive mean to 1 at least):
    |days × whole − Σ days × part| ≤ the rounding's error."""
    terms = [(whole, grid.period.days)] if whole else []
    terms += [
        (piece[place], -part.period.days)
        for part, piece in zip(parts, pieces, strict=True)
        if place in piece
    ]
    if not terms:
        return []
    error = sum(abs(days) * (1 if values[key] == 1 else 0.5) for key, days in terms if values[key])
    return [
        secrecy.Relation(tuple(terms), equal=False, bound=error),
        secrecy.Relation(tuple((key, -days) for key, days in terms), equal=False, bound=error),
    ]


def _over_consortia(
    published: list[_Published], places: dict[tuple, dict]
) -> list[secrecy.Relation]:
    """The view of all the consortia against each one's: the same rows where rows are per
    consortium, else each count the sum of the consortia's."""
    tables = {(item.view, item.grid.key, item.table.title): item.table for item in published}
    found = []
    for (view, period, title), table in tables.items():
        if view != ALL:
            continue
        whole = places.get((view, period, title), {})
        pieces = [
            places.get((other, period, title), {})
            for other, other_period, other_title in tables
            if other != ALL and other_period == period and other_title == title
        ]
        for place in set(whole).union(*pieces):
            if table.per_consortium:
                if place[0][0] != "Total" and place in whole:
                    found += [secrecy.total(whole[place], [p[place]]) for p in pieces if place in p]
                continue
            found.append(_adds_up(whole, pieces, place))
    return found


def _between_tables(values: dict[Key, int]) -> list[secrecy.Relation]:
    found = []
    for key in values:
        view, period, title, labels, column = key
        for (part_title, part_row, part_column), (
            whole_title,
            whole_row,
            whole_column,
        ) in BETWEEN_TABLES:
            whole = (view, period, whole_title, whole_row, whole_column)
            if (title, labels, column) == (part_title, part_row, part_column) and whole in values:
                found.append(secrecy.at_most([key], whole))
    return found
