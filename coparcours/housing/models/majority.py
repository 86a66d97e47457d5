"""Turning 18 in the housing: the decision taken for a hosted youth (exit, follow-up,
contrat jeune majeur; CASF L.222-5) and the reminders raised before the majority."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.housing.models.stays import Stay
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth
from coparcours.youths.models.youth_data import YouthData


class MajorityDecision(models.TextChoices):
    EXIT = "exit", "Sortie à la majorité"
    FOLLOW_UP = "follow_up", "Suivi majeur"
    YOUNG_ADULT_CONTRACT = "young_adult_contract", "Contrat jeune majeur"


class AfterEighteen(YouthData):
    """The decision taken for a hosted youth turning 18 (CASF L.222-5, L.222-5-1)."""

    CATEGORY = Category.HOUSING

    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="after_18"
    )
    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="after_18"
    )
    category = models.CharField(
        "catégorie", max_length=30, default=Category.HOUSING, editable=False
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("décision", max_length=25, choices=MajorityDecision.choices)
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    funder_agreement_on = models.DateField("accord du Département le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision à la majorité"
        verbose_name_plural = "décisions à la majorité"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="after_18_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.get_decision_display()


class ReminderKind(models.TextChoices):
    PREPARATION_INTERVIEW = "interview", "Entretien de préparation à la sortie"
    PERMIT_OPENS = "permit", "Préparer la demande de titre de séjour"
    PERMIT_DEADLINE = "deadline", "Date limite de la demande de titre de séjour"
    COORDINATOR_ALERT = "alert", "Alerte à la coordination avant la majorité"


class MajorityReminder(TimeStamped):
    """A reminder raised by the daily job before a hosted youth turns 18."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="majority_reminders"
    )
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("rappel", max_length=10, choices=ReminderKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="destinataire", on_delete=models.PROTECT, related_name="+"
    )
    majority_date = models.DateField("majorité le")

    class Meta:
        verbose_name = "rappel de majorité"
        verbose_name_plural = "rappels de majorité"
        ordering = ["majority_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "kind", "majority_date"], name="majority_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.majority_date:%d/%m/%Y})"
