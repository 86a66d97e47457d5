"""The attacker of a funder's figures: everything a funder reads through the API (every
grid period of a year, each consortium it funds and all of them together), and what it
knows of how the tables are made (the tables' definitions are public: which columns count
youths, how a quarter relates to its months, a part to its whole). For each count shown
« < 5 » it solves its least and greatest value by linear programming (SciPy's HiGHS,
written here apart from the publication's own audit); the count is exposed when the
interval left is narrower than 1 to 4.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from scipy.optimize import linprog

from coparcours.reporting import grids
from coparcours.reporting.tables import ADDS_UP, MASKED, SAME_ROWS, SECRET, Table

from .conftest import client

ALL = ""  # the API's view of every consortium: no consortium_id


@dataclass
class Read:
    """One table as the funder read it, and its definition."""

    view: str
    period: grids.GridPeriod
    table: Table

    def place(self, row: list) -> tuple[str, ...]:
        return tuple(str(row[c]) for c in self.table.label_columns)


def read_everything(user, consortia, year: int, today, definitions: dict[str, Table]) -> list[Read]:
    """Every table the funder reads by the API for ``year``'s published periods."""
    funder = client(user)
    views = [str(c.pk) for c in consortia] + ([ALL] if len(consortia) > 1 else [])
    found = []
    for view in views:
        for period in (g for g in grids.published(today) if g.start.year == year):
            query = f"period={period.key}" + (f"&consortium_id={view}" if view else "")
            answer = funder.get(f"/api/v1/reporting/financeur?{query}")
            assert answer.status_code == 200, answer.content
            for table in answer.json()["tables"]:
                known = definitions[table["title"]]
                found.append(Read(view, period, known.with_rows(table["rows"])))
    return found


def exposed(reads: list[Read]) -> tuple[list[str], int]:
    """The counts shown « < 5 » that the attacker narrows, and how many it tried."""
    shown: dict[tuple, float] = {}
    hidden: dict[tuple, tuple[float, float | None]] = {}
    tables: dict[tuple, Read] = {}
    for read in reads:
        tables[(read.view, read.period.key, read.table.title)] = read
        for row in read.table.rows:
            for column in read.table.counts:
                key = (read.view, read.period.key, read.table.title, read.place(row), column)
                if row[column] == MASKED:
                    hidden[key] = (1, 4)
                elif row[column] == SECRET:
                    hidden[key] = (0, None)
                elif isinstance(row[column], int):
                    shown[key] = row[column]
    equations = _equations(tables, set(shown) | set(hidden))
    return _solve(shown, hidden, equations)


def _equations(tables: dict[tuple, Read], cells: set[tuple]) -> list[tuple[dict, bool]]:
    """What the attacker knows, as {cell: coefficient} = 0 (True) or ≤ 0 (False)."""
    found: list[tuple[dict, bool]] = []
    by_table: dict[tuple, dict] = defaultdict(dict)
    for cell in cells:
        by_table[cell[:3]][cell[3:]] = cell
    for (view, period, title), read in tables.items():
        table, own = read.table, by_table[(view, period, title)]
        total = next((r for r in table.rows if r[0] == "Total"), None)
        for column in table.counts:
            body = [own[(read.place(r), column)] for r in table.rows if r is not total]
            body = [cell for cell in body if cell is not None]
            if total is not None:
                found.append(({own[(read.place(total), column)]: 1, **{c: -1 for c in body}}, True))
            if column in table.within_first and body:
                found += [({cell: 1, body[0]: -1}, False) for cell in body[1:]]
        for row in table.rows:
            for parts, whole in table.row_parts:
                terms = {own[(read.place(row), p)]: 1 for p in parts}
                found.append(({**terms, own[(read.place(row), whole)]: -1}, False))
    periods = {key[1]: read.period for key, read in tables.items()}
    for (view, period, title), read in tables.items():
        own = by_table[(view, period, title)]
        if read.table.over_time == ADDS_UP and periods[period].kind != grids.MONTH:
            months = [m for m in periods.values() if _within(m, periods[period])]
            if (read.period.kind == grids.QUARTER and len(months) == 3) or len(months) == 12:
                for place, cell in own.items():
                    terms = {cell: 1}
                    for month in months:
                        other = by_table[(view, month.key, title)].get(place)
                        if other is not None:
                            terms[other] = -1
                    found.append((terms, True))
        if read.table.over_time == SAME_ROWS:
            for place, cell in own.items():
                for other_period in periods:
                    other = by_table[(view, other_period, title)].get(place)
                    if other is not None and other != cell and place[0][0] != "Total":
                        found.append(({cell: 1, other: -1}, True))
        if view == ALL:
            singles = [v for v, p, t in tables if v != ALL and p == period and t == title]
            for place, cell in own.items():
                if read.table.per_consortium:
                    found += [
                        ({cell: 1, by_table[(v, period, title)][place]: -1}, True)
                        for v in singles
                        if place in by_table[(v, period, title)] and place[0][0] != "Total"
                    ]
                else:
                    terms = {cell: 1}
                    for v in singles:
                        other = by_table[(v, period, title)].get(place)
                        if other is not None:
                            terms[other] = -1
                    found.append((terms, True))
        if title == "Durées des parcours":
            exits = by_table[(view, period, "Sorties par issue")].get((("Total",), 1))
            after_contract = own.get((("Du contrat à la sortie",), 1))
            if exits and after_contract:
                found.append(({after_contract: 1, exits: -1}, False))
    return found


def _within(month: grids.GridPeriod, period: grids.GridPeriod) -> bool:
    return month.kind == grids.MONTH and period.start <= month.start < period.end


def _solve(shown: dict, hidden: dict, equations: list[tuple[dict, bool]]) -> tuple[list[str], int]:
    unknown = sorted(hidden)
    index = {cell: i for i, cell in enumerate(unknown)}
    rows: dict[bool, list] = {True: [], False: []}
    bounds: dict[bool, list] = {True: [], False: []}
    for terms, equal in equations:
        row = [0.0] * len(unknown)
        constant = 0.0
        for cell, coefficient in terms.items():
            if cell in index:
                row[index[cell]] += coefficient
            else:
                constant += coefficient * shown[cell]
        if any(row):
            rows[equal].append(row)
            bounds[equal].append(-constant)
    problems, tried = [], 0
    for cell in unknown:
        if hidden[cell] != (1, 4):
            continue
        tried += 1
        extremes = []
        for sign in (1, -1):
            objective = [0.0] * len(unknown)
            objective[index[cell]] = sign
            result = linprog(
                objective,
                A_ub=rows[False] or None,
                b_ub=bounds[False] or None,
                A_eq=rows[True] or None,
                b_eq=bounds[True] or None,
                bounds=[hidden[c] for c in unknown],
                method="highs",
            )
            assert result.status in (0, 3), f"the figures contradict the definitions: {cell}"
            extremes.append(sign * result.fun if result.status == 0 else math.inf)
        low, high = extremes
        if high - low < 3 - 1e-6:
            problems.append(f"{cell}: between {low:g} and {high:g}")
    return problems, tried
