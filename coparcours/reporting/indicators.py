"""Steering indicators: each a documented function computed by SQL aggregation.

Periods are half-open ``[start, end)`` (docs/conventions.md). Every function takes the
consortia (GMEs or CEJ-JR partnerships) the caller may steer — the views and the API decide
which — and returns plain numbers in :class:`~coparcours.reporting.tables.Table`, never a
youth's identity; what a funder sees of them is decided by :mod:`.tables` alone.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    Sum,
)
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from coparcours.cej.models import (
    Activity,
    Dimension,
    EligibilityCheck,
    ExitOutcome,
    PartnershipSettings,
    Pathway,
    Review,
    ReviewRating,
    StageChange,
)
from coparcours.cej.rules import Stage
from coparcours.finance.models import InvoiceLine, Payment, Redistribution
from coparcours.housing import selectors as housing
from coparcours.housing.models import (
    CapacityChange,
    ExitReason,
    PlacementRequest,
    Proposal,
    RequestStatus,
    Stay,
)
from coparcours.organisations.models import Consortium
from coparcours.reporting.tables import (  # noqa: F401 (the tables' vocabulary, re-exported)
    ADDS_UP,
    AVERAGED,
    MASKED,
    SAME_ROWS,
    SECRET,
    Cell,
    Table,
    mask_count,
    mask_derived,
    mask_table,
    with_total,
)
from coparcours.youths.rules import MAJORITY_AGE, add_years

# --- Period and helpers --------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # excluded

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def _months(period: Period) -> list[datetime.date]:
    months, month = [], period.start.replace(day=1)
    while month < period.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _mean_present(youth_days: int, days: int) -> int:
    """Youths present on average over ``days``, rounded, but never 0 when someone was:
    a mean rounded to 0 would show a count of nobody beside a positive rate, and the
    masking, which hides 1 to 4 youths, would not see them."""
    if not youth_days or not days:
        return 0
    return max(1, round(youth_days / days))


def _mean(values: list[int]) -> float | None:
    return round(statistics.mean(values), 1) if values else None


# --- GME: places, occupancy, requests, movements, majorities --------------------------------


def _sites(path: str, organisation_ids: Iterable[int] | None, site_ids: Iterable[int] | None) -> Q:
    """The dashboard's member and site filter on a relation to a site (``path``): the
    site's member organisation and the site itself; no filter when both are ``None``."""
    found = Q()
    if organisation_ids is not None:
        found &= Q(**{f"{path}__organisation_id__in": list(organisation_ids)})
    if site_ids is not None:
        found &= Q(**{f"{path}_id__in": list(site_ids)})
    return found


