"""A GME's housing figures kept in the cache between two changes of its housing: a
coordinator never sees free places or an occupancy that a stay, a capacity change or a site
has since changed."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from coparcours.housing import figures
from coparcours.housing.factories import CapacityChangeFactory, SiteFactory, StayFactory
from coparcours.housing.models import Stay
from coparcours.housing.selectors import occupancy as occupancy_selectors

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2030, 1, 1)


@pytest.fixture(autouse=True)
def figures_cache(settings):
    """The ``figures`` cache as in production (Redis there; one process here)."""
    settings.CACHES = {
        **settings.CACHES,
        "figures": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }


def _free(gme) -> dict:
    return {
        a.site: a.free for a in occupancy_selectors.availability(gme.consortium, START, 16, "F")
    }


def _occupied(gme) -> dict:
    return {
        row.label: row.occupied
        for row in occupancy_selectors.occupancy_today(gme.consortium, "site")
    }


def test_free_places_are_read_from_the_cache_until_the_housing_changes(gme):
    assert _free(gme) == {gme.site_b: 2, gme.site_c: 1}
    with CaptureQueriesContext(connection) as again:
        assert _free(gme) == {gme.site_b: 2, gme.site_c: 1}
    assert not any("housing_stay" in q["sql"] for q in again.captured_queries)

    stay = StayFactory(site=gme.site_b, start_date=D(2029, 6, 1))
    assert _free(gme) == {gme.site_b: 1, gme.site_c: 1}
    CapacityChangeFactory(site=gme.site_c, places=2, planned_on=D(2029, 1, 1))
    assert _free(gme) == {gme.site_b: 1, gme.site_c: 3}
    stay.end_date = D(2029, 12, 1)
    stay.save()
    assert _free(gme) == {gme.site_b: 2, gme.site_c: 3}
    stay.delete()
    new_site = SiteFactory(consortium=gme.consortium, organisation=gme.member_b)
    CapacityChangeFactory(site=new_site, places=5, planned_on=D(2029, 1, 1))
    assert _free(gme)[new_site] == 5


def test_the_occupancy_of_the_day_follows_each_stay(gme):
    assert _occupied(gme)[gme.site_b.name] == 0
    stay = StayFactory(site=gme.site_b, start_date=D(2020, 1, 1))
    assert _occupied(gme)[gme.site_b.name] == 1
    Stay.objects.get(pk=stay.pk).delete()
    assert _occupied(gme)[gme.site_b.name] == 0


def test_a_change_in_one_gme_keeps_the_figures_of_another(gme):
    from tests.housing.conftest import build_gme

    other = build_gme(suffix=" bis")
    before = {g.consortium.pk: figures.housing_version(g.consortium.pk) for g in (gme, other)}
    StayFactory(site=gme.site_b, start_date=D(2020, 1, 1))
    assert figures.housing_version(other.consortium.pk) == before[other.consortium.pk]
    assert figures.housing_version(gme.consortium.pk) != before[gme.consortium.pk]


def test_figures_read_during_the_transaction_of_a_change_are_renewed_when_it_commits(
    gme, django_capture_on_commit_callbacks
):
    """A page computing the figures while a placement is being written may store them
    under the new version; the commit renews it again, so they are not kept."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        StayFactory(site=gme.site_b, start_date=D(2029, 6, 1))
        during = figures.housing_version(gme.consortium.pk)
    assert figures.housing_version(gme.consortium.pk) != during
