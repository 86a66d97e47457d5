"""Dated retention periods of a youth's data, per category."""

from __future__ import annotations

import datetime

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped


class RetentionScope(models.TextChoices):
    """What a retention period counts from."""

    LAST_CONTACT = "last_contact", "Après le dernier contact avec le jeune"
    CEJ_END = "cej_end", "Après la fin du contrat d'engagement jeune (données CEJ)"


class RetentionRuleQuerySet(models.QuerySet):
    def months_by_category(self, scope: str, on: datetime.date) -> dict[str, int]:
        """Months of retention in force on a day for each category of the scope.

        A rule naming a category beats a rule for all categories; among rules of the same
        reach, the latest ``valid_from`` not after the day wins. A category without any rule
        is absent (never purged).
        """
        latest: dict[str, RetentionRule] = {}
        for rule in self.filter(scope=scope, valid_from__lte=on).order_by("valid_from", "pk"):
            latest[rule.category] = rule
        default = latest.get("")
        return {
            category: rule.months
            for category in Category.values
            if (rule := latest.get(category, default)) is not None
        }


class RetentionRule(TimeStamped):
    """A dated retention period (CNIL référentiel 2023-095 for the social sector: active
    data two years after the last contact; CEJ data ten years after the contract ends)."""

    scope = models.CharField("point de départ", max_length=20, choices=RetentionScope.choices)
    category = models.CharField(
        "catégorie",
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text="Vide : toutes les catégories sans règle propre.",
    )
    months = models.PositiveSmallIntegerField("durée (mois)", validators=[MinValueValidator(1)])
    valid_from = models.DateField("en vigueur à partir du")
    basis = models.CharField("fondement", max_length=300)

    objects = RetentionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "durée de conservation"
        verbose_name_plural = "durées de conservation"
        ordering = ["scope", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "category", "valid_from"],
                name="retention_rule_unique_per_day",
                violation_error_message="Une règle existe déjà pour cette catégorie à cette date.",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_rule_months"),
        ]

    def __str__(self) -> str:
        reach = self.get_category_display() if self.category else "toutes les catégories"
        return f"{reach} : {self.months} mois ({self.get_scope_display().lower()})"
