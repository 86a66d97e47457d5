"""Background jobs of the orientations: the outcome read from the pathways, and deleting
those past their retention."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.orientations.services import follow_pathways, purge_stale


@db_periodic_task(crontab(hour="2", minute="40"))
def purge_orientations() -> int:
    """Daily 02:40: delete the orientations unchanged for 90 days (docs/domain-rules.md)."""
    return purge_stale()


@db_periodic_task(crontab(minute="20"))
def tell_partners_the_pathways_outcome() -> int:
    """Hourly at :20: the taken-up orientations whose pathway opened, or ended without
    opening, move to that outcome and their partner is told."""
    return follow_pathways()
