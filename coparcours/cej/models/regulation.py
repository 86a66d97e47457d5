"""Figures set by regulation, as dated rows editable in the admin, never constants: the
veille duration, the CEJ contract durations, the allowance amounts and the sanction scales
(docs/domain-rules.md, "Figures are dated settings")."""

from __future__ import annotations

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from coparcours.cej import rules
from coparcours.core.models import TimeStamped


class DatedSettingQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date):
        """The row in force on a day: the latest one started on or before it."""
        return self.filter(start_date__lte=day).order_by("-start_date").first()


class VeilleDuration(TimeStamped):
    """Months without substantial contact before the veille status (circulaire 2022/117)."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    months = models.PositiveSmallIntegerField(
        "durée (mois)", validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "durée avant veille"
        verbose_name_plural = "durées avant veille"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.months} mois à partir du {self.start_date:%d/%m/%Y}"


class ContractDuration(TimeStamped):
    """CEJ contract durations (R.5131-16 II): planned length and extended maximum."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    planned_months = models.PositiveSmallIntegerField("durée maximale initiale (mois)")
    max_total_months = models.PositiveSmallIntegerField("durée maximale avec prolongation (mois)")
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "durée du contrat CEJ"
        verbose_name_plural = "durées du contrat CEJ"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.planned_months} à {self.max_total_months} mois ({self.start_date:%d/%m/%Y})"


class AllowanceScale(TimeStamped):
    """Monthly CEJ allowance amounts (D.5131-19), revalued each 1 April."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    adult_non_taxable = models.DecimalField(
        "majeur, foyer non imposable", max_digits=7, decimal_places=2
    )
    adult_first_bracket = models.DecimalField(
        "majeur, foyer imposé première tranche", max_digits=7, decimal_places=2
    )
    minor = models.DecimalField("mineur", max_digits=7, decimal_places=2)
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "barème de l'allocation CEJ"
        verbose_name_plural = "barèmes de l'allocation CEJ"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Barème du {self.start_date:%d/%m/%Y}"

    def as_rule(self) -> rules.AllowanceAmounts:
        return rules.AllowanceAmounts(
            self.start_date, self.adult_non_taxable, self.adult_first_bracket, self.minor
        )


class SanctionEffect(models.TextChoices):
    REDUCTION = "reduction", "Réduction de l'allocation du mois"
    MONTH_WITHDRAWN = "month_withdrawn", "Suppression d'un mois d'allocation"
    END_OF_CONTRACT = "end_of_contract", "Suppression et fin du contrat"


class SanctionScale(TimeStamped):
    """A dated rule set for missed actions (R.5131-17/-18); a later decree starts a new one."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "barème des sanctions"
        verbose_name_plural = "barèmes des sanctions"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Sanctions à partir du {self.start_date:%d/%m/%Y}"


class SanctionStep(models.Model):
    scale = models.ForeignKey(SanctionScale, on_delete=models.CASCADE, related_name="steps")
    breach_number = models.PositiveSmallIntegerField("manquement n°")
    effect = models.CharField("effet", max_length=20, choices=SanctionEffect.choices)
    reduction_percent = models.PositiveSmallIntegerField(
        "réduction (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "palier"
        ordering = ["breach_number"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "breach_number"], name="sanction_step_unique")
        ]

    def __str__(self) -> str:
        suffix = f" ({self.reduction_percent} %)" if self.reduction_percent else ""
        return f"{self.breach_number}ᵉ manquement : {self.get_effect_display()}{suffix}"
