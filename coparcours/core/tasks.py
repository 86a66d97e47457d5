"""Periodic health beat: proves that the huey worker and its scheduler run."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

HEARTBEAT_KEY = "coparcours:worker-heartbeat"


@db_periodic_task(crontab(minute="*/5"))
def worker_heartbeat() -> str:
    """Record the time the worker last ran a periodic task (shown by /sante/)."""
    beat = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, beat, timeout=None)
    return beat
