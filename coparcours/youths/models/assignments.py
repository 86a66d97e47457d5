"""Co-accompaniments: the organisations accompanying a youth besides the owner."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coparcours.core.access import Relation
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.records import Youth


class DatedQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> DatedQuerySet:
        """Rows in force on a day; periods are half-open [start, end)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class Assignment(TimeStamped):
    """An organisation accompanying the youth besides the owner (co-accompaniment)."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="youth_assignments",
    )
    relation = models.CharField(
        "nature", max_length=20, choices=Relation.choices, default=Relation.CO_ACCOMPANIMENT
    )
    role = models.CharField(
        "rôle auprès du jeune",
        max_length=200,
        help_text="Par exemple : accompagnement vers l'emploi, suivi santé, hébergement.",
    )
    start_date = models.DateField("début", default=timezone.localdate)
    end_date = models.DateField("fin", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "co-accompagnement"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="assignment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.role}"

    def is_active(self, on: datetime.date) -> bool:
        """In force on the day: ``Assignment.objects.active(on)`` for one loaded row."""
        return self.start_date <= on and (self.end_date is None or on < self.end_date)
