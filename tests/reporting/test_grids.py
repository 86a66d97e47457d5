"""A funder's figures on the fixed grid (reporting.grids): ended months, quarters and years
only, on the page, its exports, the copil report and the API; the consortium's roles keep
their free periods."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from coparcours.reporting import grids
from coparcours.reporting.indicators.common import Period

from .conftest import client

DAY = datetime.date(2026, 12, 5)


@pytest.mark.parametrize(
    ("written", "start", "end", "label"),
    [
        ("2026-11", datetime.date(2026, 11, 1), datetime.date(2026, 12, 1), "novembre 2026"),
        ("2026-T3", datetime.date(2026, 7, 1), datetime.date(2026, 10, 1), "3e trimestre 2026"),
        ("2025-T1", datetime.date(2025, 1, 1), datetime.date(2025, 4, 1), "1er trimestre 2025"),
        ("2025", datetime.date(2025, 1, 1), datetime.date(2026, 1, 1), "année 2025"),
    ],
)
def test_a_grid_period_is_written_and_read(written, start, end, label):
    grid = grids.parse(written, DAY)
    assert (grid.period, grid.label, grid.key) == (Period(start, end), label, written)
    assert grids.of_period(grid.period, DAY) == grid


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("2026-12", "n'est pas terminée"),  # the running month
        ("2026-T4", "n'est pas terminée"),
        ("2026", "n'est pas terminée"),
        ("2026-13", "hors de la grille"),
        ("2026-T5", "hors de la grille"),
        ("du 2026-01-03 au 2026-02-01", "hors de la grille"),
        ("2020", "trop ancienne"),
    ],
)
def test_a_period_off_the_grid_is_refused_naming_the_grids(written, says):
    with pytest.raises(grids.OffGrid, match=says) as refused:
        grids.parse(written, DAY)
    if "hors" in says:
        assert "trimestre (2026-T3)" in str(refused.value)


@given(
    st.dates(datetime.date(2024, 1, 1), datetime.date(2026, 11, 30)),
    st.integers(1, 400),
)
def test_only_whole_months_quarters_and_years_are_on_the_grid(start, days):
    period = Period(start, start + datetime.timedelta(days=days))
    try:
        grid = grids.of_period(period, DAY)
    except grids.OffGrid:
        assert not any(g.period == period for g in grids.published(DAY))
    else:
        assert grid.period == period and grid in grids.published(DAY)


def test_every_published_period_has_ended():
    published = grids.published(DAY)
    assert all(grid.end <= DAY for grid in published)
    assert grids.default(DAY).key == "2026-T3"
    assert {"2026-11", "2026-T3", "2025", "2023-01"} <= {grid.key for grid in published}


def test_the_funder_reads_a_grid_period_and_is_told_the_grids_otherwise(gme, partnership):
    partnership.funder = gme.funder
    partnership.save()
    funder = client(gme.funder_user)
    default = grids.default(timezone.localdate())
    answer = funder.get("/api/v1/reporting/financeur").json()
    assert (answer["start"], answer["end"]) == (
        default.start.isoformat(),
        default.end.isoformat(),
    )
    month = grids.published(timezone.localdate())
    month = next(grid for grid in month if grid.kind == grids.MONTH)
    named = funder.get(f"/api/v1/reporting/financeur?period={month.key}").json()
    assert named["start"] == month.start.isoformat()
    same = funder.get(f"/api/v1/reporting/financeur?start={month.start}&end={month.end}").json()
    assert same["tables"] == named["tables"]
    for query in (
        f"start={month.start}&end={month.end + datetime.timedelta(days=1)}",
        f"period={timezone.localdate():%Y-%m}",
    ):
        refused = funder.get(f"/api/v1/reporting/financeur?{query}")
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["type"] == "period_off_grid"
        assert "trimestre (2026-T3)" in refused.json()["detail"][0]["msg"] or (
            "n'est pas terminée" in refused.json()["detail"][0]["msg"]
        )
    page = funder.get(f"/pilotage/financeur/?start={month.start}&end={month.end}x")
    text = page.content.decode()
    assert "hors de la grille" in text and "2026-T3" in text
    assert "Période publiée" in funder.get("/pilotage/financeur/").content.decode()
    export = funder.get("/pilotage/financeur/tableau-0.csv?start=2026-01-03&end=2026-01-31")
    assert export.status_code == 400


def test_the_consortium_roles_keep_their_free_periods(gme):
    coordinator = client(gme.coordinator)
    answer = coordinator.get("/api/v1/reporting/groupement?start=2026-01-03&end=2026-02-17")
    assert answer.status_code == 200
    assert (answer.json()["start"], answer.json()["end"]) == ("2026-01-03", "2026-02-17")
