"""Stays of hosted youths at a site and the transfers (réorientations) between them.

A stay is a youth's housing data: it carries ``youth``, ``category`` (housing) and
``author_organisation`` (the hosting member) so the access policy can decide who sees it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.housing.models.requests import PlacementRequest
from coparcours.housing.models.sites import DatedQuerySet, Site
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Assignment, Youth
from coparcours.youths.models.youth_data import YouthData


class ExitReason(models.TextChoices):
    MAJORITY = "majority", "Majorité"
    FAMILY = "family", "Retour en famille"
    OTHER_DEPARTEMENT = "other_departement", "Réorientation vers un autre département"
    RUN_AWAY = "run_away", "Fugue, départ volontaire"
    TRANSFER = "transfer", "Réorientation au sein du groupement"
    OTHER = "other", "Autre"


class Stay(YouthData):
    """A youth's time at a site, [start_date, end_date). Housing data of the hosting member."""

    CATEGORY = Category.HOUSING

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="stays"
    )
    site = models.ForeignKey(
        Site, verbose_name="site", on_delete=models.PROTECT, related_name="stays"
    )
    category = models.CharField(
        "catégorie", max_length=30, default=Category.HOUSING, editable=False
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="membre accueillant",
        on_delete=models.PROTECT,
        related_name="hosted_stays",
    )
    request = models.ForeignKey(
        PlacementRequest,
        verbose_name="demande",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="stays",
    )
    start_date = models.DateField("entrée")
    end_date = models.DateField("sortie", null=True, blank=True)
    exit_reason = models.CharField(
        "motif de sortie", max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_details = models.TextField("précisions sur la sortie", blank=True)
    hosting_assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coordination_assignment = models.ForeignKey(
        Assignment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "séjour"
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["site", "start_date", "end_date"]),
            models.Index(fields=["youth", "start_date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="stay_end_after_start",
                violation_error_message="La sortie doit être postérieure à l'entrée.",
            )
        ]

    def __str__(self) -> str:
        return f"Séjour à {self.site.name} depuis le {self.start_date:%d/%m/%Y}"


class TransferReason(models.TextChoices):
    SCHOOLING = "schooling", "Scolarité"
    HEALTH = "health", "Santé"
    COMPLEX = "complex", "Situation complexe"
    FAMILY = "family", "Rapprochement familial"
    CAPACITY = "capacity", "Adaptation de la place"
    OTHER = "other", "Autre"


class Transfer(TimeStamped):
    """A réorientation between members: closes one stay and opens the next."""

    from_stay = models.OneToOneField(
        Stay, verbose_name="séjour clos", on_delete=models.PROTECT, related_name="transfer_out"
    )
    to_stay = models.OneToOneField(
        Stay, verbose_name="séjour ouvert", on_delete=models.PROTECT, related_name="transfer_in"
    )
    reason = models.CharField("motif", max_length=20, choices=TransferReason.choices)
    details = models.TextField("précisions", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réorientation"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.from_stay.site.name} → {self.to_stay.site.name}"
