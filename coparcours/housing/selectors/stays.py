"""Stays under the access policy: the stays whose housing data the user may read, the
majorities coming and the reminders raised before them."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from coparcours.core.access import Action, Category, active_memberships, decide, visible_youth_data
from coparcours.core.pagination import PageConverted
from coparcours.housing.models.majority import MajorityReminder
from coparcours.housing.models.settings import HousingSettings
from coparcours.housing.models.stays import Stay
from coparcours.organisations.models import Consortium
from coparcours.youths.models.records import access_facts_for
from coparcours.youths.rules import MAJORITY_AGE, add_years


def visible_stays(
    user: Any, stays: QuerySet[Stay] | None = None, *, few_rows: bool = False
) -> list[Stay]:
    """Stays whose housing data the user may read: youths accompanied by the user's
    organisations (``visible_youth_data``, with ``few_rows`` when the stays are already
    narrowed to a few youths), then the policy's decision for each stay's author."""
    return _readable(user, list(_accompanied(user, stays, few_rows=few_rows)))


def visible_stays_pages(user: Any, stays: QuerySet[Stay]) -> PageConverted:
    """The same stays as a list decided a page at a time (the list of a GME's thousand
    stays): the accompanied youths' stays are counted and sliced in the database, and each
    page's rows are then decided together."""
    return PageConverted(_accompanied(user, stays), lambda rows: _readable(user, rows))


def _accompanied(user: Any, stays: QuerySet[Stay] | None, *, few_rows: bool = False):
    stays = stays if stays is not None else Stay.objects.all()
    return visible_youth_data(user, stays, few_rows=few_rows).select_related(
        "youth", "site", "site__organisation", "author_organisation"
    )


def _readable(user: Any, rows: list[Stay]) -> list[Stay]:
    day = timezone.localdate()
    facts = access_facts_for(
        {stay.youth_id: stay.youth.owner_organisation_id for stay in rows}, day
    )
    memberships = active_memberships(user, day)
    return [
        stay
        for stay in rows
        if decide(
            memberships,
            facts[stay.youth_id],
            Category.HOUSING,
            Action.READ,
            stay.author_organisation_id,
        )
    ]


@dataclass(frozen=True)
class ComingMajority:
    stay: Stay
    majority_date: datetime.date
    days_left: int


def coming_majorities(
    user: Any, consortium: Consortium, settings: HousingSettings | None = None
) -> list[ComingMajority]:
    """Hosted youths turning 18 within the coordinator alert delay (a dated setting, read
    unless the caller has the settings in force today)."""
    today = timezone.localdate()
    delay = (settings or HousingSettings.in_force(today)).coordinator_alert_days
    oldest = add_years(today, -MAJORITY_AGE)
    youngest = add_years(today + datetime.timedelta(days=delay), -MAJORITY_AGE)
    stays = Stay.objects.active(today).filter(
        site__consortium=consortium, youth__birth_date__gt=oldest, youth__birth_date__lte=youngest
    )
    found = [
        ComingMajority(stay, stay.youth.majority_date, (stay.youth.majority_date - today).days)
        for stay in visible_stays(user, stays, few_rows=True)
    ]
    return sorted(found, key=lambda c: c.majority_date)


def pending_reminders(youth_ids: Iterable[int]) -> dict[int, list[MajorityReminder]]:
    """Reminders raised before majority that are still ahead, by youth (one query): the
    referent sees on the stays page which preparation interview is due (CASF L.222-5-1)."""
    found: dict[int, list[MajorityReminder]] = defaultdict(list)
    reminders = MajorityReminder.objects.filter(
        youth_id__in=list(youth_ids), majority_date__gt=timezone.localdate()
    ).order_by("majority_date", "kind")
    for reminder in reminders:
        found[reminder.youth_id].append(reminder)
    return dict(found)
