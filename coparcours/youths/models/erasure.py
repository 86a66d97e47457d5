"""Requests to erase a youth's data and their decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.records import Youth


class ErasureStatus(models.TextChoices):
    PENDING = "pending", "En attente de décision"
    APPROVED = "approved", "Acceptée : dossier anonymisé"
    REFUSED = "refused", "Refusée"


class ErasureRequester(models.TextChoices):
    YOUTH = "youth", "Le jeune"
    GUARDIAN = "guardian", "Son représentant légal"
    MANDATED = "mandated", "Une personne mandatée par le jeune"


class ErasureRequest(TimeStamped):
    """A request to erase the youth's data (RGPD art. 17), decided with a written motive.

    Approval anonymises the record at once; the request itself stays as the trace of the
    decision (accountability, RGPD art. 5-2).
    """

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    received_on = models.DateField("reçue le")
    requester = models.CharField("demandée par", max_length=10, choices=ErasureRequester.choices)
    reason = models.TextField("motif de la demande")
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="enregistrée par l'organisation",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "état", max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_motive = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ErasureStatus.PENDING)
                | (Q(decided_at__isnull=False) & ~Q(decision_motive="")),
                name="erasure_decision_has_motive",
            )
        ]

    def __str__(self) -> str:
        return f"Demande d'effacement du {self.received_on:%d/%m/%Y} ({self.get_status_display()})"
