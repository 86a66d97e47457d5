"""The standings of a person's organisations kept in the cache (organisations.standings):
read with the memberships' one query when the cache has them, computed again after any
change of a consortium, of its members or of the memberships, never stale."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coparcours.organisations.models import ConsortiumMember, Standing
from coparcours.organisations.selectors import active_memberships_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(settings):
    """A ``standings`` cache that keeps entries, as Redis does in production (every test
    has one, emptied before it: tests/conftest.py)."""
    from django.core.cache import caches

    assert settings.CACHES["standings"]["BACKEND"].endswith("LocMemCache")
    caches["standings"].clear()
    yield


def _read(user):
    with CaptureQueriesContext(connection) as queries:
        memberships = active_memberships_of(user)
    assert len(queries) == 1  # always the memberships' one query
    computed = "organisations_consortiummember" in queries[0]["sql"]
    return {m.organisation.name: m.standings for m in memberships}, computed


def test_the_second_request_reads_the_standings_from_the_cache(demo, kept):
    coordination = demo.users["coordination"]
    first, computed = _read(coordination)
    assert computed
    second, computed = _read(type(coordination).objects.get(pk=coordination.pk))
    assert not computed and second == first
    assert Standing.GME_LEAD in next(iter(second.values()))


def test_a_change_of_the_consortia_is_seen_at_once(demo, kept):
    coordination = demo.users["coordination"]
    _read(coordination)
    lead = ConsortiumMember.objects.get(consortium=demo.gme, is_lead=True)
    lead.left_on = datetime.date(2020, 1, 1)
    lead.save()
    after, computed = _read(coordination)
    assert computed
    assert Standing.GME_LEAD not in next(iter(after.values()))


def test_without_a_keeping_cache_nothing_changes(demo, settings):
    """Without Redis (the dummy cache), every request computes them in its one query."""
    settings.CACHES = {
        **settings.CACHES,
        "standings": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    coordination = demo.users["coordination"]
    assert _read(coordination)[1] and _read(coordination)[1]
