"""Background jobs on youth records."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.youths.privacy.retention import apply_retention


@db_periodic_task(crontab(hour="2", minute="30"))
def apply_retention_periods() -> dict[str, int]:
    """Daily: anonymise the records past their retention period after the last contact
    (CNIL référentiel 2023-095); idempotent and resumable, one transaction per youth."""
    report = apply_retention()
    return {
        "anonymised": len(report.anonymised),
        "purged": len(report.purged),
        "files_deleted": report.files_deleted,
    }
