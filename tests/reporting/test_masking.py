"""The single masking rule of funder views (aggregates only, small counts < 5 masked:
docs/domain-rules.md, "Masking of small counts"): no count from 1 to 4 ever shows, and no
total lets one recompute a masked cell."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from coparcours.reporting.indicators import MASKED, SECRET, Table, mask_table


def _small_numbers(rows: list[list[object]]) -> list[object]:
    return [c for row in rows for c in row if isinstance(c, int) and 1 <= c <= 4]


counts = st.integers(min_value=0, max_value=40)


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
        total = masked.rows[-1]
        for index in (1, 2, 3):
            if any(1 <= row[index] <= 4 for row in rows):
                assert total[index] == SECRET  # total − other cells = masked cell


def test_zero_and_five_are_shown_as_they_are():
    table = Table("t", ["L", "n"], [["a", 0], ["b", 5], ["c", 4]], {1}, total_row=True)
    assert [row[1] for row in mask_table(table).rows] == [0, 5, MASKED, SECRET]


def test_an_average_over_fewer_than_five_youths_is_secret():
    table = Table("t", ["L", "n", "moyenne"], [["a", 0, None], ["b", 7, 12.5]], {1}, {2: [1]})
    assert mask_table(table).rows == [["a", 0, None], ["b", 7, 12.5]]
    table = Table("t", ["L", "n", "moyenne"], [["a", 3, 40.0]], {1}, {2: [1]})
    assert mask_table(table).rows == [["a", MASKED, SECRET]]
