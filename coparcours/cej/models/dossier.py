"""The administrative file: the configured list of pieces and each pathway's pieces."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.cej.models.pathway import Pathway
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.youths.models import Document
from coparcours.youths.models.documents import document_path
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class DossierItemKind(TimeStamped):
    """A piece of the administrative file (circulaire DGEFP/MAJE/2022/45, annex 4: the list
    is not reproduced, it is configured here)."""

    label = models.CharField("pièce", max_length=200, unique=True)
    help_text = models.CharField("précision", max_length=300, blank=True)
    only_non_eu_adults = models.BooleanField(
        "seulement pour les majeurs non européens", default=False
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("demandée", default=True)

    class Meta:
        verbose_name = "pièce du dossier administratif"
        verbose_name_plural = "pièces du dossier administratif"
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class DossierStatus(models.TextChoices):
    MISSING = "missing", "Manquante"
    COLLECTED = "collected", "Recueillie"
    TRANSMITTED = "transmitted", "Transmise à la mission locale"


class DossierItem(YouthData):
    CATEGORY = Category.ADMIN_DOCUMENTS

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="dossier_items")
    kind = models.ForeignKey(
        DossierItemKind, verbose_name="pièce", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "état", max_length=20, choices=DossierStatus.choices, default=DossierStatus.MISSING
    )
    document = models.ForeignKey(
        Document,
        verbose_name="document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collected_on = models.DateField("recueillie le", null=True, blank=True)
    transmitted_on = models.DateField("transmise le", null=True, blank=True)
    transmitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: A photo or PDF the youth sent from their space, waiting for the referent to accept
    #: it into the file (it becomes a document) or to refuse it with a reason.
    youth_file = models.FileField(
        "envoyée par le jeune", upload_to=document_path, blank=True, max_length=200
    )
    youth_file_type = models.CharField("type", max_length=100, blank=True)
    youth_sent_at = models.DateTimeField("envoyée par le jeune le", null=True, blank=True)
    youth_refusal = models.CharField("motif du refus", max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce du dossier"
        ordering = ["kind__position", "kind__label"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "kind"], name="cej_dossier_item_unique")
        ]
        indexes = [  # the home's papers sent by youths read only these
            models.Index(
                fields=["youth_sent_at"],
                condition=~Q(youth_file=""),
                name="cej_dossier_item_youth_sent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.get_status_display()}"
