"""A funder's occupancy through the housing API (``GET /api/v1/housing/occupancy``): each
month of a period on the funders' grid as the funder's publication reads it (the youths
hosted on average and the rate, masked and audited with every other figure of the year:
``reporting.publication``), with the places opened on average. Registered with the
housing app when ready, which does not import reporting (data flows one way)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from coparcours.core.access.api_routes import invalid_parameter
from coparcours.housing.selectors import occupancy as occupancy_selectors
from coparcours.organisations.models import Consortium
from coparcours.reporting import grids, publication
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.selectors import FUNDER, steered

#: The published occupancy tables (reporting.indicators.gme.occupancy_table), by group.
PUBLISHED_OCCUPANCY = {
    "organisation": "Taux d'occupation par membre",
    "kind": "Taux d'occupation par type d'accueil",
}


def _monthly_capacity(rows: list[occupancy_selectors.OccupancyRow]) -> dict[tuple, int]:
    """The places opened on average over each month, per group (rounded): places, not
    youths, shown to the funder beside the published occupancy."""
    months: dict[tuple[datetime.date, Any], list[int]] = defaultdict(list)
    for row in rows:
        months[(row.day.replace(day=1), row.key)].append(row.capacity)
    return {key: round(sum(days) / len(days)) for key, days in months.items()}


def published_occupancy(
    user: Any, consortium: Consortium, start: datetime.date, end: datetime.date, by: str
) -> list[dict[str, Any]]:
    """Each month of [start, end) as published, by member or kind of site (``by``); 422
    ``period_off_grid`` for a period that is not an ended month, quarter or year."""
    today = timezone.localdate()
    try:
        grid = grids.of_period(Period(start, end), today)
    except grids.OffGrid as refused:
        raise invalid_parameter("start", str(refused), code="period_off_grid") from refused
    funded = list(steered(user, FUNDER))
    if consortium not in funded:
        raise PermissionDenied("Les chiffres publiés de ce groupement ne vous sont pas destinés.")
    labels = {
        str(label): key for key, label in occupancy_selectors.group_labels(consortium, by).items()
    }
    capacity = _monthly_capacity(
        occupancy_selectors.daily_occupancy(consortium.pk, grid.start, grid.end, by=by)
    )
    published = publication.published(funded, grid.start.year, today)
    found = []
    for month in grid.months:
        tables = publication.read(published, funded, consortium, month)
        table = next(t for t in tables if t.title == PUBLISHED_OCCUPANCY[by])
        for _name, group, youths, rate in table.rows:
            found.append(
                {
                    "day": month.start,
                    "group": group,
                    "occupied": youths if isinstance(youths, int) else None,
                    "capacity": capacity.get((month.start, labels.get(group)), 0),
                    "rate": rate if isinstance(rate, float | int) else None,
                }
            )
    return found
