"""GME steering tables: places planned and opened, occupancy, placement requests,
entries and exits, coming majorities, serious incidents and runaways (the coordinator's
dashboard)."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coparcours.housing.models import (
    CapacityChange,
    PlacementRequest,
    Proposal,
    SeriousIncident,
    Stay,
)
from coparcours.housing.models.incidents import IncidentKind
from coparcours.housing.models.requests import RequestStatus
from coparcours.housing.models.stays import ExitReason
from coparcours.housing.selectors import occupancy as housing
from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.common import (
    Period,
    as_date,
    mean,
    mean_present,
    month_starts,
    rate,
)
from coparcours.reporting.tables import ADDS_UP, AVERAGED, SAME_ROWS, Table
from coparcours.youths.rules import MAJORITY_AGE, add_years


def _sites(path: str, organisation_ids: Iterable[int] | None, site_ids: Iterable[int] | None) -> Q:
    """The dashboard's member and site filter on a relation to a site (``path``): the
    site's member organisation and the site itself; no filter when both are ``None``."""
    found = Q()
    if organisation_ids is not None:
        found &= Q(**{f"{path}__organisation_id__in": list(organisation_ids)})
    if site_ids is not None:
        found &= Q(**{f"{path}_id__in": list(site_ids)})
    return found


def _month_ends(period: Period) -> list[tuple[datetime.date, datetime.date]]:
    """Each month of the period with the day after its end (bounded by the period's end)."""
    return [
        (month, min((month + datetime.timedelta(days=32)).replace(day=1), period.end))
        for month in month_starts(period)
    ]


def capacity_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Places planned vs opened at the end of each month of the period.

    Definition: planned = places of the capacity changes planned on or before the day,
    opened = those with an opening date on or before it (waves of places have a planned and
    an actual date per member and site), for the chosen member and site. Two
    aggregate queries (planned and opened places per consortium and date).
    """
    changes = CapacityChange.objects.filter(site__consortium__in=consortia).filter(
        _sites("site", organisation_ids, site_ids)
    )
    planned: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for consortium_id, day, places in (
        changes.values("site__consortium_id", "planned_on")
        .annotate(n=Sum("places"))
        .values_list("site__consortium_id", "planned_on", "n")
    ):
        planned[consortium_id].append((day, places))
    opened: dict[int, list[tuple[datetime.date, int]]] = defaultdict(list)
    for consortium_id, day, places in (
        changes.filter(opened_on__isnull=False)
        .values("site__consortium_id", "opened_on")
        .annotate(n=Sum("places"))
        .values_list("site__consortium_id", "opened_on", "n")
    ):
        opened[consortium_id].append((day, places))
    rows = [
        [
            consortium.name,
            month.strftime("%m/%Y"),
            sum(n for day, n in planned[consortium.pk] if day < after),
            sum(n for day, n in opened[consortium.pk] if day < after),
        ]
        for consortium in consortia
        for month, after in _month_ends(period)
    ]
    return Table(
        "Places prévues et ouvertes",
        ["Groupement", "Mois", "Places prévues", "Places ouvertes"],
        rows,
        chart=[2, 3],
    )


def occupancy_table(
    consortia: Sequence[Consortium],
    period: Period,
    by: str,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Occupancy rate over the period per member (``by="organisation"``) or kind of site.

    Definition: rate = occupied place-days / opened place-days over [start, end) × 100
    (occupancy of the places opened by each member; housing's daily occupancy in SQL, two
    aggregate queries per consortium).
    """
    occupied: dict[tuple[str, Any], int] = defaultdict(int)
    capacity: dict[tuple[str, Any], int] = defaultdict(int)
    labels: dict[Any, str] = {}
    for consortium in consortia:
        labels.update(housing.group_labels(consortium, by))
        for row in housing.daily_occupancy(
            consortium.pk,
            period.start,
            period.end,
            by=by,
            organisation_ids=organisation_ids,
            site_ids=site_ids,
        ):
            occupied[(consortium.name, row.key)] += row.occupied
            capacity[(consortium.name, row.key)] += row.capacity
    rows = []
    for key in sorted(set(occupied) | set(capacity), key=lambda k: (k[0], labels.get(k[1], ""))):
        days = occupied[key]
        mean_youths = mean_present(days, period.days)
        rows.append(
            [key[0], labels.get(key[1], str(key[1])), mean_youths, rate(days, capacity[key])]
        )
    title = "membre" if by == "organisation" else "type d'accueil"
    return Table(
        f"Taux d'occupation par {title}",
        ["Groupement", title.capitalize(), "Jeunes hébergés (moyenne)", "Taux d'occupation (%)"],
        rows,
        counts={2},
        basis={3: [2]},
        chart=[3],
        over_time=AVERAGED,
    )


