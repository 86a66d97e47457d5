"""Reminders of the youths' coming appointments, the day before and two hours before, by SMS
or e-mail as the youth agreed in their own space (docs/youth-space.md, « Reminders »).

- Only with the youth's agreement (``Youth.reminder_channel`` and its date), never for an
  appointment they said they cannot attend, nor once it was recorded or has started.
- Never between 21:00 and 8:00 (Europe/Paris): a reminder due then waits for 8:00, and is
  dropped when that is too close to the appointment.
- The text says « rendez-vous », its day and time, in the youth's language: never its
  nature, its place nor who runs it (a care appointment stays a « rendez-vous »).
- One reminder, not two at once: the day-before one is dropped once the two-hour one is
  due (an appointment planned late, a provider down for hours).
- Never twice: one row per appointment, kind and channel (a unique constraint), claimed
  and sent in one transaction, as the Monday follow-up is (docs/decisions.md, 22). A run
  killed before the hand-off leaves the reminder for the next run.
- A provider down: retried :data:`MAX_ATTEMPTS` times, then given up with its reason,
  which the referent sees beside the activity; never lost silently. A number missing or
  that cannot be dialled is given up at once: trying again changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext

from coparcours.cej.models import Activity, AppointmentReminder, ReminderKind, YouthAnswer
from coparcours.cej.rules import Stage
from coparcours.youths.messages import NotSent, send_to_youth

#: How long before the appointment each reminder is due.
OFFSETS = {
    ReminderKind.DAY_BEFORE: datetime.timedelta(hours=24),
    ReminderKind.TWO_HOURS: datetime.timedelta(hours=2),
}
#: No message between these hours (local time).
QUIET_FROM = datetime.time(21, 0)
QUIET_UNTIL = datetime.time(8, 0)
#: A reminder later than this before its appointment is not worth sending.
TOO_LATE = datetime.timedelta(minutes=30)
#: Tries before a reminder is given up, and the wait between two.
MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(minutes=10)


def due_time(starts_at: datetime.datetime, kind: str) -> datetime.datetime | None:
    """When a reminder of ``kind`` leaves: its offset before the appointment, moved out of
    the quiet hours to 8:00; ``None`` when that falls too close to the appointment."""
    due = timezone.localtime(starts_at - OFFSETS[kind])
    if due.time() >= QUIET_FROM:
        due = (due + datetime.timedelta(days=1)).replace(
            hour=QUIET_UNTIL.hour, minute=0, second=0, microsecond=0
        )
    elif due.time() < QUIET_UNTIL:
        due = due.replace(hour=QUIET_UNTIL.hour, minute=0, second=0, microsecond=0)
    return due if due <= starts_at - TOO_LATE else None


def plan_reminders(now: datetime.datetime) -> int:
    """Create the reminders of the appointments of the next 25 hours whose youth agreed to
    them; those already planned are left alone (the unique constraint). Returns how many
    were created."""
    activities = Activity.objects.filter(
        starts_at__gt=now,
        starts_at__lte=now + OFFSETS[ReminderKind.DAY_BEFORE] + datetime.timedelta(hours=1),
        attended__isnull=True,
    ).exclude(Q(youth_answer=YouthAnswer.NOT_COMING) | Q(pathway__stage=Stage.EXIT))
    rows = []
    for activity_id, starts_at, channel in activities.exclude(
        youth__reminder_channel=""
    ).values_list("pk", "starts_at", "youth__reminder_channel"):
        for kind in OFFSETS:
            due = due_time(starts_at, kind)
            if due is not None and not _overtaken(kind, starts_at, now):
                rows.append(
                    AppointmentReminder(
                        activity_id=activity_id, kind=kind, channel=channel, due_at=due
                    )
                )
    before = AppointmentReminder.objects.count()
    AppointmentReminder.objects.bulk_create(rows, ignore_conflicts=True)
    return AppointmentReminder.objects.count() - before


def _overtaken(kind: str, starts_at: datetime.datetime, now: datetime.datetime) -> bool:
    """The day-before reminder is not sent once the two-hour one is due: an appointment
    planned late, or a provider down for hours, gives one reminder, not two at once."""
    return kind == ReminderKind.DAY_BEFORE and now >= starts_at - OFFSETS[ReminderKind.TWO_HOURS]


def due_reminders(now: datetime.datetime) -> list[int]:
    """The reminders to send now: due, neither sent nor given up, their retry time come,
    their appointment still to come, not overtaken by the two-hour one."""
    return list(
        AppointmentReminder.objects.filter(
            Q(next_try_at__isnull=True) | Q(next_try_at__lte=now),
            sent_at__isnull=True,
            failed_at__isnull=True,
            due_at__lte=now,
            activity__starts_at__gt=now,
        )
        .exclude(
            kind=ReminderKind.DAY_BEFORE,
            activity__starts_at__lte=now + OFFSETS[ReminderKind.TWO_HOURS],
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


def send_reminder(reminder_id: int, now: datetime.datetime) -> bool:
    """Send one reminder once: its row is locked and marked sent in the transaction that
    hands the message over; a failure is counted, retried later, then given up."""
    with transaction.atomic():
        reminder = (
            AppointmentReminder.objects.select_for_update(of=("self",))
            .select_related("activity__youth")
            .filter(pk=reminder_id, sent_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if reminder is None:
            return False
        youth = reminder.activity.youth
        if youth.reminder_channel != reminder.channel or reminder.activity.youth_not_coming:
            reminder.failed_at = now
            reminder.last_error = "Le jeune ne veut plus de ce rappel."
            reminder.save(update_fields=["failed_at", "last_error", "updated_at"])
            return False
        subject, text = reminder_message(youth.space_language, reminder.activity.starts_at)
        try:
            send_to_youth(youth, reminder.channel, subject, text)
        except NotSent as failed:
            reminder.attempts += 1
            reminder.last_error = failed.reason[:300]
            reminder.next_try_at = now + RETRY_AFTER * reminder.attempts
            if reminder.attempts >= MAX_ATTEMPTS or failed.record_to_correct:
                reminder.failed_at = now
            reminder.save(
                update_fields=["attempts", "last_error", "next_try_at", "failed_at", "updated_at"]
            )
            return False
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at", "updated_at"])
    return True


def reminder_message(space_language: str, starts_at: datetime.datetime) -> tuple[str, str]:
    """The subject and text of a reminder, in the youth's language: a « rendez-vous », its
    day and time, and how to stop; nothing else."""
    local = timezone.localtime(starts_at)
    with translation.override(space_language or settings.LANGUAGE_CODE):
        day = formats.date_format(local, "l j F")
        return gettext("Rappel de rendez-vous"), gettext(
            "Coparcours : rappel de votre rendez-vous le %(day)s à %(time)s. Si vous ne "
            "pouvez pas venir, dites-le dans votre espace. Pour ne plus recevoir de rappels, "
            "répondez STOP."
        ) % {"day": day, "time": local.strftime("%H:%M")}


def run(now: datetime.datetime) -> tuple[int, int]:
    """Plan the reminders, then send those due: (planned, sent). A run killed half-way is
    resumed by the next, which finds the unsent ones still due."""
    planned = plan_reminders(now)
    sent = sum(send_reminder(reminder_id, now) for reminder_id in due_reminders(now))
    return planned, sent
