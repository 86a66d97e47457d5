"""Missed actions and their sanctions during the contract, and the one-off PACEA
allowance requested during remobilisation."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from coparcours.cej.models.pathway import Pathway
from coparcours.cej.models.regulation import SanctionEffect
from coparcours.core.access import Category
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class MissedAction(YouthData):
    """A missed action without legitimate reason (R.5131-17/-18): the counsellor proposes,
    the mission locale decides after the youth's observations."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="missed_actions")
    occurred_on = models.DateField("date du manquement")
    description = models.CharField("action manquée", max_length=300)
    breach_number = models.PositiveSmallIntegerField("manquement n°")
    proposed_effect = models.CharField(
        "sanction proposée", max_length=20, choices=SanctionEffect.choices
    )
    reduction_percent = models.PositiveSmallIntegerField("réduction (%)", null=True, blank=True)
    youth_observations = models.TextField("observations du jeune", blank=True)
    decision = models.CharField(
        "décision de la mission locale",
        max_length=20,
        choices=[("pending", "En attente"), ("confirmed", "Confirmée"), ("waived", "Abandonnée")],
        default="pending",
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)
    effective_from = models.DateField("effet le", null=True, blank=True)
    proposed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "manquement"
        ordering = ["occurred_on", "pk"]


class AllowanceDecision(models.TextChoices):
    PENDING = "pending", "En attente"
    GRANTED = "granted", "Accordée"
    REFUSED = "refused", "Refusée"


class PaceaAllowanceRequest(YouthData):
    """A PACEA one-off allowance asked during remobilisation (L.5131-5; FAQ CEJ-JR 2023)."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="pacea_requests")
    requested_on = models.DateField("demandée le")
    requested_by = models.CharField("demandée par", max_length=200)
    amount = models.DecimalField(
        "montant", max_digits=7, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    decision = models.CharField(
        "décision",
        max_length=20,
        choices=AllowanceDecision.choices,
        default=AllowanceDecision.PENDING,
    )
    decided_on = models.DateField("décidée le", null=True, blank=True)

    class Meta:
        verbose_name = "demande d'allocation ponctuelle PACEA"
        ordering = ["-requested_on", "-pk"]
