"""Background jobs of the housing (huey): reminders before a hosted youth turns 18."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.housing.services import majority as majority_services


@db_periodic_task(crontab(hour="6", minute="15"))
def majority_reminders() -> int:
    """Every morning: raise the preparation-interview reminders and the coordination's
    alerts that fall due (delays are dated settings; see
    ``services.majority.raise_majority_reminders``)."""
    return len(majority_services.raise_majority_reminders())
