"""Reminders of a youth's coming appointments sent to their phone or address, with their
agreement: one row per appointment, kind and channel, so that none is ever sent twice."""

from __future__ import annotations

from django.db import models

from coparcours.cej.models.hours import Activity
from coparcours.core.models import TimeStamped


class ReminderKind(models.TextChoices):
    DAY_BEFORE = "day_before", "la veille"
    TWO_HOURS = "two_hours", "deux heures avant"


class AppointmentReminder(TimeStamped):
    """A reminder due at ``due_at``: sent (``sent_at``), or retried after a failure until
    it is given up (``failed_at``), shown to the referent with its reason."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("rappel", max_length=12, choices=ReminderKind.choices)
    channel = models.CharField(
        "canal", max_length=8, choices=[("sms", "SMS"), ("email", "courriel")]
    )
    due_at = models.DateTimeField("à envoyer le")
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("essais", default=0)
    next_try_at = models.DateTimeField("prochain essai", null=True, blank=True)
    failed_at = models.DateTimeField("abandonné le", null=True, blank=True)
    last_error = models.CharField("dernière erreur", max_length=300, blank=True)

    class Meta:
        verbose_name = "rappel de rendez-vous"
        ordering = ["due_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "kind", "channel"], name="cej_reminder_once_per_channel"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "failed_at", "due_at"])]

    def __str__(self) -> str:
        return f"Rappel {self.get_kind_display()} ({self.get_channel_display()})"
