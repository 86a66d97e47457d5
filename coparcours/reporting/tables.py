"""The steering tables and the single rule of what a funder sees of them.

The funder and the steering bodies see aggregates only, with small counts masked
(docs/domain-rules.md, "Masking of small counts"; docs/decisions.md, 31):

1. a count of 1 to 4 youths is shown as ``"< 5"`` (0 and 5 or more are shown as they are);
2. more counts are shown as ``"s"`` (secret) until none of those can be recomputed or
   narrowed from what the table shows and the relations between its cells (a total is the
   sum of its column, a part never exceeds its whole, a funnel's step never counts more
   than the step before): :mod:`.secrecy`; a total is never shown ``"< 5"``;
3. a rate or an average is secret when one of the counts it rests on is suppressed, or
   when it rests on fewer than 5 youths.

:func:`mask_table` applies that rule to one table (the youths' anonymous answers, for every
reader); a funder's tables are masked together, a year at a time, by
:mod:`.publication` (docs/decisions.md, 32), from which its dashboard, exports, charts,
copil report and API read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from coparcours.core.masking import SMALL_COUNT_BOUND, is_small_count
from coparcours.reporting import secrecy

MASKED = "< 5"
SECRET = "s"

Cell = int | float | str | None


def mask_count(value: int) -> int | str:
    """Rule 1: a count of 1 to 4 is shown as "< 5"."""
    return MASKED if is_small_count(value) else value


def mask_derived(value: Cell, counts: Iterable[int]) -> Cell:
    """Rule 3: a rate or average over ``counts`` is secret when one of them is masked, or
    when the youths counted are fewer than 5 in all."""
    counts = list(counts)
    if any(is_small_count(c) for c in counts):
        return SECRET
    if value is not None and sum(counts) and sum(counts) <= SMALL_COUNT_BOUND:
        return SECRET
    return value


@dataclass
class Table:
    """A table of counts: labelled rows of integer cells, optional row and column totals.

    ``counts`` marks the columns holding counts of youths (the others, rates or averages,
    name in ``basis`` the count column they were computed from). The relations that hold
    in every row, which a reader could use to recompute a masked count: ``row_sums`` (a
    column is the sum of others), ``row_parts`` (columns that together never exceed
    another); ``within_first``: count columns whose rows never exceed the first row (a
    funnel's steps, among the youths of its first). A ``total_row``'s cells are the sums
    of their columns.

    ``over_time`` says how a row's counts relate between a period and the months that
    make it, as a funder reading every grid period knows: :data:`ADDS_UP` (events dated
    in the period: a quarter's count is the sum of its months'), :data:`SAME_ROWS` (rows
    that are months or today's snapshot: the same row reads the same in every period),
    :data:`AVERAGED` (an average over the period's days, rounded: the days-weighted mean of
    its months', give or take the rounding), ``""``: no relation a reader can use (a count
    of distinct youths, weeks straddling two months).
    """

    title: str
    headers: list[str]
    rows: list[list[Any]]
    counts: set[int] = field(default_factory=set)
    basis: dict[int, list[int]] = field(default_factory=dict)
    total_row: bool = False
    chart: list[int] = field(default_factory=list)  # columns drawn (counts by default)
    row_sums: list[tuple[int, tuple[int, ...]]] = field(default_factory=list)
    row_parts: list[tuple[tuple[int, ...], int]] = field(default_factory=list)
    within_first: set[int] = field(default_factory=set)
    over_time: str = ""

    @property
    def per_consortium(self) -> bool:
        """Rows per consortium (else the consortia's figures added up in each row)."""
        return self.headers[0] in ("Groupement", "Partenariat")

    @property
    def charted(self) -> list[int]:
        return self.chart or sorted(self.counts)

    @property
    def label_columns(self) -> list[int]:
        first = min([*self.charted, *self.counts, *self.basis], default=1)
        return list(range(first))

    def with_rows(self, rows: list[list[Any]]) -> Table:
        """The same table, relations and all, with other rows (its total row included)."""
        return replace(self, rows=rows, total_row=False)

    def as_json(self) -> dict[str, Any]:
        """The table in JSON's types (a publication's storage)."""
        return {
            **asdict(self),
            "counts": sorted(self.counts),
            "basis": {str(k): v for k, v in self.basis.items()},
            "within_first": sorted(self.within_first),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(
            **{
                **data,
                "counts": set(data["counts"]),
                "basis": {int(k): v for k, v in data["basis"].items()},
                "within_first": set(data["within_first"]),
                "row_sums": [(whole, tuple(parts)) for whole, parts in data["row_sums"]],
                "row_parts": [(tuple(parts), whole) for parts, whole in data["row_parts"]],
            }
        )


#: ``Table.over_time``: how a row's counts relate between a period and its months.
ADDS_UP, SAME_ROWS, AVERAGED = "adds_up", "same_rows", "averaged"


def _total_row(table: Table) -> list[Any]:
    total = ["Total"] + [""] * (len(table.headers) - 1)
    for index in table.counts:
        total[index] = sum(row[index] for row in table.rows if isinstance(row[index], int))
    return total


def relations(table: Table, rows: list[list[Any]]) -> list[secrecy.Relation]:
    """The relations between the count cells of ``rows`` (the table's, its total row last
    when it has one) that a reader knows."""
    counted = [
        (r, c) for r, row in enumerate(rows) for c in table.counts if isinstance(row[c], int)
    ]
    cells = set(counted)
    body = range(len(rows) - 1 if table.total_row else len(rows))
    return [
        *_within_rows(table, rows, cells),
        *_within_first(table, body, cells),
        *_total_row_sums(table, rows, body, cells),
    ]


def _within_rows(
    table: Table, rows: list[list[Any]], cells: set[tuple[int, int]]
) -> list[secrecy.Relation]:
    """Relate the cells of each row: a column the sum of others, parts within their whole."""
    found = []
    for r in range(len(rows)):
        for whole, parts in table.row_sums:
            if {(r, whole), *((r, p) for p in parts)} <= cells:
                found.append(secrecy.total((r, whole), [(r, p) for p in parts]))
        for parts, whole in table.row_parts:
            if {(r, whole), *((r, p) for p in parts)} <= cells:
                found.append(secrecy.at_most([(r, p) for p in parts], (r, whole)))
    return found


def _within_first(table: Table, body: range, cells: set[tuple[int, int]]) -> list[secrecy.Relation]:
    """Bound each row of a ``within_first`` column by the column's first row (a funnel)."""
    found = []
    for column in table.within_first:
        chain = [r for r in body if (r, column) in cells]
        found += [secrecy.at_most([(r, column)], (chain[0], column)) for r in chain[1:]]
    return found


def _total_row_sums(
    table: Table, rows: list[list[Any]], body: range, cells: set[tuple[int, int]]
) -> list[secrecy.Relation]:
    """Relate each cell of the total row, when there is one, to its column: their sum."""
    found = []
    if table.total_row:
        last = len(rows) - 1
        for column in table.counts:
            if (last, column) in cells:
                parts = [(r, column) for r in body if (r, column) in cells]
                found.append(secrecy.total((last, column), parts))
    return found


@dataclass
class Audited:
    """What the secrecy audit needs of one table: its rows (the total row computed, last),
    its counts, the relations between them and the cells never shown « < 5 » (totals and
    wholes)."""

    rows: list[list[Any]]
    values: dict[tuple[int, int], int]
    relations: list[secrecy.Relation]
    totals: set[tuple[int, int]]


def audited(table: Table) -> Audited:
    rows = [list(row) for row in table.rows]
    if table.total_row:
        rows.append(_total_row(table))
    values = {
        (r, c): row[c]
        for r, row in enumerate(rows)
        for c in table.counts
        if isinstance(row[c], int)
    }
    totals = {cell for cell in values if table.total_row and cell[0] == len(rows) - 1}
    wholes = {whole for whole, _parts in table.row_sums} | {
        whole for _parts, whole in table.row_parts
    }
    totals |= {cell for cell in values if cell[1] in wholes}
    totals |= {(0, column) for column in table.within_first if (0, column) in values}
    return Audited(rows, values, relations(table, rows), totals)


def shown(table: Table, rows: list[list[Any]], suppressed: dict[tuple[int, int], bool]) -> Table:
    """The table as a funder reads it, its ``suppressed`` counts written « < 5 » or « s »
    and the rates and averages resting on them secret."""
    masked: list[list[Any]] = []
    for r, row in enumerate(rows):
        new = list(row)
        for c in table.counts:
            if (r, c) in suppressed:
                new[c] = MASKED if suppressed[(r, c)] else SECRET
        is_total = table.total_row and r == len(rows) - 1
        for index, sources in table.basis.items() if not is_total else ():
            counts = [row[s] for s in sources if isinstance(row[s], int)]
            if any((r, s) in suppressed for s in sources):
                new[index] = SECRET
            else:
                new[index] = mask_derived(row[index], counts)
        masked.append(new)
    return table.with_rows(masked)


def mask_table(table: Table) -> Table:
    """Apply the rule to a whole table: primary and secondary suppression of the counts
    (:mod:`.secrecy`), then the derived cells (rates, averages)."""
    found = audited(table)
    return shown(table, found.rows, secrecy.suppress(found.values, found.relations, found.totals))


def with_total(table: Table) -> Table:
    """The same table with a plain total row (unmasked views: coordination, partnership)."""
    if not table.total_row:
        return table
    return table.with_rows([*table.rows, _total_row(table)])
