"""Dashboard charts: drawn once per process for the same figures, drawn again as soon as a
figure changes (a chart never shows yesterday's numbers), nothing drawn for masked cells."""

from __future__ import annotations

import base64

from coparcours.reporting import charts
from coparcours.reporting.tables import MASKED, Table


def _table(entries: int) -> Table:
    return Table(
        title="Mouvements",
        headers=["Mois", "Entrées", "Sorties"],
        rows=[["2025-01", entries, 3], ["2025-02", 7, 2], ["Total", entries + 7, 5]],
    )


def _svg(uri: str) -> str:
    return base64.b64decode(uri.split(",", 1)[1]).decode()


def test_the_same_figures_are_drawn_once_and_new_figures_again():
    charts._grouped_bars.cache_clear()
    first = charts.table_chart(_table(4), [1, 2], [0])
    again = charts.table_chart(_table(4), [1, 2], [0])
    assert again == first
    assert charts._grouped_bars.cache_info().hits == 1
    changed = charts.table_chart(_table(9), [1, 2], [0])
    assert changed != first and "<svg" in _svg(changed)
    assert charts._grouped_bars.cache_info().misses == 2


def test_a_table_whose_cells_are_all_masked_has_no_chart():
    masked = Table(title="t", headers=["Mois", "Entrées"], rows=[["2025-01", MASKED]])
    assert charts.table_chart(masked, [1], [0]) is None
