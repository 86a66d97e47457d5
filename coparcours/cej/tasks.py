"""Periodic CEJ-JR jobs (huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.cej import services


@db_periodic_task(crontab(hour="6", minute="15"))
def flag_veille_reached() -> int:
    """Each morning, flag the youths in pré CEJ-JR whose veille date is reached (ARASS)."""
    return len(services.flag_veille_reached(timezone.localdate()))
