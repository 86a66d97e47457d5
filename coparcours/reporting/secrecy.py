"""Statistical secrecy of a table a funder reads: which counts are suppressed
(docs/decisions.md, 31).

*Primary* suppression: a count of 1 to 4 youths (shown « < 5 »). *Secondary* suppression:
more counts (shown « s ») until no suppressed count can be recomputed, nor narrowed, from
the counts shown and the relations that hold between the table's cells — a total is the
sum of its column, a part never exceeds its whole, a funnel's step never counts more youths
than the step before. « Narrowed »: what the reader can deduce of a count shown « < 5 » is
no smaller an interval than 1 to 4 itself (width 3), so not « within ±1 ».

The audit is the one statistics offices run on a suppression pattern (Hundepool et al.,
*Statistical Disclosure Control*, Wiley 2012, § 4.4: each suppressed cell's feasibility
interval, by linear programming over the relations, the shown cells fixed): two linear
programs per suppressed count (its least and greatest value), solved by HiGHS through
SciPy. While a count is exposed, the smallest count shown that takes part in one of its
relations is suppressed too (body cells before totals, positive counts before zeros), and
the audit runs again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coparcours.core.masking import SMALL_COUNT_BOUND, is_small_count

logger = logging.getLogger(__name__)

Cell = tuple[int, int]  # (row, column) of the table, its total row included

#: The width of the interval « 1 to 4 » that a suppressed count must keep.
PRIMARY_WIDTH = SMALL_COUNT_BOUND - 1  # 1 to SMALL_COUNT_BOUND
_TOLERANCE = 1e-6


class InconsistentRelations(ValueError):
    """The table's values break one of its declared relations: a definition to correct."""


@dataclass(frozen=True)
class Relation:
    """Σ coefficient × cell = 0 (``equal``) or ≤ 0 between cells of one table."""

    terms: tuple[tuple[Cell, int], ...]
    equal: bool = True


def total(whole: Cell, parts: Iterable[Cell]) -> Relation:
    """``whole`` is the sum of ``parts``."""
    return Relation(((whole, 1), *((part, -1) for part in parts)), equal=True)


def at_most(parts: Iterable[Cell], whole: Cell) -> Relation:
    """The ``parts`` together never exceed ``whole``."""
    return Relation(((whole, -1), *((part, 1) for part in parts)), equal=False)


def intervals(
    values: Mapping[Cell, int],
    suppressed: Mapping[Cell, bool],
    relations: Iterable[Relation],
    of: Iterable[Cell] | None = None,
) -> dict[Cell, tuple[float, float]]:
    """What a reader can deduce of each suppressed cell (of those in ``of`` only, when
    given): its least and greatest value (``inf`` when unbounded) given the cells shown,
    the relations and what the display says (``suppressed[cell]`` is true for « < 5 »: 1 to
    4; else « s »: 0 or more)."""
    unknown = sorted(suppressed)
    if not unknown:
        return {}
    # imported here: SciPy's optimiser takes 0.4 s to load, and only funders' tables need it
    from scipy.optimize import linprog

    index = {cell: position for position, cell in enumerate(unknown)}
    equal_rows, equal_bounds, less_rows, less_bounds = [], [], [], []
    for relation in relations:
        row = [0.0] * len(unknown)
        constant = 0.0
        for cell, coefficient in relation.terms:
            if cell in index:
                row[index[cell]] += coefficient
            else:
                constant += coefficient * values[cell]
        if not any(row):
            continue
        (equal_rows if relation.equal else less_rows).append(row)
        (equal_bounds if relation.equal else less_bounds).append(-constant)
    bounds = [(1, SMALL_COUNT_BOUND) if suppressed[cell] else (0, None) for cell in unknown]
    asked = set(unknown if of is None else of)
    found = {}
    for position, cell in enumerate(unknown):
        if cell not in asked:
            continue
        extremes = []
        for sign in (1, -1):
            objective = [0.0] * len(unknown)
            objective[position] = sign
            result = linprog(
                objective,
                A_ub=less_rows or None,
                b_ub=less_bounds or None,
                A_eq=equal_rows or None,
                b_eq=equal_bounds or None,
                bounds=bounds,
                method="highs",
            )
            if result.status == 3:  # unbounded
                extremes.append(float("inf") * sign * -1)
            elif result.status == 0:
                extremes.append(sign * result.fun)
            else:  # the true values are a solution, unless a relation declared is false
                raise InconsistentRelations(result.message)
        found[cell] = (extremes[0], extremes[1])
    return found


def exposed(
    values: Mapping[Cell, int],
    suppressed: Mapping[Cell, bool],
    relations: Iterable[Relation],
) -> list[Cell]:
    """The counts shown « < 5 » that a reader could narrow below 1 to 4."""
    masked = [cell for cell, shown_small in suppressed.items() if shown_small]
    return [
        cell
        for cell, (low, high) in intervals(values, suppressed, relations, of=masked).items()
        if high - low < PRIMARY_WIDTH - _TOLERANCE
    ]


def suppress(
    values: Mapping[Cell, int],
    relations: Iterable[Relation],
    totals: Iterable[Cell] = (),
) -> dict[Cell, bool]:
    """The suppression pattern of a table of counts: each suppressed cell, true when it is
    shown « < 5 » (a count of 1 to 4 of the table's body), false when « s » (a complement,
    or a total: a total never says « < 5 », which would bound its parts)."""
    relations = list(relations)
    totals = set(totals)
    suppressed = {
        cell: cell not in totals for cell, value in values.items() if is_small_count(value)
    }
    try:
        return _complete(values, suppressed, relations, totals)
    except InconsistentRelations:
        logger.exception("secrecy audit impossible: every count of the table is suppressed")
        return {cell: suppressed.get(cell, False) for cell in values}


def _complete(
    values: Mapping[Cell, int],
    suppressed: dict[Cell, bool],
    relations: list[Relation],
    totals: set[Cell],
) -> dict[Cell, bool]:
    """Add complementary suppressions until the audit finds no exposed count."""
    while True:
        complements = (
            _complement(cell, values, suppressed, relations, totals)
            for cell in exposed(values, suppressed, relations)
        )
        complement = next((found for found in complements if found is not None), None)
        if complement is None:  # protected, or every related cell is suppressed already
            return suppressed
        suppressed[complement] = False


def _complement(
    cell: Cell,
    values: Mapping[Cell, int],
    suppressed: Mapping[Cell, bool],
    relations: list[Relation],
    totals: set[Cell],
) -> Cell | None:
    """The cell to suppress next for ``cell``: shown, in one of its relations, body before
    totals, positive before zero, the smallest first."""
    related = {
        other
        for relation in relations
        if any(term == cell for term, _ in relation.terms)
        for other, _ in relation.terms
        if other not in suppressed
    }
    if not related:
        return None
    return min(related, key=lambda c: (c in totals, values[c] == 0, values[c], c))
