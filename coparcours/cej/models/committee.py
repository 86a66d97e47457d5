"""The weekly integration committee: its meetings, agenda and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from coparcours.cej.models.pathway import Pathway
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class CommitteeMeeting(TimeStamped):
    """A weekly meeting of the porteur and the mission locale validating entries."""

    partnership = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.PROTECT,
        related_name="cej_meetings",
    )
    date = models.DateField("date")
    participants = models.CharField(
        "participants", max_length=500, blank=True, help_text="Noms et organisations présents."
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "comité d'intégration"
        verbose_name_plural = "comités d'intégration"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date"],
                name="cej_meeting_unique_date",
                violation_error_message="Un comité existe déjà à cette date.",
            )
        ]

    def __str__(self) -> str:
        return f"Comité du {self.date:%d/%m/%Y}"


class AgendaReason(models.TextChoices):
    NEW = "new", "Nouvellement repéré·e"
    VEILLE = "veille", "Date de veille atteinte avant le prochain comité"
    PENDING = "pending", "Décision en attente"


class AgendaItem(YouthData):
    CATEGORY = Category.EDUCATION_EMPLOYMENT
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="items")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="agenda_items")
    reason = models.CharField("motif d'inscription", max_length=20, choices=AgendaReason.choices)

    class Meta:
        verbose_name = "point à l'ordre du jour"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "pathway"], name="cej_agenda_item_unique")
        ]


class DecisionKind(models.TextChoices):
    PRE_CEJ = "pre_cej", "Entrée en pré CEJ-JR jusqu'à la date de veille"
    REMOBILISATION = "remobilisation", "Début de la remobilisation"
    PROPOSE_CONTRACT = "propose_contract", "Proposition du contrat CEJ"
    ORIENT_ELSEWHERE = "orient_elsewhere", "Orientation vers un autre dispositif"
    DEFER = "defer", "Décision reportée"


class CommitteeDecision(YouthData):
    CATEGORY = Category.EDUCATION_EMPLOYMENT
    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.PROTECT, related_name="decisions"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("décision", max_length=20, choices=DecisionKind.choices)
    until = models.DateField("jusqu'au", null=True, blank=True)
    decided_by = models.CharField("décidée par", max_length=300)
    comment = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision du comité"
        verbose_name_plural = "décisions du comité"
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "pathway"], name="cej_one_decision_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
