"""What every chart shares: drawn on the server by matplotlib (Agg) as SVG, embedded as a
data URI (the Content Security Policy allows ``data:`` images; no script, no request), its
text kept as text, its colours, and its legend below the plot, never over the data: a
chart shrunk to a phone's width keeps every bar and line visible (docs/conventions.md,
"Components")."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, selectable
matplotlib.rcParams["svg.hashsalt"] = "coparcours"  # same chart, same bytes
matplotlib.rcParams["font.family"] = "sans-serif"

COLOURS = ["#1d4e89", "#d1495b", "#00798c", "#edae49", "#66a182", "#8d6a9f"]

#: Legend entries a row below the plot (a phone shows 3 readable names side by side).
LEGEND_COLUMNS = 3


def new_figure(width: float = 8, height: float = 3.2) -> Figure:
    """A figure laid out by matplotlib's constrained layout, which makes room for a legend
    placed outside the axes."""
    return Figure(figsize=(width, height), layout="constrained")


def legend_below(figure: Figure, entries: int) -> None:
    """The figure's legend under the plot, in rows of :data:`LEGEND_COLUMNS`."""
    figure.legend(
        loc="outside lower center",
        ncols=min(entries, LEGEND_COLUMNS),
        frameon=False,
        fontsize="small",
    )


def data_uri(figure: Figure) -> str:
    """The figure as an SVG data URI, its bounding box fitted to what is drawn."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
