"""Each indicator on known data (the definitions are in the functions' docstrings)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.cej.models import Activity, Pathway, Review, ReviewRating
from coparcours.cej.rules import Stage
from coparcours.housing.factories import CapacityChangeFactory
from coparcours.reporting.indicators.cej import durations_table, exits_table, funnel_table
from coparcours.reporting.indicators.cej_follow_up import (
    progress_table,
    reviews_table,
    weekly_hours_table,
)
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.gme import (
    capacity_table,
    movements_table,
    occupancy_table,
    requests_table,
)
from coparcours.reporting.tables import MASKED, SECRET, mask_table

from .conftest import pathway

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR = Period(D(2025, 1, 1), D(2026, 1, 1))


def _column(table, index):
    return [row[index] for row in table.rows]


def test_the_funnel_counts_each_step_reached_by_the_youths_identified_in_the_period(partnership):
    for _ in range(3):
        pathway(partnership, D(2025, 3, 1))
    pathway(partnership, D(2025, 3, 1), [Stage.PRE_CEJ, Stage.REMOBILISATION])
    pathway(partnership, D(2025, 4, 1), [Stage.REMOBILISATION, Stage.CONTRACT])
    pathway(partnership, D(2025, 5, 1), [Stage.REMOBILISATION, Stage.CONTRACT, Stage.EXIT])
    pathway(partnership, D(2024, 5, 1), [Stage.REMOBILISATION])  # identified before: not counted
    table = funnel_table([partnership], YEAR)
    assert _column(table, 0) == [
        "Repéré·es",
        "Éligibles",
        "Pré CEJ-JR",
        "Remobilisation",
        "Contrat CEJ",
        "Sorti·es",
    ]
    assert _column(table, 1) == [6, 0, 1, 3, 2, 1]
    assert _column(table, 2) == [100.0, 0.0, 16.7, 50.0, 33.3, 16.7]


def test_exits_by_outcome_and_durations(partnership):
    pathway(
        partnership,
        D(2025, 1, 1),
        contract_start=D(2025, 3, 2),
        exit_on=D(2025, 9, 2),
        exit_outcome="job",
    )
    pathway(
        partnership,
        D(2025, 2, 1),
        contract_start=D(2025, 3, 3),
        exit_on=D(2025, 4, 2),
        exit_outcome="training",
    )
    exits = exits_table([partnership], YEAR)
    assert dict((row[0], row[1]) for row in exits.rows)["Emploi"] == 1
    assert sum(_column(exits, 1)) == 2
    durations = durations_table([partnership], YEAR)
    # (60 + 30) / 2 days to contract; (184 + 30) / 2 days to exit
    assert durations.rows == [
        ["Du repérage au contrat", 2, 45.0],
        ["Du contrat à la sortie", 2, 107.0],
    ]


def test_share_of_weeks_reaching_the_minimum_hours(partnership):
    found = pathway(partnership, D(2025, 1, 1), [Stage.REMOBILISATION, Stage.CONTRACT])
    porteur = found.author_organisation

    def activity(day: D, hours: int, attended: bool | None = True) -> None:
        Activity.objects.create(
            youth=found.youth,
            author_organisation=porteur,
            pathway=found,
            kind="workshop",
            title="Atelier",
            organisation=porteur,
            attended=attended,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))),
            duration_minutes=60 * hours,
        )

    activity(D(2025, 3, 3), 10)  # week of 3 March: 10 + 6 = 16 h ≥ 15
    activity(D(2025, 3, 5), 6)
    activity(D(2025, 3, 10), 10)  # week of 10 March: 10 h, the missed 8 h do not count
    activity(D(2025, 3, 11), 8, attended=False)
    table = weekly_hours_table([partnership], YEAR)
    assert table.rows == [["CEJ-JR test", 2, 1, 50.0]]


def _review(found, months, due, held=None, scores=None):
    review = Review.objects.create(
        youth=found.youth,
        author_organisation=found.author_organisation,
        pathway=found,
        milestone_months=months,
        due_on=due,
        held_on=held,
    )
    for dimension, score in (scores or {}).items():
        for rater in ("youth", "porteur"):
            ReviewRating.objects.create(
                youth=found.youth,
                author_organisation=found.author_organisation,
                review=review,
                dimension=dimension,
                rater=rater,
                score=score,
            )
    return review


def test_reviews_held_on_time_and_progress_per_dimension(partnership):
    first = pathway(partnership, D(2025, 1, 1))
    second = pathway(partnership, D(2025, 1, 1))
    _review(first, 3, D(2025, 4, 1), D(2025, 3, 28), {"housing": 1, "confidence": 2})
    _review(first, 6, D(2025, 7, 1), D(2025, 7, 15), {"housing": 3, "confidence": 2})
    _review(second, 3, D(2025, 4, 1), None)
    table = reviews_table([partnership], YEAR, D(2025, 12, 1))
    assert table.rows == [
        ["Bilan à 3 mois", 2, 1, 0, 1, 50.0],
        ["Bilan à 6 mois", 1, 0, 1, 0, 0.0],
    ]
    progress = {row[0]: row[1:] for row in progress_table([partnership], YEAR).rows}
    assert progress["Logement"] == [1, 2.0]
    assert progress["Confiance en soi"] == [1, 0.0]
    assert progress["Mobilité"] == [0, None]


def test_gme_places_occupancy_requests_and_movements(gme):
    CapacityChangeFactory(site=gme.site_b, places=5, planned_on=D(2025, 6, 1), opened_on=None)
    capacity = capacity_table([gme.consortium], Period(D(2025, 5, 1), D(2025, 7, 1)))
    # build_gme plans 10 + 10 places in 2019; the factory's opening date decides "opened"
    assert [row[2] for row in capacity.rows] == [20, 25]
    today = timezone.localdate()
    for _ in range(2):
        gme.place(gme.site_b, today)
    gme.file()
    period = Period(today, today + datetime.timedelta(days=1))
    requests = requests_table([gme.consortium], period)
    assert requests.rows == [["GME test", 3, 2, 1, 0.0]]
    occupancy = {
        row[1]: row[2:] for row in occupancy_table([gme.consortium], period, "organisation").rows
    }
    assert occupancy["Association B"][0] == 2
    movements = movements_table([gme.consortium], period, today)
    assert movements.rows == [["GME test", today.strftime("%m/%Y"), 2, 0, 0]]


def test_a_contract_week_without_any_activity_does_not_reach_the_minimum(partnership):
    """The weeks counted are every whole week of the contract within the period, so empty
    contract weeks lower the share."""
    found = pathway(partnership, D(2025, 1, 1), [Stage.REMOBILISATION, Stage.CONTRACT])
    Pathway.objects.filter(pk=found.pk).update(contract_start=D(2025, 3, 3), exit_on=D(2025, 3, 31))
    Activity.objects.create(
        youth=found.youth,
        author_organisation=found.author_organisation,
        pathway=found,
        kind="workshop",
        title="Atelier",
        organisation=found.author_organisation,
        attended=True,
        starts_at=timezone.make_aware(datetime.datetime(2025, 3, 4, 9)),
        duration_minutes=60 * 16,
    )
    # weeks of 3, 10, 17 and 24 March; only the first one has (enough) hours
    table = weekly_hours_table([partnership], YEAR)
    assert table.rows == [["CEJ-JR test", 4, 1, 25.0]]
    # the period ends on 20 March: the weeks of 3 and 10 March only
    table = weekly_hours_table([partnership], Period(D(2025, 1, 1), D(2025, 3, 20)))
    assert table.rows == [["CEJ-JR test", 2, 1, 50.0]]
    # a contract signed on Wednesday 5 March starts counting on Monday 10 March
    Pathway.objects.filter(pk=found.pk).update(contract_start=D(2025, 3, 5))
    table = weekly_hours_table([partnership], YEAR)
    assert table.rows == [["CEJ-JR test", 4, 1, 25.0]]  # the 3 March week by its activity
    Activity.objects.all().delete()
    assert weekly_hours_table([partnership], YEAR).rows == [["CEJ-JR test", 3, 0, 0.0]]


def test_a_youth_present_part_of_the_period_is_never_an_average_of_nobody(gme):
    """One youth hosted 3 days of a 30-day month: on average 0.1 youth, shown as 1 (so the
    funder's masking hides it, and the rate beside it), never as 0 beside a positive rate."""
    start = timezone.localdate().replace(day=1) - datetime.timedelta(days=62)
    start = start.replace(day=1)
    period = Period(start, start + datetime.timedelta(days=30))
    gme.place(gme.site_b, period.end - datetime.timedelta(days=3))
    table = occupancy_table([gme.consortium], period, "organisation")
    row = next(row for row in table.rows if row[1] == "Association B")
    assert row[2] == 1 and row[3] > 0
    masked = mask_table(table)
    row = next(row for row in masked.rows if row[1] == "Association B")
    assert row[2:] == [MASKED, SECRET]
    empty = next(row for row in table.rows if row[1] != "Association B")
    assert empty[2] == 0
