"""Requests for a copy of a youth's data (RGPD art. 15-3) and their answers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.records import Youth


class CopyStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse"
    HANDED_OVER = "handed_over", "Copie remise"
    REFUSED = "refused", "Refusée"


class CopyRequest(TimeStamped):
    """The youth's request, from their own space, for a copy of their data (RGPD art.
    15-3), answered within a month (art. 12.3) by the data-protection officer of the
    record's organisation: the copy handed over, or a refusal, each with words the youth
    reads in their space."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="copy_requests"
    )
    received_on = models.DateField("reçue le")
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation du dossier",
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        "état", max_length=12, choices=CopyStatus.choices, default=CopyStatus.PENDING
    )
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="répondue par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField("réponse au jeune", blank=True)

    class Meta:
        verbose_name = "demande de copie"
        verbose_name_plural = "demandes de copie"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CopyStatus.PENDING)
                | (Q(answered_at__isnull=False) & ~Q(answer="")),
                name="copy_answer_has_words",
            )
        ]
        indexes = [
            models.Index(
                fields=["author_organisation", "received_on"],
                condition=Q(status=CopyStatus.PENDING),
                name="youths_copy_pending",
            )
        ]

    def __str__(self) -> str:
        return f"Demande de copie du {self.received_on:%d/%m/%Y} ({self.get_status_display()})"
