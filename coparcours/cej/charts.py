"""The youth's progress per dimension across milestone reviews, drawn on the server
(``core.charts``: an image, since the content security policy forbids the inline styles an
inline SVG would need)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from coparcours.cej.models import ReviewRating
from coparcours.cej.models.plan import Dimension
from coparcours.core.charts import COLOURS, data_uri, legend_below, new_figure


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
    figure = new_figure(7, 3.6)
    axes = figure.subplots()
    labels = [label for label, _ratings in reviews]
    for dimension in Dimension.values:
        if dimension in series:
            colour = COLOURS[len(axes.lines) % len(COLOURS)]
            axes.plot(
                labels,
                series[dimension],
                marker="o",
                label=Dimension(dimension).label,
                color=colour,
            )
    axes.set_ylim(0.5, 4.5)
    axes.set_yticks([1, 2, 3, 4])
    axes.set_ylabel("Note moyenne (1 à 4)")
    axes.set_title("Progression par dimension")
    axes.grid(axis="y", alpha=0.3)
    legend_below(figure, len(axes.lines))
    return data_uri(figure)
