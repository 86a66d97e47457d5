"""The youth's consents, and the legal-basis shares, opening categories of the record to
an organisation."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coparcours.core.access import Category, ShareBasis
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths.models.assignments import DatedQuerySet
from coparcours.youths.models.records import Youth


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", "Formulaire signé"
    ORAL_WITH_WITNESS = "oral_witness", "Accord oral devant témoin"
    INFORMED_LEGAL_BASIS = "informed", "Information préalable (secret partagé)"


class ConsentGiver(models.TextChoices):
    YOUTH = "youth", "Le jeune"
    GUARDIAN = "guardian", "Le représentant légal"
    BOTH = "both", "Le jeune et son représentant légal"


class ConsentQuerySet(DatedQuerySet):
    def active(self, on: datetime.date | None = None) -> ConsentQuerySet:
        return super().active(on).filter(withdrawn_at__isnull=True)


class Consent(TimeStamped):
    """The youth's agreement (or a legal-basis share) opening categories to an organisation.

    Consent is the default basis. A legal-basis share rests on shared professional secrecy
    (CASF L.226-2-2, L.121-6-2): it records the purpose, the categories and the prior
    information of the youth (and guardian), and never covers health or mental health.
    """

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="consents"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation destinataire",
        on_delete=models.PROTECT,
        related_name="received_consents",
    )
    categories = models.JSONField("catégories partagées", default=list)
    purpose = models.TextField("finalité")
    basis = models.CharField(
        "fondement", max_length=10, choices=ShareBasis.choices, default=ShareBasis.CONSENT
    )
    given_by = models.CharField(
        "accord donné par", max_length=10, choices=ConsentGiver.choices, default=ConsentGiver.YOUTH
    )
    method = models.CharField("recueilli par", max_length=20, choices=ConsentMethod.choices)
    witness = models.CharField("témoin", max_length=200, blank=True)
    signed_form = models.ForeignKey(
        "Document",
        verbose_name="formulaire signé",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prior_information_on = models.DateField(
        "information préalable du jeune le", null=True, blank=True
    )
    start_date = models.DateField("à partir du", default=timezone.localdate)
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="enregistré par l'organisation",
        on_delete=models.PROTECT,
        related_name="recorded_consents",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistré par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("retiré le", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="retrait enregistré par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_by_youth = models.BooleanField(
        "retiré par le jeune",
        default=False,
        help_text="Depuis son espace : les organisations concernées en sont prévenues.",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "consentement"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="consent_end_after_start",
            )
        ]
        indexes = [  # the home's notice of withdrawals by youths reads only these
            models.Index(
                fields=["withdrawn_at"],
                condition=Q(withdrawn_by_youth=True),
                name="consent_withdrawn_by_youth",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()} → {self.organisation}"

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.start_date <= day
            and (self.end_date is None or day < self.end_date)
        )

    @property
    def state_label(self) -> str:
        today = timezone.localdate()
        if self.withdrawn_at:
            return "retiré"
        if self.start_date > today:
            return "à venir"
        if self.end_date is not None and self.end_date <= today:
            return "expiré"
        return "en vigueur"
