"""CEJ-JR steering tables on the contract's follow-up: weeks reaching the minimum hours,
3- and 6-month reviews held on time, progress between two reviews."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncWeek

from coparcours.cej.models import Activity, PartnershipSettings, Pathway, Review, ReviewRating
from coparcours.cej.models.plan import Dimension
from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.common import Period, as_date, partner_filter, rate
from coparcours.reporting.tables import ADDS_UP, Table

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
            partner_filter("pathway__", organisation_ids),
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
        minutes[(partnership_id, pathway_id, as_date(week))] = total
    for partnership_id, pathway_id, start, exit_on in Pathway.objects.filter(
        partner_filter("", organisation_ids),
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
        [name, weeks, reached, rate(reached, weeks)]
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
            partner_filter("pathway__", organisation_ids),
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
            rate(r["on_time"], r["due"]),
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
            partner_filter("review__pathway__", organisation_ids),
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
