"""Charts of the dashboards, drawn on the server (``core.charts``), so the page and the
copil PDF show the same figure. A masked cell is drawn as nothing (no bar), never as its
value."""

from __future__ import annotations

import functools
from decimal import Decimal

from matplotlib.ticker import MaxNLocator

from coparcours.core.charts import COLOURS, data_uri, legend_below, new_figure
from coparcours.reporting.tables import Table


def _number(value: object) -> float:
    """A cell as a bar's height: counts, rates and amounts (``Decimal``); 0 for the rest."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return float(value)
    return 0.0


#: Charts kept drawn per process (an SVG is 20–60 kB): the same figures are read again by
#: everyone who opens a dashboard, and by its exports and copil PDF.
DRAWN_CHARTS = 256


def table_chart(table: Table, columns: list[int], label_columns: list[int]) -> str | None:
    """Grouped bars: one group a row (labelled by ``label_columns``), one bar a column."""
    rows = [row for row in table.rows if row and row[0] != "Total"]
    series = tuple(tuple(_number(row[column]) for row in rows) for column in columns)
    if not any(any(values) for values in series):
        return None  # nothing to draw (no data, or every cell masked)
    labels = tuple(" — ".join(str(row[i]) for i in label_columns) for row in rows)
    return _grouped_bars(tuple(table.headers[column] for column in columns), labels, series)


@functools.lru_cache(maxsize=DRAWN_CHARTS)
def _grouped_bars(
    names: tuple[str, ...], labels: tuple[str, ...], series: tuple[tuple[float, ...], ...]
) -> str:
    """The SVG of the bars, drawn once per process for the same figures: matplotlib takes
    70–140 ms a chart, most of a dashboard's time (bench/load: dashboards were the slowest
    pages under load)."""
    figure = new_figure()
    axes = figure.add_subplot()
    width = 0.8 / len(series)
    for n, (name, values) in enumerate(zip(names, series, strict=True)):
        axes.bar(
            [i + n * width for i in range(len(labels))],
            values,
            width=width,
            label=name,
            color=COLOURS[n % len(COLOURS)],
        )
    axes.set_xticks(
        [i + width * (len(series) - 1) / 2 for i in range(len(labels))],
        labels,
        rotation=30 if len(labels) > 4 else 0,
        ha="right" if len(labels) > 4 else "center",
        fontsize="x-small",
    )
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(bottom=0)
    if len(series) > 1:
        legend_below(figure, len(series))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return data_uri(figure)
