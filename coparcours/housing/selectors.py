"""Read queries of the housing app: who coordinates or funds what, availability, occupancy
(computed in SQL over a calendar, never by a Python loop over days), visible stays."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Capability,
    Category,
    Standing,
    active_memberships,
    consortia_where,
    decide,
    organisations_where,
    visible_youth_data,
)
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.housing import figures, rules
from coparcours.housing.models import (
    CapacityChange,
    ExitReason,
    HousingSettings,
    MajorityReminder,
    PlacementRequest,
    Proposal,
    ProposalStatus,
    RequestStatus,
    Site,
    SiteKind,
    SiteLoan,
    Stay,
    Wave,
)
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation
from coparcours.youths.models import access_facts_for
from coparcours.youths.rules import MAJORITY_AGE, add_years

#: Days after the entry date over which a place must stay free (availability, admission).
AVAILABILITY_HORIZON_DAYS = 90

# --- Who coordinates, funds or hosts ----------------------------------------------------


def coordinated_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose coordination the user works in (the lead member's coordinator)."""
    return consortia_where(user, Capability.HOUSING_COORDINATION)


def funded_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs funded by an organisation where the user follows the funder's requests."""
    return consortia_where(user, Capability.HOUSING_REQUESTS, standing=Standing.GME_FUNDER)


def staff_organisation_ids(user: Any) -> set[int]:
    """The user's GME members whose proposals, stays, sites and loans they handle."""
    return organisations_where(user, Capability.HOUSING_MEMBER)


def funder_organisation_ids(user: Any) -> set[int]:
    """The user's funders (the Département) on whose behalf they file placement requests."""
    return organisations_where(user, Capability.HOUSING_REQUEST_FILE)


def lead_organisation_id(consortium: Consortium) -> int:
    return consortium.members.get(is_lead=True).organisation_id


# --- Sites, waves and loans the user manages -----------------------------------------------


def managed_site_filter(user: Any) -> Q:
    """Sites of the GMEs the user coordinates, and sites of the members where the user is
    on the staff (each member declares its own sites)."""
    staff_ids = staff_organisation_ids(user)
    return Q(consortium__in=coordinated_consortia(user)) | Q(
        organisation_id__in=staff_ids, consortium__kind=ConsortiumKind.GME
    )


def managed_sites(user: Any) -> QuerySet[Site]:
    return (
        Site.objects.filter(managed_site_filter(user))
        .select_related("organisation", "consortium")
        .distinct()
    )


def site_declaring_choices(user: Any) -> tuple[QuerySet[Consortium], QuerySet[Organisation]]:
    """GMEs and members for which the user may declare a site: all members of the GMEs the
    user coordinates, the user's own organisations in the GMEs they belong to."""
    coordinated = coordinated_consortia(user)
    staff_ids = staff_organisation_ids(user)
    consortia = Consortium.objects.filter(
        Q(pk__in=coordinated.values("pk"))
        | Q(kind=ConsortiumKind.GME, members__organisation_id__in=staff_ids)
    ).distinct()
    organisations = Organisation.objects.filter(
        Q(consortium_memberships__consortium__in=coordinated.values("pk"))
        | Q(pk__in=staff_ids, consortium_memberships__consortium__kind=ConsortiumKind.GME)
    ).distinct()
    return consortia, organisations


