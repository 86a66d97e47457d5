"""Dated settings of the housing rules (delays before majority, saturation threshold,
age limit of the after-18 follow-up), editable in the admin."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class HousingSettings(models.Model):
    """Dated settings of the housing rules, editable in the admin: figures set by regulation
    or by the funder are settings, never constants in code (docs/domain-rules.md, "Figures
    are dated settings").

    The row in force on a day is the latest whose ``valid_from`` is on or before it.
    """

    valid_from = models.DateField("en vigueur à partir du", unique=True)
    preparation_interview_days = models.PositiveIntegerField(
        "entretien de préparation à la sortie (jours avant la majorité)",
        default=365,
        help_text="CASF L.222-5-1 : entretien un an avant la majorité.",
    )
    coordinator_alert_days = models.PositiveIntegerField(
        "alerte à la coordination (jours avant la majorité)", default=90
    )
    saturation_threshold_percent = models.PositiveSmallIntegerField(
        "seuil d'alerte de saturation (% d'occupation)", default=95
    )
    after_18_max_age = models.PositiveSmallIntegerField(
        "âge limite du contrat jeune majeur",
        default=21,
        help_text="CASF L.222-5 : accompagnement possible jusqu'à 21 ans.",
    )
    source = models.CharField("texte de référence", max_length=300, blank=True)

    class Meta:
        verbose_name = "paramètres de l'hébergement"
        verbose_name_plural = "paramètres de l'hébergement"
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"Paramètres en vigueur à partir du {self.valid_from:%d/%m/%Y}"

    @classmethod
    def in_force(cls, on: datetime.date | None = None) -> HousingSettings:
        """The settings in force on a day (the field defaults if none is recorded yet)."""
        day = on or timezone.localdate()
        return cls.objects.filter(valid_from__lte=day).first() or cls(valid_from=day)
