"""Background job of the orientations: deleting those past their retention."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.orientations.services import purge_stale


@db_periodic_task(crontab(hour="2", minute="40"))
def purge_orientations() -> int:
    """Daily 02:40: delete the orientations unchanged for 90 days (docs/domain-rules.md)."""
    return purge_stale()
