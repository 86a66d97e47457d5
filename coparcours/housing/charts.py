"""The housing charts (capacity, occupancy, a calendar of occupancy rates), drawn on the
server (``core.charts``); the page shows each as an ``<img>`` with a text alternative and a
data table next to it."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from matplotlib.dates import DateFormatter
from matplotlib.ticker import MaxNLocator

from coparcours.core.charts import COLOURS, data_uri, legend_below, new_figure
from coparcours.housing.selectors.occupancy import OccupancyRow
from coparcours.housing.selectors.sites import CapacityPoint


def capacity_chart(points: Sequence[CapacityPoint], today: datetime.date) -> str:
    """Planned versus actually opened places over time (steps at each change date)."""
    figure = new_figure()
    axes = figure.add_subplot()
    if points:
        days = [p.day for p in points] + [today]
        axes.step(
            days,
            [p.planned for p in points] + [points[-1].planned],
            where="post",
            label="Places prévues",
            color=COLOURS[0],
            linestyle="--",
        )
        axes.step(
            days,
            [p.opened for p in points] + [points[-1].opened],
            where="post",
            label="Places ouvertes",
            color=COLOURS[1],
        )
        legend_below(figure, 2)
    axes.set_ylabel("Places")
    axes.set_ylim(bottom=0)
    axes.xaxis.set_major_formatter(DateFormatter("%m/%Y"))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return data_uri(figure)


def occupancy_chart(rows: Sequence[OccupancyRow], labels: dict, title: str) -> str:
    """Daily occupied places per group (member, kind…) over a period."""
    figure = new_figure()
    axes = figure.add_subplot()
    series: dict = {}
    for row in rows:
        series.setdefault(row.key, ([], []))
        series[row.key][0].append(row.day)
        series[row.key][1].append(row.occupied)
    for index, (key, (days, occupied)) in enumerate(
        sorted(series.items(), key=lambda s: str(labels.get(s[0], s[0])))
    ):
        axes.step(
            days,
            occupied,
            where="post",
            label=str(labels.get(key, key)),
            color=COLOURS[index % len(COLOURS)],
        )
    if series:
        legend_below(figure, len(series))
    axes.set_title(title, fontsize="medium")
    axes.set_ylabel("Jeunes hébergés")
    axes.set_ylim(bottom=0)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(DateFormatter("%m/%Y"))
    axes.grid(axis="y", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return data_uri(figure)


WEEKDAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]
MONTHS = [
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
]


def heatmap(rows: Sequence[OccupancyRow], start: datetime.date, end: datetime.date) -> str:
    """A calendar heat-map of the daily occupancy rate: one column a week, one row a day."""
    first_monday = start - datetime.timedelta(days=start.weekday())
    weeks = (end - first_monday).days // 7 + 1
    grid = [[float("nan")] * weeks for _ in range(7)]
    for row in rows:
        if row.rate is not None:
            offset = (row.day - first_monday).days
            grid[offset % 7][offset // 7] = row.rate
    figure = new_figure(8, 1.9)
    axes = figure.add_subplot()
    image = axes.imshow(
        grid, aspect="auto", cmap="YlOrRd", vmin=0, vmax=100, interpolation="nearest"
    )
    axes.set_yticks(range(7), WEEKDAYS, fontsize="x-small")
    ticks, names = [], []
    for week in range(weeks):
        monday = first_monday + datetime.timedelta(weeks=week)
        if monday.day <= 7:
            ticks.append(week)
            names.append(MONTHS[monday.month - 1])
    axes.set_xticks(ticks, names, fontsize="x-small")
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    colorbar = figure.colorbar(image, ax=axes, fraction=0.03, pad=0.01)
    colorbar.set_label("% d'occupation", fontsize="x-small")
    colorbar.ax.tick_params(labelsize="x-small")
    return data_uri(figure)
