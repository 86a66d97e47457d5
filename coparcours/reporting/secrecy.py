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
highspy. Each count shown « < 5 » in turn: while it is exposed, the smallest count shown
that takes part in one of its relations is suppressed too (body cells before totals,
positive counts before zeros), and the audit runs again.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy

from coparcours.core.masking import SMALL_COUNT_BOUND, is_small_count

logger = logging.getLogger(__name__)

#: A count's place: (row, column) in one table, or a longer key across a publication's
#: tables (reporting.publication); cells of one audit are keys of one shape.
Cell = tuple

#: The width of the interval « 1 to 4 » that a suppressed count must keep.
PRIMARY_WIDTH = SMALL_COUNT_BOUND - 1  # 1 to SMALL_COUNT_BOUND
_TOLERANCE = 1e-6


class InconsistentRelations(ValueError):
    """The table's values break one of its declared relations: a definition to correct."""


@dataclass(frozen=True)
class Relation:
    """Σ coefficient × cell = ``bound`` (``equal``) or ≤ ``bound`` between cells."""

    terms: tuple[tuple[Cell, float], ...]
    equal: bool = True
    bound: float = 0.0


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
    4; else « s »: 0 or more). One linear program, its objective changed per cell."""
    unknown = sorted(suppressed)
    if not unknown:
        return {}
    index = {cell: position for position, cell in enumerate(unknown)}
    solver = _Program(
        [(1.0, float(SMALL_COUNT_BOUND)) if suppressed[cell] else (0.0, None) for cell in unknown]
    )
    for relation in relations:
        row: dict[int, float] = defaultdict(float)
        constant = -relation.bound
        for cell, coefficient in relation.terms:
            if cell in index:
                row[index[cell]] += coefficient
            else:
                constant += coefficient * values[cell]
        row = {column: coefficient for column, coefficient in row.items() if coefficient}
        if row:  # Σ coefficient × unknown = (or ≤) − constant
            solver.add_row(row, -constant, relation.equal)
    found = {}
    for cell in unknown if of is None else sorted(set(of) & set(index)):
        found[cell] = (solver.extreme(index[cell], 1), solver.extreme(index[cell], -1))
    return found


class _Program:
    """One linear program of HiGHS (through highspy, its own Python interface): the
    unknowns' bounds and the relations, then the least or greatest value of one unknown."""

    def __init__(self, bounds: list[tuple[float, float | None]]) -> None:
        import highspy  # imported here: only funders' publications solve

        self.highspy = highspy
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.infinity = highspy.kHighsInf
        self.highs.addVars(
            len(bounds),
            numpy.array([low for low, _ in bounds]),
            numpy.array([self.infinity if high is None else high for _, high in bounds]),
        )

    def add_row(self, row: dict[int, float], bound: float, equal: bool) -> None:
        self.highs.addRow(
            bound if equal else -self.infinity,
            bound,
            len(row),
            numpy.array(list(row), dtype=numpy.int32),
            numpy.array(list(row.values())),
        )

    def extreme(self, column: int, sign: int) -> float:
        """The least (``sign`` 1) or greatest (-1) value of the unknown ``column``."""
        status = self.highspy.HighsModelStatus
        self.highs.changeColCost(column, float(sign))
        self.highs.run()
        found = self.highs.getModelStatus()
        if found == status.kUnboundedOrInfeasible:  # presolve could not tell: solve plainly
            self.highs.setOptionValue("presolve", "off")
            self.highs.run()
            found = self.highs.getModelStatus()
            self.highs.setOptionValue("presolve", "choose")
        value = sign * self.highs.getInfo().objective_function_value
        self.highs.changeColCost(column, 0.0)
        if found == status.kOptimal:
            return value
        if found == status.kUnbounded:
            return math.inf if sign < 0 else -math.inf
        # the true values are a solution, unless a relation declared is false
        raise InconsistentRelations(self.highs.modelStatusToString(found))


def exposed(
    values: Mapping[Cell, int],
    suppressed: Mapping[Cell, bool],
    relations: Iterable[Relation],
    among: Iterable[Cell] | None = None,
) -> list[Cell]:
    """The counts shown « < 5 » (of ``among`` only, when given) that a reader could narrow
    below 1 to 4."""
    masked = [
        cell for cell in (suppressed if among is None else among) if suppressed.get(cell) is True
    ]
    return [
        cell
        for cell, (low, high) in intervals(values, suppressed, relations, of=masked).items()
        if high - low < PRIMARY_WIDTH - _TOLERANCE
    ]


