"""Charts of the dashboards, drawn on the server (matplotlib → SVG data URI, the pattern of
``housing.charts``), so the page and the copil PDF show the same figure. A masked cell is
drawn as nothing (no bar), never as its value."""

from __future__ import annotations

from decimal import Decimal

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from coparcours.housing.charts import COLOURS, _data_uri
from coparcours.reporting.indicators import Table


def _number(value: object) -> float:
    """A cell as a bar's height: counts, rates and amounts (``Decimal``); 0 for the rest."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return 0.0


def table_chart(table: Table, columns: list[int], label_columns: list[int]) -> str | None:
    """Grouped bars: one group a row (labelled by ``label_columns``), one bar a column."""
    rows = [row for row in table.rows if row and row[0] != "Total"]
    if not any(_number(row[column]) for row in rows for column in columns):
        return None  # nothing to draw (no data, or every cell masked)
    labels = [" — ".join(str(row[i]) for i in label_columns) for row in rows]
    figure = Figure(figsize=(8, 3.2))
    axes = figure.add_subplot()
    width = 0.8 / len(columns)
    for n, column in enumerate(columns):
        axes.bar(
            [i + n * width for i in range(len(rows))],
            [_number(row[column]) for row in rows],
            width=width,
            label=table.headers[column],
            color=COLOURS[n % len(COLOURS)],
        )
    axes.set_xticks(
        [i + width * (len(columns) - 1) / 2 for i in range(len(rows))],
        labels,
        rotation=30 if len(rows) > 4 else 0,
        ha="right" if len(rows) > 4 else "center",
        fontsize="x-small",
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    if len(columns) > 1:
        axes.legend(loc="upper left", frameon=False, fontsize="small")
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)