def _as_date(value: datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _month_ends(period: Period) -> list[tuple[datetime.date, datetime.date]]:
    """Each month of the period with the day after its end (bounded by the period's end)."""
    return [
        (month, min((month + datetime.timedelta(days=32)).replace(day=1), period.end))
        for month in _months(period)
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
        mean_youths = _mean_present(days, period.days)
        rows.append(
            [key[0], labels.get(key[1], str(key[1])), mean_youths, _rate(days, capacity[key])]
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
            _mean(delays[c.name]),
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
        figures[(name, _as_date(month))][0] = n
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
        figures[(name, _as_date(month))][1:] = [exits, transfers]
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
    ]


# --- CEJ-JR: funnel, hours, reviews, progress ----------------------------------------------

FUNNEL_STEPS = [
    ("identified", "Repéré·es"),
    ("eligible", "Éligibles"),
    ("pre_cej", "Pré CEJ-JR"),
    ("remobilisation", "Remobilisation"),
    ("contract", "Contrat CEJ"),
    ("exit", "Sorti·es"),
]


def _partners(path: str, organisation_ids: Iterable[int] | None) -> Q:
    """The dashboard's partner filter on a pathway (``path`` leads to it): pathways the
    organisation takes part in, as the porteur who recorded it or as the youth's mission
    locale (the porteur and the mission locale share the follow-up)."""
    if organisation_ids is None:
        return Q()
    ids = list(organisation_ids)
    return Q(**{f"{path}author_organisation_id__in": ids}) | Q(
        **{f"{path}mission_locale_id__in": ids}
    )


def _reached(stage: str) -> Exists:
    return Exists(StageChange.objects.filter(pathway=OuterRef("pk"), to_stage=stage))


def funnel_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """The CEJ-JR funnel of the youths identified in the period, with conversions.

    Definition (the stages of docs/domain-rules.md, "Stages"): a youth counts at a step when their
    pathway reached it (a stage change to it, or for "eligible" an eligibility check found
    eligible); the cohort is the pathways identified in [start, end). Conversion = share of
    the identified youths that reached the step. One aggregate query.
    """
    cohort = Pathway.objects.filter(
        _partners("", organisation_ids),
        partnership__in=partnerships,
        identified_on__gte=period.start,
        identified_on__lt=period.end,
    ).annotate(
        was_eligible=Exists(
            EligibilityCheck.objects.filter(pathway=OuterRef("pk"), status="eligible")
        ),
        was_pre=_reached(Stage.PRE_CEJ),
        was_remob=_reached(Stage.REMOBILISATION),
        was_contract=_reached(Stage.CONTRACT),
        was_exit=_reached(Stage.EXIT),
    )
    figures = cohort.aggregate(
        identified=Count("id"),
        eligible=Count("id", filter=Q(was_eligible=True)),
        pre_cej=Count("id", filter=Q(was_pre=True)),
        remobilisation=Count("id", filter=Q(was_remob=True)),
        contract=Count("id", filter=Q(was_contract=True) | Q(contract_start__isnull=False)),
        exit=Count("id", filter=Q(was_exit=True) | Q(exit_on__isnull=False)),
    )
    total = figures["identified"]
    rows = [[label, figures[key], _rate(figures[key], total)] for key, label in FUNNEL_STEPS]
    return Table(
        "Entonnoir CEJ-JR (jeunes repérés sur la période)",
        ["Étape", "Jeunes", "Part des repérés (%)"],
        rows,
        counts={1},
        basis={2: [1]},
        within_first={1},  # every step counts youths identified in the period
        over_time=ADDS_UP,
    )


def exits_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Exits in the period by outcome (the quantitative targets, reported beside progress)."""
    found = dict(
        Pathway.objects.filter(
            _partners("", organisation_ids),
            partnership__in=partnerships,
            exit_on__gte=period.start,
            exit_on__lt=period.end,
        )
        .values("exit_outcome")
        .annotate(n=Count("id"))
        .values_list("exit_outcome", "n")
    )
    rows = [[label, found.get(value, 0)] for value, label in ExitOutcome.choices]
    return Table(
        "Sorties par issue",
        ["Issue", "Jeunes"],
        rows,
        counts={1},
        total_row=True,
        over_time=ADDS_UP,
    )


def durations_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Average days from identification to contract and from contract to exit.

    Definition: over the pathways whose contract started (resp. who exited) in the period;
    dates read in one query each, averaged here (an average over fewer than 5 youths is
    secret for funders, rule 3).
    """
    base = Pathway.objects.filter(_partners("", organisation_ids), partnership__in=partnerships)
    to_contract = [
        (c - i).days
        for i, c in base.filter(
            contract_start__gte=period.start, contract_start__lt=period.end
        ).values_list("identified_on", "contract_start")
    ]
    to_exit = [
        (e - c).days
        for c, e in base.filter(
            exit_on__gte=period.start, exit_on__lt=period.end, contract_start__isnull=False
        ).values_list("contract_start", "exit_on")
    ]
    rows = [
        ["Du repérage au contrat", len(to_contract), _mean(to_contract)],
        ["Du contrat à la sortie", len(to_exit), _mean(to_exit)],
    ]
    return Table(
        "Durées des parcours",
        ["Durée", "Jeunes", "Moyenne (jours)"],
        rows,
        counts={1},
        basis={2: [1]},
        chart=[2],
        over_time=ADDS_UP,
    )


WEEK = datetime.timedelta(days=7)


def weekly_hours_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Share of weeks reaching the partnership's minimum weekly hours.

    Definition (CEJ, R.5131-16: 15 to 20 h a week split between the partners):
    the weeks (Monday to Sunday) counted for a youth are every whole week of the contract
    within the period — from the later of the contract's start and the period's start to
    the earlier of the exit and the period's end — and any other week with an activity
    recorded; a week reaches the minimum when the activities not marked as missed add up
    to at least the partnership's ``minimum_weekly_hours``, so a contract week without any
    activity does not. One aggregate query for the hours, one for the contracts, one for
    the settings; the contract weeks are enumerated here (at most 157 a youth, the period
    being three years at most).
    """
    minimum = dict(
        PartnershipSettings.objects.filter(partnership__in=partnerships).values_list(
            "partnership_id", "minimum_weekly_hours"
        )
    )
    names = {p.pk: p.name for p in partnerships}
    minutes: dict[tuple[int, int, datetime.date], int] = {}
    for partnership_id, pathway_id, week, total in (
        Activity.objects.filter(
            _partners("pathway__", organisation_ids),
            pathway__partnership__in=partnerships,
            starts_at__date__gte=period.start,
            starts_at__date__lt=period.end,
        )
        .exclude(attended=False)
        .annotate(week=TruncWeek("starts_at"))
        .values("pathway__partnership_id", "pathway_id", "week")
        .annotate(minutes=Sum("duration_minutes"))
        .values_list("pathway__partnership_id", "pathway_id", "week", "minutes")
    ):
        minutes[(partnership_id, pathway_id, _as_date(week))] = total
    for partnership_id, pathway_id, start, exit_on in Pathway.objects.filter(
        _partners("", organisation_ids),
        Q(exit_on__isnull=True) | Q(exit_on__gt=period.start),
        partnership__in=partnerships,
        contract_start__lt=period.end,
    ).values_list("partnership_id", "pk", "contract_start", "exit_on"):
        first = max(start, period.start)
        week = first + datetime.timedelta(days=-first.weekday() % 7)  # next Monday
        end = min(exit_on or period.end, period.end)
        while week + WEEK <= end:
            minutes.setdefault((partnership_id, pathway_id, week), 0)
            week += WEEK
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (partnership_id, _, _), total in minutes.items():
        figures = counted[names[partnership_id]]
        figures[0] += 1
        if total >= 60 * minimum.get(partnership_id, 15):
            figures[1] += 1
    rows = [
        [name, weeks, reached, _rate(reached, weeks)]
        for name, (weeks, reached) in sorted(counted.items())
    ]
    return Table(
        "Semaines atteignant le minimum d'heures d'activité",
        ["Partenariat", "Semaines suivies", "Semaines au minimum", "Part (%)"],
        rows,
        counts={1, 2},
        basis={3: [1, 2]},
        total_row=True,
        row_parts=[((2,), 1)],
        chart=[3],
    )


def reviews_table(
    partnerships: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """3- and 6-month reviews due in the period: held on time, held late, not held.

    Definition (milestone reviews at 3 and 6 months): on time = held on or before
    its due date; late = held after it; missing = not held and already due. One query.
    """
    found = {
        row["milestone_months"]: row
        for row in Review.objects.filter(
            _partners("pathway__", organisation_ids),
            pathway__partnership__in=partnerships,
            due_on__gte=period.start,
            due_on__lt=period.end,
        )
        .values("milestone_months")
        .annotate(
            due=Count("id"),
            on_time=Count("id", filter=Q(held_on__isnull=False, held_on__lte=F("due_on"))),
            late=Count("id", filter=Q(held_on__isnull=False, held_on__gt=F("due_on"))),
            missing=Count("id", filter=Q(held_on__isnull=True, due_on__lt=today)),
        )
        .order_by("milestone_months")
    }
    rows = [
        [
            f"Bilan à {m} mois",
            r["due"],
            r["on_time"],
            r["late"],
            r["missing"],
            _rate(r["on_time"], r["due"]),
        ]
        for m, r in found.items()
    ]
    return Table(
        "Bilans d'étape tenus à temps",
        ["Bilan", "Prévus", "Tenus à temps", "Tenus en retard", "Non tenus", "À temps (%)"],
        rows,
        counts={1, 2, 3, 4},
        basis={5: [1, 2]},
        total_row=True,
        row_parts=[((2, 3, 4), 1)],
        chart=[2, 3, 4],
        over_time=ADDS_UP,
    )


def progress_table(
    partnerships: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Progress per dimension between a youth's first and last review held in the period.

    Definition (the progress on housing, health, mobility and confidence counts beside
    the contracts): for each youth and dimension, the mean of
    the 1–4 ratings (youth and partners) at the last review minus that at the first one;
    averaged over the youths reviewed twice. Ratings averaged per review in SQL (one query).
    """
    per_review = (
        ReviewRating.objects.filter(
            _partners("review__pathway__", organisation_ids),
            review__pathway__partnership__in=partnerships,
            review__held_on__gte=period.start,
            review__held_on__lt=period.end,
        )
        .values("review__pathway_id", "review__held_on", "dimension")
        .annotate(total=Sum("score"), n=Count("id"))
        .order_by("review__pathway_id", "dimension", "review__held_on")
    )
    first_last: dict[tuple[int, str], list[float]] = {}
    for row in per_review:
        key = (row["review__pathway_id"], row["dimension"])
        first_last.setdefault(key, []).append(row["total"] / row["n"])
    gains: dict[str, list[float]] = defaultdict(list)
    for (_, dimension), scores in first_last.items():
        if len(scores) >= 2:
            gains[dimension].append(scores[-1] - scores[0])
    rows = [
        [
            label,
            len(gains[value]),
            round(statistics.mean(gains[value]), 2) if gains[value] else None,
        ]
        for value, label in Dimension.choices
    ]
    return Table(
        "Progrès par dimension entre deux bilans (échelle 1 à 4)",
        ["Dimension", "Jeunes évalués deux fois", "Progrès moyen"],
        rows,
        counts={1},
        basis={2: [1]},
        chart=[2],
    )


def cej_tables(
    partnerships: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    masked_voice: bool = True,
) -> list[Table]:
    """All the CEJ-JR tables, in the dashboard's order, for the pathways the chosen partner
    takes part in; the youths' voice is anonymous, so it stays the whole partnership's
    (masked here unless a funder's publication masks it with the rest)."""
    return [
        funnel_table(partnerships, period, organisation_ids),
        exits_table(partnerships, period, organisation_ids),
        durations_table(partnerships, period, organisation_ids),
        weekly_hours_table(partnerships, period, organisation_ids),
        reviews_table(partnerships, period, today, organisation_ids),
        progress_table(partnerships, period, organisation_ids),
        voice_table(partnerships, period, masked_voice),
    ]


# --- Finance: invoiced, paid, passed on, outstanding, delays --------------------------------

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(amount: Decimal | None) -> Decimal:
    """An aggregated amount to the cent (SQLite's sums drop trailing zeros)."""
    return (amount or ZERO).quantize(CENT)


def _by_month(rows: Iterable[tuple[int, datetime.date, Decimal | None]]) -> dict:
    """``(consortium id, month) → amount`` from aggregate rows."""
    return {(c, _as_date(month)): _money(amount) for c, month, amount in rows}


def finance_months_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """The group account per month: invoiced, paid, passed on, outstanding at month end.

    Definitions (the Département pays the invoices on the group account, which passes them
    on at once to the members): invoiced = invoices issued in the month net
    of the credit notes issued in it (their lines, so that a member's share can be read);
    paid = the funder's payments received in the month; passed on = the transfers to the
    members made in the month; outstanding = everything invoiced up to the month's end
    minus everything paid up to it. For chosen members: their lines, their shares of the
    payments (by date received) and their transfers. Amounts are ``Decimal``, to the cent.
    Three aggregate queries (the history before the period is summed for the outstanding).
    """
    ids = list(organisation_ids) if organisation_ids is not None else None
    lines = InvoiceLine.objects.filter(
        invoice__consortium__in=consortia, invoice__issued_on__lt=period.end
    )
    transfers = Redistribution.objects.filter(payment__consortium__in=consortia)
    if ids is not None:
        lines = lines.filter(organisation_id__in=ids)
        transfers = transfers.filter(organisation_id__in=ids)
        paid_rows = (
            transfers.filter(payment__received_on__lt=period.end)
            .annotate(month=TruncMonth("payment__received_on"))
            .values("payment__consortium_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("payment__consortium_id", "month", "total")
        )
    else:
        paid_rows = (
            Payment.objects.filter(consortium__in=consortia, received_on__lt=period.end)
            .annotate(month=TruncMonth("received_on"))
            .values("consortium_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("consortium_id", "month", "total")
        )
    invoiced = _by_month(
        lines.annotate(month=TruncMonth("invoice__issued_on"))
        .values("invoice__consortium_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("invoice__consortium_id", "month", "total")
    )
    paid = _by_month(paid_rows)
    passed = _by_month(
        transfers.filter(made_on__gte=period.start.replace(day=1), made_on__lt=period.end)
        .annotate(month=TruncMonth("made_on"))
        .values("payment__consortium_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("payment__consortium_id", "month", "total")
    )
    months = _months(period)
    rows = []
    for consortium in consortia:
        owed = sum(
            (v for (c, m), v in invoiced.items() if c == consortium.pk and m < months[0]), ZERO
        ) - sum((v for (c, m), v in paid.items() if c == consortium.pk and m < months[0]), ZERO)
        for month in months:
            key = (consortium.pk, month)
            owed += invoiced.get(key, ZERO) - paid.get(key, ZERO)
            rows.append(
                [
                    consortium.name,
                    month.strftime("%m/%Y"),
                    invoiced.get(key, ZERO),
                    paid.get(key, ZERO),
                    passed.get(key, ZERO),
                    owed,
                ]
            )
    total = ["Total", "", *(sum((row[i] for row in rows), ZERO) for i in (2, 3, 4)), None]
    return Table(
        "Facturé, encaissé et reversé par mois (€)",
        ["Groupement", "Mois", "Facturé", "Encaissé", "Reversé", "Reste dû en fin de mois"],
        [*rows, total] if rows else rows,
        chart=[2, 3, 4],
    )


def finance_members_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Per member over the period: invoiced, its share of the payments received, passed
    on to it, and what the funder still owes it at the period's end.

    Definitions: a member's invoiced amount is its lines on the invoices and
    credit notes issued in the period; its share of a payment is the transfer made from
    it (finance's largest-remainder split of each payment); still owed = its lines issued
    before the period's end minus its shares of the payments received before it. Two
    aggregate queries.
    """
    in_period = Q(invoice__issued_on__gte=period.start, invoice__issued_on__lt=period.end)
    lines = InvoiceLine.objects.filter(
        invoice__consortium__in=consortia, invoice__issued_on__lt=period.end
    )
    transfers = Redistribution.objects.filter(payment__consortium__in=consortia)
    if organisation_ids is not None:
        lines = lines.filter(organisation_id__in=list(organisation_ids))
        transfers = transfers.filter(organisation_id__in=list(organisation_ids))
    figures: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for row in lines.values("invoice__consortium__name", "organisation__name").annotate(
        period=Sum("amount", filter=in_period), before_end=Sum("amount")
    ):
        key = (row["invoice__consortium__name"], row["organisation__name"])
        figures[key][0] = _money(row["period"])
        figures[key][3] += _money(row["before_end"])
    received = Q(payment__received_on__gte=period.start, payment__received_on__lt=period.end)
    for row in transfers.values("payment__consortium__name", "organisation__name").annotate(
        received=Sum("amount", filter=received),
        passed=Sum("amount", filter=Q(made_on__gte=period.start, made_on__lt=period.end)),
        before_end=Sum("amount", filter=Q(payment__received_on__lt=period.end)),
    ):
        key = (row["payment__consortium__name"], row["organisation__name"])
        figures[key][1] = _money(row["received"])
        figures[key][2] = _money(row["passed"])
        figures[key][3] -= _money(row["before_end"])
    rows = [[*key, *values] for key, values in sorted(figures.items())]
    total = ["Total", "", *(sum((row[i] for row in rows), ZERO) for i in (2, 3, 4, 5))]
    return Table(
        "Facturé, encaissé et reversé par membre (€)",
        ["Groupement", "Membre", "Facturé", "Encaissé (part du membre)", "Reversé", "Reste dû"],
        [*rows, total] if rows else rows,
        chart=[2, 4, 5],
    )


def redistribution_delays_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Days between a payment received on the group account and its transfer to each
    member, over the transfers made in the period: how many, mean and longest delay.

    Definition (the payments are passed on to the members at once, so the expected delay
    is 0 day): delay = transfer date − payment date,
    averaged and maximised in SQL per member, then over all (two aggregate queries).
    """
    transfers = Redistribution.objects.filter(
        payment__consortium__in=consortia, made_on__gte=period.start, made_on__lt=period.end
    ).annotate(
        delay=ExpressionWrapper(
            F("made_on") - F("payment__received_on"), output_field=DurationField()
        )
    )
    if organisation_ids is not None:
        transfers = transfers.filter(organisation_id__in=list(organisation_ids))
    figures = {"n": Count("id"), "mean": Avg("delay"), "longest": Max("delay")}
    rows = [
        [
            row["payment__consortium__name"],
            row["organisation__name"],
            row["n"],
            _days(row["mean"]),
            _days(row["longest"]),
        ]
        for row in transfers.values("payment__consortium__name", "organisation__name")
        .annotate(**figures)
        .order_by("payment__consortium__name", "organisation__name")
    ]
    if rows:
        overall = transfers.aggregate(**figures)
        rows.append(["Total", "", overall["n"], _days(overall["mean"]), _days(overall["longest"])])
    return Table(
        "Délais entre l'encaissement et le reversement aux membres",
        ["Groupement", "Membre", "Reversements", "Délai moyen (jours)", "Délai maximal (jours)"],
        rows,
        chart=[3, 4],
    )


def _days(delay: datetime.timedelta | None) -> float | None:
    return None if delay is None else round(delay.total_seconds() / 86400, 1)


def finance_tables(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> list[Table]:
    """All the finance dashboard's tables, in its order (``organisation_ids``: the members
    read, ``None`` for the whole group account)."""
    return [
        finance_months_table(consortia, period, organisation_ids),
        finance_members_table(consortia, period, organisation_ids),
        redistribution_delays_table(consortia, period, organisation_ids),
    ]


def campaign_table(campaign: Any) -> Table:
    """Each member's self-assessment score (1 to 4) per criterion of a campaign, and the
    mean across members (results are compared across members). One query each for
    the criteria, the members and the scores."""
    from coparcours.reporting.models import SelfAssessment

    members = list(
        campaign.consortium.members.select_related("organisation").order_by("organisation__name")
    )
    scores = {
        (row["criterion_id"], row["organisation_id"]): row["score"]
        for row in SelfAssessment.objects.filter(criterion__campaign=campaign).values(
            "criterion_id", "organisation_id", "score"
        )
    }
    rows = []
    for criterion in campaign.criteria.all():
        values = [scores.get((criterion.pk, m.organisation_id)) for m in members]
        given = [v for v in values if v is not None]
        rows.append([criterion.label, *values, _mean(given)])
    return Table(
        f"Auto-évaluations — {campaign.title}",
        ["Critère", *[m.organisation.name for m in members], "Moyenne"],
        rows,
        chart=list(range(1, len(members) + 1)),
    )


def voice_table(partnerships: Sequence[Consortium], period: Period, masked: bool = True) -> Table:
    """Youths' anonymous answers in the period: how many, and the mean of each question
    (1 = pas du tout, 4 = tout à fait). Answers are anonymous, so the table is masked for
    every reader, not only funders (``masked=False``: for a funder's publication, which
    masks it with the rest). One aggregate query."""
    from coparcours.reporting.models import VoiceAnswer

    rows = [
        [
            row["partnership__name"],
            row["n"],
            round(row["adhesion"], 1),
            round(row["support"], 1),
            round(row["life"], 1),
        ]
        for row in VoiceAnswer.objects.filter(
            partnership__in=partnerships,
            month__gte=period.start.replace(day=1),
            month__lt=period.end,
        )
        .values("partnership__name")
        .annotate(
            n=Count("id"),
            adhesion=Avg("adhesion"),
            support=Avg("support"),
            life=Avg("quality_of_life"),
        )
        .order_by("partnership__name")
    ]
    table = Table(
        "Parole des jeunes (questionnaire anonyme, 1 à 4)",
        [
            "Partenariat",
            "Réponses",
            "Envie de continuer",
            "Accompagnement perçu",
            "Qualité de vie",
        ],
        rows,
        counts={1},
        basis={2: [1], 3: [1], 4: [1]},
        chart=[2, 3, 4],
        over_time=ADDS_UP,
    )
    return mask_table(table) if masked else table
