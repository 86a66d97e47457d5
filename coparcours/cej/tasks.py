"""Periodic CEJ-JR jobs (huey)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from coparcours.cej import followup, reminders, rules
from coparcours.cej.models import WeeklyFollowUp
from coparcours.cej.services import contract, reviews


@db_periodic_task(crontab(hour="6", minute="15"))
def flag_veille_reached() -> int:
    """Each morning, flag the youths in pré CEJ-JR whose veille date is reached."""
    return len(contract.flag_veille_reached(timezone.localdate()))


@db_periodic_task(crontab(minute="5"))
def monday_follow_up() -> int:
    """Every hour: produce the Monday follow-up of the last week due (from Monday 7:00,
    Europe/Paris). Already produced follow-ups are left alone, so a missed Monday is caught
    up at the next run and nothing is sent twice. Every follow-up
    not sent yet is queued, not only this run's: a run killed between producing and
    queueing is resumed by the next one (docs/decisions.md, section 22)."""
    week = rules.follow_up_week_due(timezone.localtime())
    created = followup.produce(week, send_now=False).created
    unsent = WeeklyFollowUp.objects.filter(sent_at__isnull=True).order_by("pk")
    for follow_up_id in unsent.values_list("pk", flat=True):
        send_follow_up(follow_up_id)
    return len(created)


@db_task(retries=3, retry_delay=300)
def send_follow_up(follow_up_id: int) -> bool:
    """E-mail one follow-up with its PDF (never twice: ``followup.send`` claims it)."""
    follow_up = WeeklyFollowUp.objects.select_related("counsellor").filter(pk=follow_up_id).first()
    return follow_up is not None and followup.send(follow_up)


@db_periodic_task(crontab(hour="6", minute="30"))
def review_reminders() -> int:
    """Each morning, remind all partners of the 3- and 6-month reviews due within a week."""
    return len(reviews.remind_reviews(timezone.localdate()))


@db_periodic_task(crontab(minute="*/5"))
def appointment_reminders() -> tuple[int, int]:
    """Every five minutes: plan the reminders of the next day's appointments the youths
    agreed to, and send those due (never twice, retried on failure: cej.reminders)."""
    return reminders.run(timezone.now())
