"""Background jobs of the steering (huey): the funders' publications."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.organisations.models import Membership, Role
from coparcours.reporting import grids, publication, selectors


@db_periodic_task(crontab(day="1", hour="5", minute="0"))
def publish_funder_figures() -> int:
    """On the first of each month: publish the year of every funder's consortia, so that
    no funder waits for it (``publication.published``; a funder reading first publishes
    it as well). Returns how many publications were computed or found up to date."""
    today = timezone.localdate()
    funders = get_user_model().objects.filter(
        pk__in=Membership.objects.active(today).filter(role=Role.FUNDER_VIEWER).values("user_id")
    )
    scopes = {
        tuple(consortia)
        for user in funders
        if (consortia := list(selectors.steered(user, selectors.FUNDER)))
    }
    years = sorted(
        {grid.start.year for grid in grids.published(today)} & {today.year - 1, today.year}
    )
    for consortia in scopes:
        for year in years:
            publication.published(list(consortia), year, today)
    return len(scopes) * len(years)
