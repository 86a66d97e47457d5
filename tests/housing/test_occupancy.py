"""Occupancy in SQL: the same figures as counting by hand, in a fixed number of queries
whatever the length of the period or the number of places."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.housing import rules
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory, StayFactory
from coparcours.housing.models.sites import SiteKind
from coparcours.housing.selectors import occupancy as occupancy_selectors

pytestmark = pytest.mark.django_db

D = datetime.date


def test_daily_occupancy_matches_a_count_by_hand(gme):
    stays = [
        StayFactory(site=gme.site_b, start_date=D(2024, 1, 1), end_date=D(2024, 1, 4)),
        StayFactory(site=gme.site_b, start_date=D(2024, 1, 3)),
        StayFactory(site=gme.site_c, start_date=D(2024, 1, 2), end_date=D(2024, 1, 3)),
    ]
    CapacityChangeFactory(site=gme.site_b, places=-1, planned_on=D(2024, 1, 4))
    rows = occupancy_selectors.daily_occupancy(
        gme.consortium.pk, D(2024, 1, 1), D(2024, 1, 6), by="site"
    )
    found = {(row.day, row.key): (row.occupied, row.capacity) for row in rows}
    for offset in range(5):
        day = D(2024, 1, 1) + datetime.timedelta(days=offset)
        for site, capacity in ((gme.site_b, 2 if day < D(2024, 1, 4) else 1), (gme.site_c, 1)):
            by_hand = sum(
                1
                for s in stays
                if s.site == site
                and s.start_date <= day
                and (s.end_date is None or day < s.end_date)
            )
            assert found[(day, site.pk)] == (by_hand, capacity), (day, site)
    whole = occupancy_selectors.daily_occupancy(gme.consortium.pk, D(2024, 1, 3), D(2024, 1, 4))
    assert [(r.occupied, r.capacity, r.rate) for r in whole] == [(2, 3, 66.7)]


def test_occupancy_of_a_year_of_1100_places_takes_two_queries(gme):
    for n in range(20):
        site = SiteFactory(
            consortium=gme.consortium, organisation=gme.member_b, kind=SiteKind.DIFFUSE
        )
        CapacityChangeFactory(site=site, places=55, planned_on=D(2019, 1, 1))
        for k in range(3):
            StayFactory(site=site, start_date=D(2024, 1, 1) + datetime.timedelta(days=30 * k + n))
    with CaptureQueriesContext(connection) as queries:
        rows = occupancy_selectors.daily_occupancy(
            gme.consortium.pk, D(2024, 1, 1), D(2025, 1, 1), by="kind"
        )
    assert len(queries) == 2
    last = [r for r in rows if r.day == D(2024, 12, 31)]
    assert {r.key: (r.occupied, r.capacity) for r in last} == {
        SiteKind.DIFFUSE: (60, 1100),
        SiteKind.MECS: (0, 3),
    }


def test_availability_follows_age_sex_and_free_places(gme):
    StayFactory(site=gme.site_c, start_date=D(2020, 1, 1))
    found = occupancy_selectors.availability(gme.consortium, D(2030, 1, 1), 16, "F")
    assert [a.site for a in found] == [gme.site_b]  # C (girls) is full
    assert found[0].free == 2
    assert occupancy_selectors.availability(gme.consortium, D(2030, 1, 1), 18, "M") == []


def test_free_places_are_the_fewest_of_any_day_of_the_horizon_in_one_query(gme):
    """Day by day, opened capacity minus occupants; the fewest is what a new youth can rely
    on. Stays over before the horizon count for nothing, and a site whose places open
    during the horizon has none to offer before they open."""
    start = D(2024, 3, 1)
    StayFactory(site=gme.site_b, start_date=D(2020, 1, 1), end_date=D(2023, 6, 1))  # over
    StayFactory(site=gme.site_b, start_date=D(2024, 2, 1), end_date=D(2024, 3, 10))
    StayFactory(site=gme.site_b, start_date=D(2024, 3, 5), end_date=D(2024, 3, 20))
    late = SiteFactory(consortium=gme.consortium, organisation=gme.member_b)
    CapacityChangeFactory(site=late, places=4, planned_on=D(2024, 3, 15))
    empty = SiteFactory(consortium=gme.consortium, organisation=gme.member_c)
    sites = [gme.site_b.pk, gme.site_c.pk, late.pk, empty.pk]

    with CaptureQueriesContext(connection) as queries:
        free = occupancy_selectors.free_places(sites, start, days=30)

    assert len(queries) == 1
    # site B: 2 places, both taken from March 5 to 9; C: 1 place, never taken
    assert free == {gme.site_b.pk: 0, gme.site_c.pk: 1, late.pk: 0, empty.pk: 0}
    end = start + datetime.timedelta(days=30)
    rows = occupancy_selectors.daily_occupancy(
        gme.consortium.pk, start, end, by="site", site_ids=sites
    )
    for site in (gme.site_b.pk, gme.site_c.pk):
        assert free[site] == min(row.free for row in rows if row.key == site)
    assert occupancy_selectors.free_places(sites, D(2024, 3, 10), days=10)[gme.site_b.pk] == 1
    assert occupancy_selectors.free_places(sites, D(2024, 3, 20), days=10) == {
        gme.site_b.pk: 2,
        gme.site_c.pk: 1,
        late.pk: 4,
        empty.pk: 0,
    }


def test_saturation_threshold():
    assert rules.is_saturated(95, 100, 95) and not rules.is_saturated(94, 100, 95)
    assert not rules.is_saturated(0, 0, 95)
