"""The settings of a CEJ-JR partnership: weekly hours, committee day, what each mission
locale expects in the Monday follow-up, and the départements' eligibility derogations."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from coparcours.cej import rules
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation
from coparcours.organisations.validators import validate_departement_code


class PartnershipSettings(TimeStamped):
    """Settings of a CEJ-JR partnership (porteur = lead member, one or more missions locales)."""

    partnership = models.OneToOneField(
        Consortium,
        verbose_name="partenariat CEJ-JR",
        on_delete=models.CASCADE,
        related_name="cej_settings",
        limit_choices_to={"kind": "cej_jr"},
    )
    departement_code = models.CharField(
        "département", max_length=3, validators=[validate_departement_code]
    )
    minimum_weekly_hours = models.PositiveSmallIntegerField(
        "heures d'activité hebdomadaires minimales",
        default=15,
        validators=[MinValueValidator(15), MaxValueValidator(20)],
        help_text="Entre 15 et 20 heures (CEJ).",
    )
    committee_weekday = models.PositiveSmallIntegerField(
        "jour du comité d'intégration",
        default=1,
        choices=[(0, "lundi"), (1, "mardi"), (2, "mercredi"), (3, "jeudi"), (4, "vendredi")],
    )

    class Meta:
        verbose_name = "paramètres du partenariat CEJ-JR"
        verbose_name_plural = "paramètres des partenariats CEJ-JR"
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_weekly_hours__gte=15) & Q(minimum_weekly_hours__lte=20),
                name="cej_weekly_hours_15_20",
                violation_error_message="Le minimum hebdomadaire est compris entre 15 et 20 h.",
            )
        ]

    def __str__(self) -> str:
        return f"Paramètres — {self.partnership}"


class FollowUpDetail(models.TextChoices):
    TOTALS = "totals", "Total des heures seulement"
    PER_ACTIVITY = "per_activity", "Détail de chaque activité"


class FollowUpPreference(TimeStamped):
    """What a mission locale expects in the Monday follow-up: missions locales differ (totals
    or each activity; the porteur's relay or a contact with the youth)."""

    settings = models.ForeignKey(
        PartnershipSettings, on_delete=models.CASCADE, related_name="follow_up_preferences"
    )
    mission_locale = models.ForeignKey(
        Organisation,
        verbose_name="mission locale",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "mission_locale"},
    )
    detail = models.CharField(
        "niveau de détail",
        max_length=20,
        choices=FollowUpDetail.choices,
        default=FollowUpDetail.TOTALS,
    )
    porteur_may_relay = models.BooleanField(
        "le porteur peut relayer",
        default=True,
        help_text="Sinon, un contact avec le jeune est exigé.",
    )

    class Meta:
        verbose_name = "préférence de suivi hebdomadaire"
        verbose_name_plural = "préférences de suivi hebdomadaire"
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "mission_locale"], name="cej_follow_up_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission_locale} — {self.get_detail_display()}"


class EligibilityDerogation(TimeStamped):
    """A département's derogation to the veille criterion, dated."""

    departement_code = models.CharField(
        "département", max_length=3, validators=[validate_departement_code]
    )
    label = models.CharField("intitulé", max_length=200)
    months = models.PositiveSmallIntegerField(
        "délai sans contact ramené à (mois)",
        null=True,
        blank=True,
        help_text="Laisser vide si la dérogation lève entièrement le critère de délai.",
    )
    reference = models.CharField("décision de référence", max_length=300, blank=True)
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)

    class Meta:
        verbose_name = "dérogation d'éligibilité"
        verbose_name_plural = "dérogations d'éligibilité"
        ordering = ["departement_code", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cej_derogation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.departement_code})"

    def as_rule(self) -> rules.Derogation:
        return rules.Derogation(self.label, self.start_date, self.end_date, self.months)
