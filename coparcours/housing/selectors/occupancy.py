"""Occupancy of the GME's sites, computed in SQL over a calendar (never by a Python loop
over days): daily occupancy, free places and the availability search, monthly movements,
the day's occupancy per group with the saturation alert."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coparcours.housing import figures, rules
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.sites import Site, SiteKind
from coparcours.housing.models.stays import ExitReason, Stay
from coparcours.organisations.models import Consortium

#: Days after the entry date over which a place must stay free (availability, admission).
AVAILABILITY_HORIZON_DAYS = 90


_GROUP_KEYS = {
    "site": "si.id",
    "organisation": "si.organisation_id",
    "kind": "si.kind",
    "consortium": "si.consortium_id",
}


def _calendar() -> str:
    """A ``cal(day)`` common table expression of the days in [%s, %s)."""
    if connection.vendor == "postgresql":
        return (
            "cal(day) AS (SELECT generate_series(%s::date, %s::date - 1, interval '1 day')::date)"
        )
    return (
        "cal(day) AS (SELECT date(%s) UNION ALL SELECT date(day, '+1 day') FROM cal "
        "WHERE day < date(%s, '-1 day'))"
    )


#: Joins of the calendar to the stays occupying a place on each day, and to the capacity
#: opened by each day (the occupancy aggregations and the free places).
_STAYS_ON_DAY = (
    "JOIN housing_stay st ON st.start_date <= cal.day "
    "AND (st.end_date IS NULL OR st.end_date > cal.day) "
)
_OPENED_BY_DAY = (
    "JOIN housing_capacitychange cc ON cc.opened_on IS NOT NULL AND cc.opened_on <= cal.day "
)

#: Stays that overlap [start, end) (parameters: end, start), so that the days of the
#: window are matched against these stays only, not against years of past stays (the
#: availability search of one GME at scale 1: 90 days × 129 stays instead of × 501).
_STAY_IN_WINDOW = "st.start_date < %s AND (st.end_date IS NULL OR st.end_date > %s)"


def _as_date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


@dataclass(frozen=True)
class OccupancyRow:
    day: datetime.date
    key: Any
    occupied: int
    capacity: int

    @property
    def rate(self) -> float | None:
        return rules.occupancy_rate(self.occupied, self.capacity)

    @property
    def free(self) -> int:
        return self.capacity - self.occupied


def daily_occupancy(
    consortium_id: int,
    start: datetime.date,
    end: datetime.date,
    by: str = "consortium",
    site_ids: Iterable[int] | None = None,
    organisation_ids: Iterable[int] | None = None,
) -> list[OccupancyRow]:
    """Occupied places and opened capacity per day of [start, end) and per group (site,
    member organisation, kind of site or the whole consortium): two aggregate queries."""
    key = _GROUP_KEYS[by]
    filters, params = ["si.consortium_id = %s"], [consortium_id]
    if site_ids is not None:
        ids = list(site_ids) or [0]
        filters.append(f"si.id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    if organisation_ids is not None:
        ids = list(organisation_ids) or [0]
        filters.append(f"si.organisation_id IN ({', '.join(['%s'] * len(ids))})")
        params += ids
    where = " AND ".join(filters)
    stays_sql = (
        f"SELECT {key}, st.start_date, st.end_date FROM housing_stay st "  # noqa: S608 - fixed fragments, values as parameters
        f"JOIN housing_site si ON si.id = st.site_id WHERE {where} AND {_STAY_IN_WINDOW}"
    )
    capacity_sql = (
        f"WITH RECURSIVE {_calendar()} "  # noqa: S608 - fixed fragments, values as parameters
        f"SELECT cal.day, {key}, SUM(cc.places) FROM cal {_OPENED_BY_DAY}"
        f"JOIN housing_site si ON si.id = cc.site_id WHERE {where} GROUP BY cal.day, {key}"
    )
    values: dict[tuple[datetime.date, Any], list[int]] = defaultdict(lambda: [0, 0])
    with connection.cursor() as cursor:
        cursor.execute(stays_sql, [*params, end.isoformat(), start.isoformat()])
        for (day, group), occupied in occupied_by_day(cursor.fetchall(), start, end).items():
            values[(day, group)][0] = occupied
        cursor.execute(capacity_sql, [start.isoformat(), end.isoformat(), *params])
        for day, group, capacity in cursor.fetchall():
            values[(_as_date(day), group)][1] = int(capacity or 0)
    return [
        OccupancyRow(day, group, occupied, capacity)
        for (day, group), (occupied, capacity) in sorted(
            values.items(), key=lambda item: (item[0][0], str(item[0][1]))
        )
    ]


def occupied_by_day(
    stays: Iterable[tuple[Any, Any, Any]], start: datetime.date, end: datetime.date
) -> dict[tuple[datetime.date, Any], int]:
    """Youths hosted each day of [start, end) per group, from the stays overlapping it:
    each stay adds one from its first day in the window and removes it on its end day
    (half-open), the days summed in order, so a year of a thousand stays costs one pass
    over the stays and one over the days (a calendar joined to the stays cost 365 × 2,000
    rows)."""
    length = (end - start).days
    changes: dict[Any, list[int]] = defaultdict(lambda: [0] * (length + 1))
    for group, first, last in stays:
        first = max(_as_date(first), start)
        last = min(_as_date(last), end) if last is not None else end
        changes[group][(first - start).days] += 1
        changes[group][(last - start).days] -= 1
    occupied = {}
    for group, steps in changes.items():
        count = 0
        for offset in range(length):
            count += steps[offset]
            if count:
                occupied[(start + datetime.timedelta(days=offset), group)] = count
    return occupied


def free_places(
    site_ids: Iterable[int], start: datetime.date, days: int = AVAILABILITY_HORIZON_DAYS
) -> dict[int, int]:
    """For each site, the fewest free places on any day of [start, start + days): opened
    capacity minus occupants, day by day, the minimum taken in SQL (one query, whatever the
    horizon). A day with neither capacity nor occupant has no free place."""
    site_ids = list(site_ids)
    if not site_ids:
        return {}
    sites = ", ".join(["%s"] * len(site_ids))
    sql = (
        f"WITH RECURSIVE {_calendar()}, "  # noqa: S608 - fixed fragments, values as parameters
        "occupied(day, site_id, n) AS (SELECT cal.day, st.site_id, COUNT(*) FROM cal "
        f"{_STAYS_ON_DAY}WHERE st.site_id IN ({sites}) AND {_STAY_IN_WINDOW} "
        "GROUP BY cal.day, st.site_id), "
        "opened(day, site_id, n) AS (SELECT cal.day, cc.site_id, SUM(cc.places) FROM cal "
        f"{_OPENED_BY_DAY}WHERE cc.site_id IN ({sites}) GROUP BY cal.day, cc.site_id) "
        "SELECT si.id, MIN(COALESCE(opened.n, 0) - COALESCE(occupied.n, 0)) "
        "FROM cal CROSS JOIN housing_site si "
        "LEFT JOIN occupied ON occupied.day = cal.day AND occupied.site_id = si.id "
        "LEFT JOIN opened ON opened.day = cal.day AND opened.site_id = si.id "
        f"WHERE si.id IN ({sites}) GROUP BY si.id"
    )
    end = start + datetime.timedelta(days=days)
    with connection.cursor() as cursor:
        window = [start.isoformat(), end.isoformat()]
        cursor.execute(sql, [*window, *site_ids, *window[::-1], *site_ids, *site_ids])
        lowest = {site_id: int(free) for site_id, free in cursor.fetchall()}
    return {site: lowest.get(site, 0) for site in site_ids}


@dataclass(frozen=True)
class Availability:
    site: Site
    free: int


def availability(
    consortium: Consortium, start: datetime.date, age: int | None, sex: str
) -> list[Availability]:
    """Sites of all members accepting the youth's age and sex with a free place from the
    start date on (the coordination's search across members). The free places
    of the GME's sites from a date are kept between two changes of its housing
    (:mod:`coparcours.housing.figures`)."""
    all_sites = list(Site.objects.filter(consortium=consortium).select_related("organisation"))
    free = figures.remembered(
        consortium.pk,
        f"free_places:{start.isoformat()}",
        lambda: free_places([site.pk for site in all_sites], start),
    )
    sites = [
        site
        for site in all_sites
        if rules.site_accepts(site.min_age, site.max_age, site.accepted_sex, age, sex) is None
    ]
    found = [Availability(site, free[site.pk]) for site in sites if free[site.pk] > 0]
    return sorted(found, key=lambda a: (-a.free, a.site.organisation.name, a.site.name))


@dataclass(frozen=True)
class MonthMovement:
    month: datetime.date
    entries: int
    exits: int
    transfers: int


def monthly_movements(consortium: Consortium, since: datetime.date) -> list[MonthMovement]:
    """Entries (admissions, not transfers), exits and transfers per month, in SQL."""
    stays = Stay.objects.filter(site__consortium=consortium)
    entries = dict(
        stays.filter(start_date__gte=since, transfer_in__isnull=True)
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    ended = (
        stays.filter(end_date__gte=since, end_date__lte=timezone.localdate())
        .annotate(month=TruncMonth("end_date"))
        .values("month")
    )
    exits = dict(
        ended.exclude(exit_reason=ExitReason.TRANSFER)
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    transfers = dict(
        ended.filter(exit_reason=ExitReason.TRANSFER)
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    months = sorted(set(entries) | set(exits) | set(transfers))
    return [
        MonthMovement(_as_date(m), entries.get(m, 0), exits.get(m, 0), transfers.get(m, 0))
        for m in months
    ]


@dataclass(frozen=True)
class GroupOccupancy:
    label: str
    occupied: int
    capacity: int
    saturated: bool

    @property
    def rate(self) -> float | None:
        return rules.occupancy_rate(self.occupied, self.capacity)


def occupancy_today(
    consortium: Consortium,
    by: str,
    day: datetime.date | None = None,
    settings: HousingSettings | None = None,
) -> list[GroupOccupancy]:
    """Occupancy on one day per member, kind or site, with the saturation alert (settings
    in force on the day, read unless the caller has them). The day's figures are kept
    between two changes of the GME's housing (:mod:`coparcours.housing.figures`)."""
    day = day or timezone.localdate()
    threshold = (settings or HousingSettings.in_force(day)).saturation_threshold_percent
    rows = figures.remembered(
        consortium.pk,
        f"occupancy:{day.isoformat()}:{by}",
        lambda: daily_occupancy(consortium.pk, day, day + datetime.timedelta(days=1), by=by),
    )
    labels = group_labels(consortium, by)
    return [
        GroupOccupancy(
            labels.get(row.key, str(row.key)),
            row.occupied,
            row.capacity,
            rules.is_saturated(row.occupied, row.capacity, threshold),
        )
        for row in sorted(rows, key=lambda r: labels.get(r.key, str(r.key)))
    ]


def group_labels(consortium: Consortium, by: str) -> dict[Any, str]:
    if by == "kind":
        return dict(SiteKind.choices)
    if by == "organisation":
        return {
            m.organisation_id: m.organisation.name
            for m in consortium.members.select_related("organisation")
        }
    if by == "site":
        return dict(Site.objects.filter(consortium=consortium).values_list("pk", "name"))
    return {consortium.pk: consortium.name}
