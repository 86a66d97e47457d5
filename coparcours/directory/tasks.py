"""Periodic directory jobs (huey)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from coparcours.directory import guides
from coparcours.directory.services.referrals import expire_and_remind


@db_periodic_task(crontab(hour="7", minute="0"))
def referral_reminders() -> tuple[int, int]:
    """Each morning, expire unanswered referrals past their date and remind the others."""
    return expire_and_remind()


@db_periodic_task(crontab(hour="7", minute="10"))
def guide_review_reminders() -> int:
    """Each morning, tell the owners of shared guides whose review date has passed (once)."""
    return guides.remind_reviews()