def requests_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Placement requests received in the period, placed, still waiting, and the delay.

    Definitions (the coordination is the funder's single entry point): received =
    filed in [start, end); placed = of those, a youth was admitted; waiting = of those,
    still received or on the waiting list today; delay = days from filing to the first
    stay's entry, averaged over the placed requests. With a member or site chosen, the
    requests counted are those the coordination proposed to it (a request not yet proposed
    belongs to no member), and the delays those of the stays there. One aggregate query,
    one for delays.
    """
    filed = PlacementRequest.objects.filter(
        consortium__in=consortia,
        created_at__date__gte=period.start,
        created_at__date__lt=period.end,
    )
    where = _sites("site", organisation_ids, site_ids)
    if where:
        filed = filed.filter(Exists(Proposal.objects.filter(where, request=OuterRef("pk"))))
    counts = {
        row["consortium__name"]: row
        for row in filed.values("consortium__name").annotate(
            received=Count("id"),
            placed=Count("id", filter=Q(status=RequestStatus.ADMITTED)),
            waiting=Count(
                "id", filter=Q(status__in=[RequestStatus.RECEIVED, RequestStatus.WAITING])
            ),
        )
    }
    delays: dict[str, list[int]] = defaultdict(list)
    for name, created, entry in Stay.objects.filter(
        where, request__in=filed, transfer_in__isnull=True
    ).values_list("request__consortium__name", "request__created_at", "start_date"):
        # the day of filing in Europe/Paris, as the period's bounds (created_at__date)
        delays[name].append(max((entry - timezone.localdate(created)).days, 0))
    rows = [
        [
            c.name,
            counts.get(c.name, {}).get("received", 0),
            counts.get(c.name, {}).get("placed", 0),
            counts.get(c.name, {}).get("waiting", 0),
            mean(delays[c.name]),
        ]
        for c in consortia
    ]
    return Table(
        "Demandes de placement",
        ["Groupement", "Reçues", "Accueillies", "En attente", "Délai moyen d'accueil (jours)"],
        rows,
        counts={1, 2, 3},
        basis={4: [2]},
        total_row=True,
        row_parts=[((2, 3), 1)],  # admitted and waiting among those received
        over_time=ADDS_UP,
    )


def movements_table(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Entries (admissions, not transfers), exits and transfers per month of the period.

    Definition: an entry is a stay starting in the month without coming from a transfer; an
    exit a stay ending in the month (up to today) for another reason than a transfer; a
    transfer a stay ending by a transfer (a reorientation between members); stays
    of the chosen member's or site's places. Two aggregate queries.
    """
    stays = Stay.objects.filter(site__consortium__in=consortia).filter(
        _sites("site", organisation_ids, site_ids)
    )
    figures: dict[tuple[str, datetime.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for name, month, n in (
        stays.filter(
            start_date__gte=period.start, start_date__lt=period.end, transfer_in__isnull=True
        )
        .annotate(month=TruncMonth("start_date"))
        .values("site__consortium__name", "month")
        .annotate(n=Count("id"))
        .values_list("site__consortium__name", "month", "n")
    ):
        figures[(name, as_date(month))][0] = n
    for name, month, exits, transfers in (
        stays.filter(
            end_date__gte=period.start,
            end_date__lt=min(period.end, today + datetime.timedelta(days=1)),
        )
        .annotate(month=TruncMonth("end_date"))
        .values("site__consortium__name", "month")
        .annotate(
            exits=Count("id", filter=~Q(exit_reason=ExitReason.TRANSFER)),
            transfers=Count("id", filter=Q(exit_reason=ExitReason.TRANSFER)),
        )
        .values_list("site__consortium__name", "month", "exits", "transfers")
    ):
        figures[(name, as_date(month))][1:] = [exits, transfers]
    rows = [
        [name, month.strftime("%m/%Y"), *figures[(name, month)]] for name, month in sorted(figures)
    ]
    return Table(
        "Entrées, sorties et réorientations par mois",
        ["Groupement", "Mois", "Entrées", "Sorties", "Réorientations"],
        rows,
        counts={2, 3, 4},
        total_row=True,
        over_time=SAME_ROWS,
    )


def majorities_table(
    consortia: Sequence[Consortium],
    day: datetime.date,
    days: int = 90,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Hosted youths turning 18 within ``days`` days, per member (CASF L.222-5: the
    after-18 decision must be prepared), at the chosen member or site. One aggregate query."""
    oldest = add_years(day, -MAJORITY_AGE)
    youngest = add_years(day + datetime.timedelta(days=days), -MAJORITY_AGE)
    rows = [
        [row["site__consortium__name"], row["site__organisation__name"], row["n"]]
        for row in Stay.objects.active(day)
        .filter(
            _sites("site", organisation_ids, site_ids),
            site__consortium__in=consortia,
            youth__birth_date__gt=oldest,
            youth__birth_date__lte=youngest,
        )
        .values("site__consortium__name", "site__organisation__name")
        .annotate(n=Count("id"))
        .order_by("site__consortium__name", "site__organisation__name")
    ]
    return Table(
        f"Majorités dans les {days} prochains jours",
        ["Groupement", "Membre", "Jeunes"],
        rows,
        counts={2},
        total_row=True,
        over_time=SAME_ROWS,  # today's, whatever the period
    )


def _incidents(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None,
    site_ids: Iterable[int] | None,
):
    return SeriousIncident.objects.filter(
        _sites("site", organisation_ids, site_ids),
        consortium__in=consortia,
        occurred_on__gte=period.start,
        occurred_on__lt=min(period.end, today + datetime.timedelta(days=1)),
    )


def incidents_table(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Serious incidents reported to the authority (CASF L.331-8-1), per kind.

    Definition: the events that occurred in the period (up to today) at the chosen member's
    or site's places, whatever their state, each counted once. One aggregate query."""
    labels = dict(IncidentKind.choices)
    rows = [
        [row["consortium__name"], labels[row["kind"]], row["n"]]
        for row in _incidents(consortia, period, today, organisation_ids, site_ids)
        .values("consortium__name", "kind")
        .annotate(n=Count("id"))
        .order_by("consortium__name", "kind")
    ]
    return Table(
        "Événements graves signalés, par nature",
        ["Groupement", "Nature", "Événements"],
        rows,
        counts={2},
        total_row=True,
        over_time=ADDS_UP,
    )


def runaways_table(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> Table:
    """Runaways and returns, with the median days before the youth came back.

    Definition: the runaways that began in the period (up to today); « revenus » those whose
    youth's return is recorded (by today), never more than the runaways; the median of their
    days from the runaway to the return. One query (the returned runaways' two dates)."""
    found: dict[str, list] = defaultdict(lambda: [0, []])
    for name, gone, back in (
        _incidents(consortia, period, today, organisation_ids, site_ids)
        .filter(kind=IncidentKind.RUNAWAY)
        .values_list("consortium__name", "occurred_on", "returned_on")
    ):
        found[name][0] += 1
        if back is not None:
            found[name][1].append((back - gone).days)
    rows = [
        [name, runaways, len(days), statistics.median(days) if days else None]
        for name, (runaways, days) in sorted(found.items())
    ]
    return Table(
        "Fugues et retours",
        ["Groupement", "Fugues", "Revenus", "Jours avant le retour (médiane)"],
        rows,
        counts={1, 2},
        basis={3: [2]},
        row_parts=[((2,), 1)],
        total_row=True,
        over_time=ADDS_UP,
    )


def gme_tables(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> list[Table]:
    """All the coordinator's tables, in the dashboard's order, for the chosen member and
    site (every table: each counts places, stays or proposals at a site)."""
    return [
        capacity_table(consortia, period, organisation_ids, site_ids),
        occupancy_table(consortia, period, "organisation", organisation_ids, site_ids),
        occupancy_table(consortia, period, "kind", organisation_ids, site_ids),
        requests_table(consortia, period, organisation_ids, site_ids),
        movements_table(consortia, period, today, organisation_ids, site_ids),
        majorities_table(consortia, today, organisation_ids=organisation_ids, site_ids=site_ids),
        incidents_table(consortia, period, today, organisation_ids, site_ids),
        runaways_table(consortia, period, today, organisation_ids, site_ids),
    ]