def suppress(
    values: Mapping[Cell, int],
    relations: Iterable[Relation],
    totals: Iterable[Cell] = (),
    kept: Iterable[Cell] = (),
) -> dict[Cell, bool]:
    """The suppression pattern of counts: each suppressed cell, true when it is shown
    « < 5 » (a count of 1 to 4 that is no total), false when « s » (a complement, a total:
    a total never says « < 5 », which would bound its parts; or a cell of ``kept``, those
    suppressed in an earlier publication of the same figures, which stay so). Cells that
    no relation links are audited apart (a publication's tables, its periods)."""
    relations = list(relations)
    totals = set(totals)
    suppressed = {
        cell: cell not in totals for cell, value in values.items() if is_small_count(value)
    }
    for cell in kept:
        if cell in values:
            suppressed.setdefault(cell, False)
    pattern: dict[Cell, bool] = {}
    for cells, linked in _components(values, relations):
        part = {cell: suppressed[cell] for cell in cells if cell in suppressed}
        if not any(part.values()):
            pattern.update(part)
            continue
        try:
            pattern.update(_complete(values, part, linked, totals))
        except InconsistentRelations:
            logger.exception("secrecy audit impossible: every related count is suppressed")
            pattern.update({cell: part.get(cell, False) for cell in cells})
    return pattern


def _components(
    values: Mapping[Cell, int], relations: list[Relation]
) -> list[tuple[list[Cell], list[Relation]]]:
    """The cells split in groups that no relation links, each with its relations."""
    parent = {cell: cell for cell in values}

    def root(cell: Cell) -> Cell:
        while parent[cell] != cell:
            parent[cell] = parent[parent[cell]]
            cell = parent[cell]
        return cell

    for relation in relations:
        first = root(relation.terms[0][0])
        for cell, _ in relation.terms[1:]:
            parent[root(cell)] = first
    groups: dict[Cell, tuple[list[Cell], list[Relation]]] = {}
    for cell in values:
        groups.setdefault(root(cell), ([], []))[0].append(cell)
    for relation in relations:
        groups[root(relation.terms[0][0])][1].append(relation)
    return list(groups.values())


def _complete(
    values: Mapping[Cell, int],
    suppressed: dict[Cell, bool],
    relations: list[Relation],
    totals: set[Cell],
) -> dict[Cell, bool]:
    """Protect each count shown « < 5 » in turn: while the audit narrows it, suppress its
    complement. A count protected stays so while the next ones are (more suppression
    leaves a reader less to deduce from), so one pass is enough."""
    linked: dict[Cell, set[Cell]] = {}
    for relation in relations:
        cells = {term for term, _ in relation.terms}
        for term in cells:
            linked.setdefault(term, set()).update(cells)
    for cell in sorted(c for c, shown_small in suppressed.items() if shown_small):
        while suppressed[cell] and exposed(values, suppressed, relations, [cell]):
            complement = _complement(cell, values, suppressed, linked, totals)
            if complement is None:  # every related count is « s » already
                break
            suppressed[complement] = False
    return suppressed


def _complement(
    cell: Cell,
    values: Mapping[Cell, int],
    suppressed: Mapping[Cell, bool],
    linked: Mapping[Cell, set[Cell]],
    totals: set[Cell],
) -> Cell | None:
    """The cell to suppress next for ``cell`` (or to turn from « < 5 » to « s »): shown, in
    one of its relations (else in a relation of a suppressed cell related to it, and so on
    outwards), body before totals, positive before zero, the smallest first."""
    seen, frontier, bounding = {cell}, {cell}, []
    while frontier:
        reached = set().union(*(linked.get(c, set()) for c in frontier)) - seen
        shown = [c for c in reached if c not in suppressed]
        if shown:
            return min(shown, key=lambda c: (c in totals, values[c] == 0, values[c], c))
        bounding += sorted(c for c in reached if suppressed.get(c))
        seen |= reached
        frontier = reached
    # Every related count is suppressed: what narrows ``cell`` is another's « < 5 » (1 to
    # 4, where « s » says nothing), which then reads « s ».
    return bounding[0] if bounding else None
