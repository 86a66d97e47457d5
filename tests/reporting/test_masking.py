"""The single masking rule of funder views (aggregates only, small counts < 5 masked:
docs/domain-rules.md, "Masking of small counts"; reporting/tables.py): no count from 1 to 4
ever shows, and no total lets one recompute a masked cell, nor narrow it: an attacker who
knows that each column adds up to its total finds every value from 1 to 4 still possible
for each cell shown « < 5 » (an exact integer check, independent of the suppression's
own audit)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from coparcours.reporting.tables import MASKED, SECRET, Table, mask_table


def _small_numbers(rows: list[list[object]]) -> list[object]:
    return [c for row in rows for c in row if isinstance(c, int) and 1 <= c <= 4]


counts = st.integers(min_value=0, max_value=40)


#: The audit solves small linear programs (and loads SciPy on its first table): no deadline.
@settings(deadline=None)
@given(
    st.lists(st.lists(counts, min_size=3, max_size=3), min_size=0, max_size=8),
    st.booleans(),
)
def test_no_masked_table_shows_a_count_between_1_and_4(cells, total_row):
    rows = [
        [f"ligne {n}", *row, round(100 * row[0] / row[1], 1) if row[1] else None]
        for n, row in enumerate(cells)
    ]
    table = Table("t", ["Ligne", "A", "B", "C", "Taux"], rows, {1, 2, 3}, {4: [1, 2]}, total_row)
    masked = mask_table(table)
    assert _small_numbers(masked.rows) == []
    for original, shown in zip(rows, masked.rows, strict=False):
        for index in (1, 2, 3):
            if 1 <= original[index] <= 4:
                assert shown[index] == MASKED
        if any(1 <= original[i] <= 4 for i in (1, 2)):
            assert shown[4] == SECRET  # the rate would give the masked count back
    if total_row and rows:
        for index in (1, 2, 3):
            assert _column_keeps_its_secrets([row[index] for row in masked.rows])
        assert all(total != MASKED for total in masked.rows[-1])  # « < 5 » would bound it


def _column_keeps_its_secrets(column: list[object]) -> bool:
    """The attacker: the body of the column adds up to its total (the last cell). With the
    total shown, each « < 5 » cell takes value v only if the other hidden cells can make
    up the rest: their sum ranges over [their least, their greatest] (1 to 4 for « < 5 »,
    0 or more for « s »), integers all. Every v from 1 to 4 must stay possible."""
    *body, total = column
    hidden = [cell for cell in body if cell in (MASKED, SECRET)]
    if total in (MASKED, SECRET) or not hidden:
        return True  # an unknown total relates nothing: each cell keeps 1 to 4
    rest = total - sum(cell for cell in body if isinstance(cell, int))
    for position, cell in enumerate(body):
        if cell != MASKED:
            continue
        others = [c for i, c in enumerate(body) if c in (MASKED, SECRET) and i != position]
        least = sum(1 if c == MASKED else 0 for c in others)
        greatest = float("inf") if SECRET in others else 4 * len(others)
        if not all(least <= rest - value <= greatest for value in range(1, 5)):
            return False
    return True


def test_zero_and_five_are_shown_as_they_are():
    table = Table("t", ["L", "n"], [["a", 0], ["b", 7], ["c", 5]], {1}, total_row=True)
    assert [row[1] for row in mask_table(table).rows] == [0, 7, 5, 12]


def test_the_smallest_cell_beside_a_masked_one_is_suppressed_and_the_total_kept():
    """Total − the cells shown would give the masked cell back: the smallest other count
    of its column is suppressed too (« s »), the total stays (a funder's first figure)."""
    table = Table("t", ["L", "n"], [["a", 0], ["b", 9], ["c", 4], ["d", 6]], {1}, total_row=True)
    assert [row[1] for row in mask_table(table).rows] == [0, 9, MASKED, SECRET, 19]


def test_a_column_whose_only_youths_are_masked_hides_its_total():
    """The masked count is the column's only youths: its total, as small, is suppressed
    too, as « s » (a total never says « < 5 », which would bound its cells)."""
    table = Table("t", ["L", "n"], [["a", 0], ["b", 3]], {1}, total_row=True)
    rows = mask_table(table).rows
    assert rows[1][1] == MASKED and SECRET in (rows[0][1], rows[2][1])
    assert _column_keeps_its_secrets([row[1] for row in rows])


def test_an_average_over_fewer_than_five_youths_is_secret():
    table = Table("t", ["L", "n", "moyenne"], [["a", 0, None], ["b", 7, 12.5]], {1}, {2: [1]})
    assert mask_table(table).rows == [["a", 0, None], ["b", 7, 12.5]]
    table = Table("t", ["L", "n", "moyenne"], [["a", 3, 40.0]], {1}, {2: [1]})
    assert mask_table(table).rows == [["a", MASKED, SECRET]]


def _possible(constraint, cell_domains):
    """Exact integer attacker over a few hidden cells: every assignment of their domains
    that the constraint accepts, as the set of values each cell can take."""

    names = list(cell_domains)
    found: dict[str, set[int]] = {name: set() for name in names}
    for values in itertools.product(*(cell_domains[name] for name in names)):
        assignment = dict(zip(names, values, strict=True))
        if constraint(assignment):
            for name, value in assignment.items():
                found[name].add(value)
    return found


@settings(deadline=None)
@given(st.integers(0, 30), st.integers(0, 30), st.integers(0, 30))
def test_a_part_of_a_shown_whole_is_not_narrowed(admitted, waiting, others):
    """Requests: the admitted and the waiting are among those received. With the received
    shown, « < 5 » waiting must not be bounded by received − admitted."""
    received = admitted + waiting + others
    table = Table(
        "Demandes",
        ["G", "Reçues", "Accueillies", "En attente"],
        [["G", received, admitted, waiting]],
        {1, 2, 3},
        row_parts=[((2, 3), 1)],
    )
    shown = mask_table(table).rows[0]
    assert _small_numbers([shown]) == []
    domain = {MASKED: range(1, 5), SECRET: range(0, 61)}
    hidden = {
        name: domain[shown[index]] if shown[index] in domain else [shown[index]]
        for name, index in (("received", 1), ("admitted", 2), ("waiting", 3))
    }
    possible = _possible(lambda a: a["admitted"] + a["waiting"] <= a["received"], hidden)
    for name, index in (("received", 1), ("admitted", 2), ("waiting", 3)):
        if shown[index] == MASKED:
            assert possible[name] == {1, 2, 3, 4}, (shown, name, possible[name])


def test_a_table_breaking_its_own_relation_shows_no_count():
    """A relation declared but false in the data (a definition to correct) leaves nothing
    to audit on: every count is suppressed, and the funder's page still answers."""
    table = Table(
        "Demandes",
        ["G", "Reçues", "Accueillies", "En attente"],
        [["G", 6, 9, 2]],
        {1, 2, 3},
        row_parts=[((2, 3), 1)],
    )
    assert mask_table(table).rows == [["G", SECRET, SECRET, MASKED]]
