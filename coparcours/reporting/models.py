"""Quality and governance evaluation campaigns (the quality evaluation led by the members'
quality directors; the governance evaluation before a renewal of the consortium), the
youths' anonymous answers and the copil reports as generated."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation


class CampaignKind(models.TextChoices):
    QUALITY = "quality", "Évaluation de la qualité"
    GOVERNANCE = "governance", "Évaluation de la gouvernance"


class Campaign(TimeStamped):
    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField("type", max_length=20, choices=CampaignKind.choices)
    title = models.CharField("intitulé", max_length=200)
    due_on = models.DateField("auto-évaluations attendues le")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "campagne d'évaluation"
        ordering = ["-due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField("ordre")
    label = models.CharField("critère", max_length=300)

    class Meta:
        verbose_name = "critère"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "position"], name="criterion_position")
        ]

    def __str__(self) -> str:
        return self.label


class SelfAssessment(TimeStamped):
    """A member's score of itself on one criterion, with its evidence (1 to 4)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    score = models.PositiveSmallIntegerField(
        "note (1 à 4)", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    evidence = models.TextField("éléments de preuve")
    comment = models.TextField("commentaire", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "auto-évaluation"
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "organisation"], name="one_self_assessment"
            )
        ]


class ImprovementAction(TimeStamped):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    organisation = models.ForeignKey(
        Organisation, verbose_name="membre", on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField("action d'amélioration", max_length=300)
    owner = models.CharField("pilote", max_length=200)
    due_on = models.DateField("échéance")

    class Meta:
        verbose_name = "action d'amélioration"
        ordering = ["due_on", "pk"]


class VoiceAnswer(models.Model):
    """A youth's anonymous answer to the short questionnaire (youths' voice):
    stored with its partnership and month only, never with the youth, the pathway or the
    time of day, so no answer can be traced back to a youth."""

    partnership = models.ForeignKey(
        Consortium, verbose_name="partenariat", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("mois")
    adhesion = models.PositiveSmallIntegerField(
        "envie de continuer", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    support = models.PositiveSmallIntegerField(
        "accompagnement perçu", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    quality_of_life = models.PositiveSmallIntegerField(
        "qualité de vie", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = "réponse anonyme d'un jeune"

    def __str__(self) -> str:
        return f"Réponse anonyme de {self.month:%m/%Y}"


def copil_file_path(instance: CopilReport, filename: str) -> str:
    """Stored under an opaque name, outside any public URL (served by an access-checked view)."""
    return f"copil/{instance.dashboard}/{uuid.uuid4().hex}.pdf"


class CopilReport(models.Model):
    """A copil report as generated, for the history of past reports: the dashboard, the
    consortia and filters it covers, the comments written per table and the PDF itself,
    kept as it was handed to the steering committee. Aggregates only, no youth's data."""

    dashboard = models.CharField("tableau de bord", max_length=20)
    consortia = models.ManyToManyField(
        Consortium, verbose_name="groupements ou partenariats", related_name="+"
    )
    member_scope = models.JSONField(
        "membres lus",
        null=True,
        blank=True,
        help_text="Les membres dont le rapport montre les montants (vide : tous).",
    )
    start = models.DateField("du")
    end = models.DateField("au (exclu)")
    filters = models.JSONField("filtres", default=dict)
    comments = models.JSONField("commentaires par tableau", default=list)
    pdf = models.FileField("rapport (PDF)", upload_to=copil_file_path)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="généré par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("généré le", auto_now_add=True)

    class Meta:
        verbose_name = "rapport de copil"
        verbose_name_plural = "rapports de copil"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="copil_period"
            )
        ]

    def __str__(self) -> str:
        return f"Rapport de copil du {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"


class FunderPublication(models.Model):
    """A year of a funder's figures as published (reporting.publication): every ended grid
    period's tables for each consortium funded and for all of them, masked, and the cells
    suppressed (which stay so in the year's next publication). Aggregates only."""

    scope = models.CharField("groupements (identifiants)", max_length=200)
    year = models.PositiveSmallIntegerField("année")
    periods = models.JSONField("périodes publiées", default=list)
    tables = models.JSONField("tableaux masqués", default=dict)
    suppressed = models.JSONField("cellules masquées", default=list)
    published_at = models.DateTimeField("publiée le", auto_now=True)

    class Meta:
        verbose_name = "publication aux financeurs"
        verbose_name_plural = "publications aux financeurs"
        constraints = [
            models.UniqueConstraint(fields=["scope", "year"], name="one_publication_a_year")
        ]

    def __str__(self) -> str:
        return f"Publication {self.year} ({self.scope})"
