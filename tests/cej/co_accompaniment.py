"""Helpers shared by the co-accompaniment tests: last week's Monday, a consent to the
mission locale, an activity by either side, fifteen hours in a week and a pathway under
contract since last week."""

from __future__ import annotations

import datetime

from django.utils import timezone

from coparcours.cej import rules
from coparcours.cej.services.hours import add_activity
from coparcours.cej.services.interviews import set_counsellor
from coparcours.core.access import Category
from coparcours.youths.factories import ConsentFactory

from .conftest import TODAY
from .test_pathway_services import _contract

EE = Category.EDUCATION_EMPLOYMENT
LAST_WEEK = rules.week_start(TODAY) - datetime.timedelta(days=7)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _consent(world, pathway, categories=(EE,)):
    ConsentFactory(
        youth=pathway.youth,
        organisation=world.mission_locale,
        categories=list(categories),
        start_date=TODAY - datetime.timedelta(days=30),
        author_organisation=world.porteur,
    )


def _activity(world, pathway, day, hour, minutes, *, by_ml=False, kind="workshop", **extra):
    user, org = (
        (world.counsellor, world.mission_locale) if by_ml else (world.referent, world.porteur)
    )
    return add_activity(
        user,
        org,
        pathway,
        kind=kind,
        title=extra.pop("title", "Atelier CV"),
        starts_at=_at(day, hour),
        duration_minutes=minutes,
        responsible=org,
        attended=extra.pop("attended", True),
    )


def _fifteen_hours(world, pathway, week=LAST_WEEK):
    for offset in range(3):  # porteur: 3 × 3 h
        _activity(world, pathway, week + datetime.timedelta(days=offset), 9, 180)
    for offset in range(3):  # mission locale: 3 × 2 h
        _activity(world, pathway, week + datetime.timedelta(days=offset), 14, 120, by_ml=True)


def contract_since_last_week(world):
    """A youth under contract since last week's Monday, shared with the mission locale."""
    pathway = _contract(world)
    pathway.contract_start = LAST_WEEK
    pathway.identified_on = LAST_WEEK - datetime.timedelta(days=20)
    pathway.save()
    _consent(world, pathway)
    set_counsellor(world.referent, world.porteur, pathway, world.counsellor)
    return pathway