def wave_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose waves the user sees and records: coordinated or funded ones."""
    return Consortium.objects.filter(
        Q(pk__in=coordinated_consortia(user).values("pk"))
        | Q(pk__in=funded_consortia(user).values("pk"))
    )


@dataclass(frozen=True)
class WaveProgress:
    wave: Wave
    planned_at_sites: int
    opened: int


def wave_progress(consortium: Consortium) -> list[WaveProgress]:
    """Each wave's decided places against those planned at sites and actually opened
    (aggregates only: what the funder may see). One query."""
    waves = Wave.objects.filter(consortium=consortium).annotate(
        at_sites=Sum("changes__places"),
        opened=Sum("changes__places", filter=Q(changes__opened_on__isnull=False)),
    )
    return [WaveProgress(w, w.at_sites or 0, w.opened or 0) for w in waves]


def visible_loans(user: Any) -> QuerySet[SiteLoan]:
    """Loans of a coordinated GME's sites, or where the user's member lends or borrows."""
    staff_ids = staff_organisation_ids(user)
    return (
        SiteLoan.objects.filter(
            Q(site__consortium__in=coordinated_consortia(user))
            | Q(site__organisation_id__in=staff_ids)
            | Q(borrower_id__in=staff_ids)
        )
        .select_related("site__organisation", "borrower")
        .distinct()
    )


# --- Requests -----------------------------------------------------------------------------


def requests_for(user: Any) -> QuerySet[PlacementRequest]:
    """Requests the user may see: all of a coordinated GME, or those its own funder filed."""
    coordinated = coordinated_consortia(user)
    funder_ids = funder_organisation_ids(user)
    return (
        PlacementRequest.objects.filter(Q(consortium__in=coordinated) | Q(funder_id__in=funder_ids))
        .select_related("consortium", "funder")
        .distinct()
    )


def proposals_to_answer(user: Any) -> QuerySet[Proposal]:
    """Places proposed to the user's GME members (on their sites or sites lent to them)
    that wait for their answer or, accepted, for the admission."""
    ids = staff_organisation_ids(user)
    return (
        Proposal.objects.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED])
        .filter(Q(site__organisation_id__in=ids) | Q(site__loans__borrower_id__in=ids))
        .select_related("request", "site__organisation")
        .distinct()
    )


def proposals_for(user: Any) -> QuerySet[Proposal]:
    """The proposals the user may act on (page or API): those waiting for their team, and
    every proposal of a GME they coordinate; any other is answered as one that does not
    exist."""
    return Proposal.objects.filter(
        Q(pk__in=proposals_to_answer(user).values("pk"))
        | Q(site__consortium__in=coordinated_consortia(user))
    ).select_related("request", "site__organisation")


def record_request_read(user: Any, placement: PlacementRequest) -> None:
    """Audit a reading of a placement request (page or API): it shows the requested youth's
    name and birth date (identity) to its funder or to the GME's coordination. The line
    names the request, and the youth once the request is linked to their record (CNIL
    référentiel 2021-028)."""
    lead = (
        Organisation.objects.only("id", "name")
        .filter(
            consortium_memberships__consortium_id=placement.consortium_id,
            consortium_memberships__is_lead=True,
        )
        .first()
    )
    coordinates = lead is not None and lead.pk in organisations_where(
        user, Capability.HOUSING_COORDINATION
    )
    record(
        user,
        AuditEvent.READ,
        organisation=lead if coordinates else placement.funder,
        youth_id=placement.youth_id,
        category=Category.IDENTITY,
        obj=placement,
    )


def waiting_list(consortium: Consortium) -> QuerySet[PlacementRequest]:
    """Requests without a place, the most urgent first, then by requested date."""
    return PlacementRequest.objects.filter(
        consortium=consortium, status__in=[RequestStatus.RECEIVED, RequestStatus.WAITING]
    ).order_by("urgency_rank", "requested_date", "pk")


# --- Occupancy in SQL ----------------------------------------------------------------------

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
    occupancy_sql = (
        f"WITH RECURSIVE {_calendar()} "  # noqa: S608 - fixed fragments, values as parameters
        f"SELECT cal.day, {key}, COUNT(st.id) FROM cal {_STAYS_ON_DAY}"
        f"JOIN housing_site si ON si.id = st.site_id WHERE {where} AND {_STAY_IN_WINDOW} "
        f"GROUP BY cal.day, {key}"
    )
    capacity_sql = (
        f"WITH RECURSIVE {_calendar()} "  # noqa: S608 - fixed fragments, values as parameters
        f"SELECT cal.day, {key}, SUM(cc.places) FROM cal {_OPENED_BY_DAY}"
        f"JOIN housing_site si ON si.id = cc.site_id WHERE {where} GROUP BY cal.day, {key}"
    )
    values: dict[tuple[datetime.date, Any], list[int]] = defaultdict(lambda: [0, 0])
    with connection.cursor() as cursor:
        window = [start.isoformat(), end.isoformat()]
        cursor.execute(occupancy_sql, [*window, *params, *window[::-1]])
        for day, group, occupied in cursor.fetchall():
            values[(_as_date(day), group)][0] = int(occupied)
        cursor.execute(capacity_sql, [start.isoformat(), end.isoformat(), *params])
        for day, group, capacity in cursor.fetchall():
            values[(_as_date(day), group)][1] = int(capacity or 0)
    return [
        OccupancyRow(day, group, occupied, capacity)
        for (day, group), (occupied, capacity) in sorted(
            values.items(), key=lambda item: (item[0][0], str(item[0][1]))
        )
    ]


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
class CapacityPoint:
    day: datetime.date
    planned: int
    opened: int


def capacity_history(consortium: Consortium) -> list[CapacityPoint]:
    """Planned and actually opened places over time (cumulated at each change date)."""
    changes = CapacityChange.objects.filter(site__consortium=consortium)
    planned = dict(
        changes.values("planned_on").annotate(n=Sum("places")).values_list("planned_on", "n")
    )
    opened = dict(
        changes.filter(opened_on__isnull=False)
        .values("opened_on")
        .annotate(n=Sum("places"))
        .values_list("opened_on", "n")
    )
    days = sorted(set(planned) | set(opened))
    planned_totals = accumulate(planned.get(day, 0) for day in days)
    opened_totals = accumulate(opened.get(day, 0) for day in days)
    return [
        CapacityPoint(day, p, o)
        for day, p, o in zip(days, planned_totals, opened_totals, strict=True)
    ]


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


# --- Stays under the access policy ---------------------------------------------------------


def visible_stays(
    user: Any, stays: QuerySet[Stay] | None = None, *, few_rows: bool = False
) -> list[Stay]:
    """Stays whose housing data the user may read: youths accompanied by the user's
    organisations (``visible_youth_data``, with ``few_rows`` when the stays are already
    narrowed to a few youths), then the policy's decision for each stay's author."""
    stays = stays if stays is not None else Stay.objects.all()
    rows = list(
        visible_youth_data(user, stays, few_rows=few_rows).select_related(
            "youth", "site", "site__organisation", "author_organisation"
        )
    )
    day = timezone.localdate()
    facts = access_facts_for(
        {stay.youth_id: stay.youth.owner_organisation_id for stay in rows}, day
    )
    memberships = active_memberships(user, day)
    return [
        stay
        for stay in rows
        if decide(
            memberships,
            facts[stay.youth_id],
            Category.HOUSING,
            Action.READ,
            stay.author_organisation_id,
        )
    ]


@dataclass(frozen=True)
class ComingMajority:
    stay: Stay
    majority_date: datetime.date
    days_left: int


def coming_majorities(
    user: Any, consortium: Consortium, settings: HousingSettings | None = None
) -> list[ComingMajority]:
    """Hosted youths turning 18 within the coordinator alert delay (a dated setting, read
    unless the caller has the settings in force today)."""
    today = timezone.localdate()
    delay = (settings or HousingSettings.in_force(today)).coordinator_alert_days
    oldest = add_years(today, -MAJORITY_AGE)
    youngest = add_years(today + datetime.timedelta(days=delay), -MAJORITY_AGE)
    stays = Stay.objects.active(today).filter(
        site__consortium=consortium, youth__birth_date__gt=oldest, youth__birth_date__lte=youngest
    )
    found = [
        ComingMajority(stay, stay.youth.majority_date, (stay.youth.majority_date - today).days)
        for stay in visible_stays(user, stays, few_rows=True)
    ]
    return sorted(found, key=lambda c: c.majority_date)


def pending_reminders(youth_ids: Iterable[int]) -> dict[int, list[MajorityReminder]]:
    """Reminders raised before majority that are still ahead, by youth (one query): the
    referent sees on the stays page which preparation interview is due (CASF L.222-5-1)."""
    found: dict[int, list[MajorityReminder]] = defaultdict(list)
    reminders = MajorityReminder.objects.filter(
        youth_id__in=list(youth_ids), majority_date__gt=timezone.localdate()
    ).order_by("majority_date", "kind")
    for reminder in reminders:
        found[reminder.youth_id].append(reminder)
    return dict(found)
