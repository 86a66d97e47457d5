"""Background jobs of the housing (huey): reminders before a hosted youth turns 18 and
during their residence-permit window."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.housing.services import majority as majority_services
from coparcours.housing.services import road18 as road18_services


@db_periodic_task(crontab(hour="6", minute="15"))
def majority_reminders() -> int:
    """Every morning: raise the preparation-interview reminders and the coordination's
    alerts that fall due (delays are dated settings; see
    ``services.majority.raise_majority_reminders``)."""
    return len(majority_services.raise_majority_reminders())


@db_periodic_task(crontab(hour="6", minute="20"))
def permit_reminders() -> int:
    """Every morning: remind the referents when a minor's residence-permit window opens and
    before its last day (``services.road18.raise_permit_reminders``)."""
    return len(road18_services.raise_permit_reminders())
