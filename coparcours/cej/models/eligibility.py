"""Contacts with the mission locale and the eligibility checks they feed."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from coparcours.cej import rules
from coparcours.cej.models.pathway import Pathway
from coparcours.cej.rules import Channel, Status
from coparcours.core.access import Category
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class ContactSource(models.TextChoices):
    TYPED = "typed", "Saisi"
    IMPORTED = "imported", "Importé (extraction I-Milo)"


class Contact(YouthData):
    """A contact between the youth and the mission locale, classified by the rule."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    occurred_on = models.DateField("date")
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    answered = models.BooleanField("le jeune a répondu", default=False)
    intends_to_continue = models.BooleanField(
        "a exprimé l'intention de poursuivre un parcours d'insertion", default=False
    )
    is_substantial = models.BooleanField("contact substantiel", default=False, editable=False)
    source = models.CharField("origine", max_length=20, choices=ContactSource.choices)
    recorded_by = models.ForeignKey(
        USER, verbose_name="enregistré par", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "contact avec la mission locale"
        verbose_name_plural = "contacts avec la mission locale"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} le {self.occurred_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.is_substantial = rules.is_substantial(
            self.channel, self.answered, self.intends_to_continue
        )
        super().save(*args, **kwargs)

    def as_fact(self) -> rules.ContactFact:
        return rules.ContactFact(
            self.occurred_on, self.channel, self.answered, self.intends_to_continue
        )


class OverallAssessment(models.TextChoices):
    """A judgement of the situation beyond the single criterion, always justified."""

    CONFIRMED = "confirmed", "Situation de rupture confirmée"
    RUPTURE_DESPITE_CRITERION = "despite_criterion", "Rupture effective malgré le critère de délai"
    NOT_IN_RUPTURE = "not_in_rupture", "Pas en situation de rupture"


class EligibilityCheck(YouthData):
    """The engine's answer recorded for a pathway, with reasons and facts (kept in history)."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField("éligibilité au")
    at_entry = models.BooleanField("à l'entrée dans le parcours", default=False)
    status = models.CharField("résultat", max_length=20, choices=Status.choices)
    eligible_from = models.DateField("éligible à partir du", null=True, blank=True)
    reasons = models.JSONField("motifs", default=list)
    facts = models.JSONField("faits utilisés", default=dict)
    checked_by = models.ForeignKey(
        USER, verbose_name="vérifié par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall_assessment = models.CharField(
        "appréciation globale", max_length=30, choices=OverallAssessment.choices, blank=True
    )
    justification = models.TextField("justification", blank=True)
    assessed_by = models.ForeignKey(
        USER,
        verbose_name="appréciée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "vérification d'éligibilité"
        verbose_name_plural = "vérifications d'éligibilité"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} au {self.checked_on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        if self.status == Status.ELIGIBLE_ON and self.eligible_from:
            return f"Éligible le {self.eligible_from:%d/%m/%Y}"
        return self.get_status_display()

    @property
    def fact_rows(self) -> list[tuple[str, str]]:
        """The facts used, labelled in French, with dates as JJ/MM/AAAA."""
        rows = []
        for key, value in self.facts.items():
            if isinstance(value, bool):
                shown = "oui" if value else "non"
            elif isinstance(value, list):
                shown = ", ".join(value) or "aucune"
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
                shown = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            else:
                shown = "—" if value is None else str(value)
            rows.append((rules.FACT_LABELS.get(key, key), shown))
        return rows
