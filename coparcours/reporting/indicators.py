"""Steering indicators (issue 9): each a documented function computed by SQL aggregation,
and the single masking rule applied to every figure a funder sees.

Periods are half-open ``[start, end)`` (design.md, conventions). Every function takes the
consortia (GMEs or CEJ-JR partnerships) the caller may steer — the views and the API decide
which — and returns plain numbers, never a youth's identity.

The masking rule (design.md: "the funder and steering bodies see aggregates only, with
small counts (< 5) masked"; CNIL / INSEE statistical secrecy):

1. a count of 1 to 4 youths is shown as ``"< 5"`` (0 and 5 or more are shown as they are);
2. a total, a rate or an average computed from a set that contains a masked count is
   itself replaced by ``"s"`` (secret), so no masked cell can be recomputed by
   subtraction from the other cells and their total;
3. an average or a median over fewer than 5 youths is shown as ``"s"``.

:func:`mask_count` and :func:`mask_table` are the only implementation of that rule; funder
views, exports and the API all go through :func:`funder_view` which calls them.
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import TruncWeek

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
from coparcours.housing import selectors as housing
from coparcours.housing.models import PlacementRequest, RequestStatus, Stay
from coparcours.organisations.models import Consortium
from coparcours.youths.rules import MAJORITY_AGE, add_years

#: Counts from 1 to this bound are masked for funders.
SMALL_COUNT_BOUND = 4
MASKED = "< 5"
SECRET = "s"

Cell = int | float | str | None


# --- The masking rule ----------------------------------------------------------------------


def mask_count(value: int) -> int | str:
    """Rule 1: a count of 1 to 4 is shown as "< 5"."""
    return MASKED if 1 <= value <= SMALL_COUNT_BOUND else value


def mask_derived(value: Cell, counts: Iterable[int]) -> Cell:
    """Rules 2 and 3: a total, rate or average over ``counts`` is secret when one of them is
    masked, or when the youths counted are fewer than 5 in all."""
    counts = list(counts)
    if any(1 <= c <= SMALL_COUNT_BOUND for c in counts):
        return SECRET
    if value is not None and sum(counts) and sum(counts) <= SMALL_COUNT_BOUND:
        return SECRET
    return value


@dataclass
class Table:
    """A table of counts: labelled rows of integer cells, optional row and column totals.

    ``counts`` marks the columns holding counts of youths (the others, rates or averages,
    name in ``basis`` the count column they were computed from).
    """

    title: str
    headers: list[str]
    rows: list[list[Any]]
    counts: set[int] = field(default_factory=set)
    basis: dict[int, list[int]] = field(default_factory=dict)
    total_row: bool = False
    chart: list[int] = field(default_factory=list)  # columns drawn (counts by default)

    @property
    def charted(self) -> list[int]:
        return self.chart or sorted(self.counts)

    @property
    def label_columns(self) -> list[int]:
        first = min([*self.charted, *self.counts, *self.basis], default=1)
        return list(range(first))


def mask_table(table: Table) -> Table:
    """Apply the rule to a whole table: masked counts, then secret totals and derived cells.

    A count column's total (when ``total_row``) is secret if one of its cells is masked; a
    derived cell (rate, average) is secret if one of the counts it rests on is masked or
    they add up to fewer than 5.
    """
    rows: list[list[Any]] = []
    for row in table.rows:
        new = list(row)
        for index in table.counts:
            if isinstance(row[index], int):
                new[index] = mask_count(row[index])
        for index, sources in table.basis.items():
            new[index] = mask_derived(
                row[index], [row[s] for s in sources if isinstance(row[s], int)]
            )
        rows.append(new)
    if table.total_row:
        total = ["Total"] + [""] * (len(table.headers) - 1)
        for index in table.counts:
            column = [row[index] for row in table.rows if isinstance(row[index], int)]
            total[index] = mask_derived(mask_count(sum(column)), column)
        rows.append(total)
    return Table(table.title, table.headers, rows, table.counts, table.basis, False, table.chart)


def with_total(table: Table) -> Table:
    """The same table with a plain total row (unmasked views: coordination, partnership)."""
    if not table.total_row:
        return table
    total = ["Total"] + [""] * (len(table.headers) - 1)
    for index in table.counts:
        total[index] = sum(row[index] for row in table.rows if isinstance(row[index], int))
    return Table(
        table.title,
        table.headers,
        [*table.rows, total],
        table.counts,
        table.basis,
        False,
        table.chart,
    )


def funder_view(tables: Sequence[Table]) -> list[Table]:
    """What a funder may see of a dashboard: every table masked by the single rule."""
    return [mask_table(table) for table in tables]


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


def _mean(values: list[int]) -> float | None:
    return round(statistics.mean(values), 1) if values else None


# --- GME (seed 000): places, occupancy, requests, movements, majorities --------------------


def capacity_table(consortia: Sequence[Consortium], period: Period) -> Table:
    """Places planned vs opened at the end of each month of the period.

    Definition: planned = places of the capacity changes planned on or before the day,
    opened = those with an opening date on or before it (seed 000: waves of places with a
    planned and an actual date per member and site). Reuses ``housing.capacity_history``.
    """
    rows = []
    for consortium in consortia:
        points = housing.capacity_history(consortium)
        for month in _months(period):
            last_day = min((month + datetime.timedelta(days=32)).replace(day=1), period.end)
            before = [p for p in points if p.day < last_day]
            planned = before[-1].planned if before else 0
            opened = before[-1].opened if before else 0
            rows.append([consortium.name, month.strftime("%m/%Y"), planned, opened])
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
    (seed 000: occupancy of the places opened by each member; housing's daily occupancy
    in SQL, two aggregate queries per consortium).
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
        mean_youths = round(days / period.days) if period.days else 0
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
    )


def requests_table(consortia: Sequence[Consortium], period: Period) -> Table:
    """Placement requests received in the period, placed, still waiting, and the delay.

    Definitions (seed 000, the coordination as the funder's single entry point): received =
    filed in [start, end); placed = of those, a youth was admitted; waiting = of those,
    still received or on the waiting list today; delay = days from filing to the first
    stay's entry, averaged over the placed requests. One aggregate query, one for delays.
    """
    filed = PlacementRequest.objects.filter(
        consortium__in=consortia,
        created_at__date__gte=period.start,
        created_at__date__lt=period.end,
    )
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
        request__in=filed, transfer_in__isnull=True
    ).values_list("request__consortium__name", "request__created_at", "start_date"):
        delays[name].append(max((entry - created.date()).days, 0))
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
    )


def movements_table(consortia: Sequence[Consortium], period: Period) -> Table:
    """Entries (admissions, not transfers), exits and transfers per month of the period.

    Definition: an entry is a stay starting in the month without coming from a transfer; an
    exit a stay ending in the month for another reason than a transfer; a transfer a stay
    ending by a transfer (seed 000: reorientations between members). Three aggregate
    queries per consortium (housing's ``monthly_movements``).
    """
    rows = []
    for consortium in consortia:
        for m in housing.monthly_movements(consortium, period.start):
            if m.month < period.end:
                rows.append(
                    [consortium.name, m.month.strftime("%m/%Y"), m.entries, m.exits, m.transfers]
                )
    return Table(
        "Entrées, sorties et réorientations par mois",
        ["Groupement", "Mois", "Entrées", "Sorties", "Réorientations"],
        rows,
        counts={2, 3, 4},
        total_row=True,
    )


def majorities_table(consortia: Sequence[Consortium], day: datetime.date, days: int = 90) -> Table:
    """Hosted youths turning 18 within ``days`` days, per member (CASF L.222-5: the
    after-18 decision must be prepared). One aggregate query."""
    oldest = add_years(day, -MAJORITY_AGE)
    youngest = add_years(day + datetime.timedelta(days=days), -MAJORITY_AGE)
    rows = [
        [row["site__consortium__name"], row["site__organisation__name"], row["n"]]
        for row in Stay.objects.active(day)
        .filter(
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
    )


def gme_tables(
    consortia: Sequence[Consortium],
    period: Period,
    today: datetime.date,
    organisation_ids: Iterable[int] | None = None,
    site_ids: Iterable[int] | None = None,
) -> list[Table]:
    """All the coordinator's tables, in the dashboard's order."""
    return [
        capacity_table(consortia, period),
        occupancy_table(consortia, period, "organisation", organisation_ids, site_ids),
        occupancy_table(consortia, period, "kind", organisation_ids, site_ids),
        requests_table(consortia, period),
        movements_table(consortia, period),
        majorities_table(consortia, today),
    ]


# --- CEJ-JR (seed 003): funnel, hours, reviews, progress -----------------------------------

FUNNEL_STEPS = [
    ("identified", "Repéré·es"),
    ("eligible", "Éligibles"),
    ("pre_cej", "Pré CEJ-JR"),
    ("remobilisation", "Remobilisation"),
    ("contract", "Contrat CEJ"),
    ("exit", "Sorti·es"),
]


def _reached(stage: str) -> Exists:
    return Exists(StageChange.objects.filter(pathway=OuterRef("pk"), to_stage=stage))


def funnel_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """The CEJ-JR funnel of the youths identified in the period, with conversions.

    Definition (seed 003, ARASS orientation scheme): a youth counts at a step when their
    pathway reached it (a stage change to it, or for "eligible" an eligibility check found
    eligible); the cohort is the pathways identified in [start, end). Conversion = share of
    the identified youths that reached the step. One aggregate query.
    """
    cohort = Pathway.objects.filter(
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
    )


def exits_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """Exits in the period by outcome (seed 003: quantitative targets beside progress)."""
    found = dict(
        Pathway.objects.filter(
            partnership__in=partnerships, exit_on__gte=period.start, exit_on__lt=period.end
        )
        .values("exit_outcome")
        .annotate(n=Count("id"))
        .values_list("exit_outcome", "n")
    )
    rows = [[label, found.get(value, 0)] for value, label in ExitOutcome.choices]
    return Table("Sorties par issue", ["Issue", "Jeunes"], rows, counts={1}, total_row=True)


def durations_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """Average days from identification to contract and from contract to exit.

    Definition: over the pathways whose contract started (resp. who exited) in the period;
    dates read in one query each, averaged here (an average over fewer than 5 youths is
    secret for funders, rule 3).
    """
    base = Pathway.objects.filter(partnership__in=partnerships)
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
    )


def weekly_hours_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """Share of weeks reaching the partnership's minimum weekly hours.

    Definition (CEJ, R.5131-16; seed 003: 15 to 20 h a week split between the partners):
    a week counts for a youth when at least one activity was recorded that week; it reaches
    the minimum when the activities not marked as missed add up to at least the
    partnership's ``minimum_weekly_hours``. One aggregate query, one for the settings.
    """
    minimum = dict(
        PartnershipSettings.objects.filter(partnership__in=partnerships).values_list(
            "partnership_id", "minimum_weekly_hours"
        )
    )
    weeks = (
        Activity.objects.filter(
            pathway__partnership__in=partnerships,
            starts_at__date__gte=period.start,
            starts_at__date__lt=period.end,
        )
        .exclude(attended=False)
        .annotate(week=TruncWeek("starts_at"))
        .values("pathway__partnership_id", "pathway__partnership__name", "pathway_id", "week")
        .annotate(minutes=Sum("duration_minutes"))
    )
    counted: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for week in weeks:
        figures = counted[week["pathway__partnership__name"]]
        figures[0] += 1
        if week["minutes"] >= 60 * minimum.get(week["pathway__partnership_id"], 15):
            figures[1] += 1
    rows = [
        [name, weeks_, reached, _rate(reached, weeks_)]
        for name, (weeks_, reached, _) in sorted(counted.items())
    ]
    return Table(
        "Semaines atteignant le minimum d'heures d'activité",
        ["Partenariat", "Semaines suivies", "Semaines au minimum", "Part (%)"],
        rows,
        counts={1, 2},
        basis={3: [1, 2]},
        total_row=True,
        chart=[3],
    )


def reviews_table(
    partnerships: Sequence[Consortium], period: Period, today: datetime.date
) -> Table:
    """3- and 6-month reviews due in the period: held on time, held late, not held.

    Definition (seed 003, ARASS: reviews at 3 and 6 months): on time = held on or before
    its due date; late = held after it; missing = not held and already due. One query.
    """
    found = {
        row["milestone_months"]: row
        for row in Review.objects.filter(
            pathway__partnership__in=partnerships, due_on__gte=period.start, due_on__lt=period.end
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
        chart=[2, 3, 4],
    )


def progress_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """Progress per dimension between a youth's first and last review held in the period.

    Definition (seed 003: porteurs want the progress on housing, health, mobility and
    confidence to count beside the contracts): for each youth and dimension, the mean of
    the 1–4 ratings (youth and partners) at the last review minus that at the first one;
    averaged over the youths reviewed twice. Ratings averaged per review in SQL (one query).
    """
    per_review = (
        ReviewRating.objects.filter(
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
    partnerships: Sequence[Consortium], period: Period, today: datetime.date
) -> list[Table]:
    """All the CEJ-JR tables, in the dashboard's order."""
    return [
        funnel_table(partnerships, period),
        exits_table(partnerships, period),
        durations_table(partnerships, period),
        weekly_hours_table(partnerships, period),
        reviews_table(partnerships, period, today),
        progress_table(partnerships, period),
        voice_table(partnerships, period),
    ]


def campaign_table(campaign: Any) -> Table:
    """Each member's self-assessment score (1 to 4) per criterion of a campaign, and the
    mean across members (seed 000: results compared across members). One query each for
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


def voice_table(partnerships: Sequence[Consortium], period: Period) -> Table:
    """Youths' anonymous answers in the period: how many, and the mean of each question
    (1 = pas du tout, 4 = tout à fait). Answers are anonymous, so the table is masked for
    every reader, not only funders. One aggregate query."""
    from django.db.models import Avg

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
    return mask_table(
        Table(
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
        )
    )
