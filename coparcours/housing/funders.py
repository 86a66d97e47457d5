"""How a funder reads the GME's occupancy: as its publication states it, never from the
stays. The publication is the reporting app's, which registers its reader when ready
(``reporting.funder_occupancy``); housing does not import reporting (data flows one way,
docs/architecture.md)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from coparcours.organisations.models import Consortium

#: (user, consortium, start, end, by) → one row per month and group, as published.
OccupancyReader = Callable[
    [Any, Consortium, datetime.date, datetime.date, str], list[dict[str, Any]]
]
#: The groupings a funder may read: by member or kind of site, never by site (a site's
#: youths are few) nor for the whole GME.
FUNDER_GROUPINGS = ("organisation", "kind")

_readers: dict[str, OccupancyReader] = {}


def register(reader: OccupancyReader) -> None:
    """Answer funders' occupancy with ``reader`` (called from the reporting app's ``ready()``)."""
    _readers["published"] = reader


def published_occupancy(
    user: Any, consortium: Consortium, start: datetime.date, end: datetime.date, by: str
) -> list[dict[str, Any]]:
    """The funder's occupancy over [start, end), by ``by`` (one of ``FUNDER_GROUPINGS``)."""
    return _readers["published"](user, consortium, start, end, by)
