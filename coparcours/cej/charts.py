"""The youth's progress per dimension across milestone reviews, drawn on the server by
matplotlib as SVG, embedded as a data URI (an image: the content security policy forbids
inline styles, which an inline SVG would need; no script, no external request)."""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure

from coparcours.cej.models import ReviewRating
from coparcours.cej.models.plan import Dimension


def progress_chart(reviews: Sequence[tuple[str, Sequence[ReviewRating]]]) -> str:
    """One line per dimension: the mean of the ratings (youth and partners) at each review.

    ``reviews`` are (label, ratings the viewer may read) in order. Returns the SVG as a data
    URI, empty when nothing is rated yet."""
    if not reviews:
        return ""
    series: dict[str, list[float | None]] = defaultdict(lambda: [None] * len(reviews))
    for index, (_label, ratings) in enumerate(reviews):
        scores: dict[str, list[int]] = defaultdict(list)
        for rating in ratings:
            scores[rating.dimension].append(rating.score)
        for dimension, values in scores.items():
            series[dimension][index] = sum(values) / len(values)
    figure = Figure(figsize=(7, 3.6))
    axes = figure.subplots()
    labels = [label for label, _ratings in reviews]
    for dimension in Dimension.values:
        if dimension in series:
            axes.plot(labels, series[dimension], marker="o", label=Dimension(dimension).label)
    axes.set_ylim(0.5, 4.5)
    axes.set_yticks([1, 2, 3, 4])
    axes.set_ylabel("Note moyenne (1 à 4)")
    axes.set_title("Progression par dimension")
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="center left", bbox_to_anchor=(1, 0.5), fontsize=8, frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "coparcours"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None})  # text stays text
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
