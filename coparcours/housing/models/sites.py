"""Housing sites of the GME's members, the waves of places decided by the funder, the
capacity changes opening or closing places at a site, and loans of a site between members
(docs/domain-rules.md, "GME: housing unaccompanied minors")."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.models import TimeStamped
from coparcours.core.phones import validate_phone
from coparcours.organisations.models import Consortium, Organisation

#: Oldest age a site may declare: minors, and young adults followed up to 21 (CASF L.222-5).
MAX_HOSTED_AGE = 21


class SiteKind(models.TextChoices):
    MECS = "mecs", "Maison d'enfants (MECS)"
    COLLECTIVE = "collective", "Unité collective"
    DIFFUSE = "diffuse", "Appartements diffus"
    EMERGENCY = "emergency", "Accueil d'urgence"
    OTHER_ESTABLISHMENT = "other_establishment", "Places dans un autre établissement"


class AcceptedSex(models.TextChoices):
    ANY = "any", "Filles et garçons"
    FEMALE = "F", "Filles"
    MALE = "M", "Garçons"


class Site(TimeStamped):
    """A member's housing site: maison d'enfants, emergency reception, places in one of the
    member's other establishments (CHRS, centre maternel)."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="sites"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="membre gestionnaire",
        on_delete=models.PROTECT,
        related_name="housing_sites",
    )
    name = models.CharField("nom", max_length=200)
    kind = models.CharField("type", max_length=20, choices=SiteKind.choices)
    host_establishment = models.CharField(
        "établissement d'accueil",
        max_length=200,
        blank=True,
        help_text="Pour des places dans un autre établissement : CHRS, centre maternel…",
    )
    address = models.CharField("adresse", max_length=300)
    postal_code = models.CharField("code postal", max_length=5)
    city = models.CharField("commune", max_length=100)
    night_phone = models.CharField(
        "téléphone la nuit et le week-end",
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text="L'astreinte du site : montrée aux jeunes hébergés dans leur espace, pour "
        "savoir qui appeler la nuit.",
    )
    min_age = models.PositiveSmallIntegerField("âge minimum", default=11)
    max_age = models.PositiveSmallIntegerField("âge maximum", default=17)
    accepted_sex = models.CharField(
        "public accueilli", max_length=3, choices=AcceptedSex.choices, default=AcceptedSex.ANY
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "site d'hébergement"
        verbose_name_plural = "sites d'hébergement"
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "name"], name="site_unique_name"),
            models.CheckConstraint(
                condition=Q(max_age__gte=models.F("min_age")),
                name="site_age_range",
                violation_error_message="L'âge maximum doit être au moins l'âge minimum.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def clean(self) -> None:
        """French messages for a member's declaration, in the pages and the administration
        alike (each member declares its own sites)."""
        errors: dict[str, str] = {}
        if (
            self.consortium_id
            and self.organisation_id
            and not self.consortium.members.filter(organisation_id=self.organisation_id).exists()
        ):
            errors["organisation"] = "Cette organisation n'est pas membre du groupement."
        if self.max_age is not None and self.max_age > MAX_HOSTED_AGE:
            errors["max_age"] = f"Un site accueille des jeunes de {MAX_HOSTED_AGE} ans au plus."
        if self.postal_code and not (self.postal_code.isdigit() and len(self.postal_code) == 5):
            errors["postal_code"] = "Le code postal compte cinq chiffres."
        if self.kind == SiteKind.OTHER_ESTABLISHMENT and not self.host_establishment.strip():
            errors["host_establishment"] = (
                "Indiquez l'établissement qui accueille ces places (CHRS, centre maternel…)."
            )
        if self.consortium_id and self.name:
            same_name = Site.objects.filter(
                consortium_id=self.consortium_id, name__iexact=self.name.strip()
            )
            if same_name.exclude(pk=self.pk).exists():
                errors["name"] = "Un site du groupement porte déjà ce nom."
        if errors:
            raise ValidationError(errors)

    def operator_on(self, day: datetime.date) -> Organisation:
        """The member hosting youths there on a day: the borrower during a loan."""
        loan = self.loans.active(day).select_related("borrower").first()
        return loan.borrower if loan else self.organisation


class Wave(TimeStamped):
    """Places decided by the funder at once (for instance 400 places, Nov 2018–May 2019)."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.PROTECT, related_name="waves"
    )
    name = models.CharField("intitulé", max_length=200)
    decided_on = models.DateField("décidée le")
    planned_places = models.PositiveIntegerField("places décidées")
    planned_start = models.DateField("ouvertures prévues du")
    planned_end = models.DateField("ouvertures prévues jusqu'au")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "vague de création de places"
        verbose_name_plural = "vagues de création de places"
        ordering = ["decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")),
                name="wave_planned_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """A wave creates places, planned from its decision on."""
        errors: dict[str, str] = {}
        if self.planned_places is not None and self.planned_places <= 0:
            errors["planned_places"] = "Une vague crée au moins une place."
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = "La fin des ouvertures prévues ne peut pas précéder leur début."
        if self.decided_on and self.planned_start and self.planned_start < self.decided_on:
            errors["planned_start"] = (
                "Les ouvertures ne peuvent pas être prévues avant la décision."
            )
        if errors:
            raise ValidationError(errors)


class CapacityChange(TimeStamped):
    """Places opened (positive) or closed (negative) at a site, planned then effective.

    The capacity of a site on a day is the sum of the changes opened on or before that day.
    """

    site = models.ForeignKey(
        Site, verbose_name="site", on_delete=models.PROTECT, related_name="capacity_changes"
    )
    wave = models.ForeignKey(
        Wave,
        verbose_name="vague",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    places = models.IntegerField("places (négatif pour une fermeture)")
    planned_on = models.DateField("date prévue")
    opened_on = models.DateField("date effective", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évolution de capacité"
        verbose_name_plural = "évolutions de capacité"
        ordering = ["planned_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(places=0), name="capacity_change_not_zero")
        ]

    def __str__(self) -> str:
        return f"{self.site.name} : {self.places:+d} places"


class DatedQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> DatedQuerySet:
        """Rows in force on a day; periods are half-open [start, end)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class SiteLoan(TimeStamped):
    """A member lends a site to another at short notice under a convention (a convention may
    be signed in two days, hosting from its signature)."""

    site = models.ForeignKey(
        Site, verbose_name="site", on_delete=models.PROTECT, related_name="loans"
    )
    borrower = models.ForeignKey(
        Organisation,
        verbose_name="membre accueillant",
        on_delete=models.PROTECT,
        related_name="borrowed_sites",
    )
    convention_reference = models.CharField("référence de la convention", max_length=100)
    signed_on = models.DateField("convention signée le")
    start_date = models.DateField("mise à disposition du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "mise à disposition d'un site"
        verbose_name_plural = "mises à disposition de sites"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="site_loan_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.site.name} → {self.borrower}"

    def clean(self) -> None:
        """The borrower is another member of the GME; loans of a site never overlap."""
        if not (self.site_id and self.borrower_id and self.start_date and self.signed_on):
            return
        errors: dict[str, str] = {}
        if self.borrower_id == self.site.organisation_id:
            errors["borrower"] = "Un membre ne se prête pas son propre site."
        elif not self.site.consortium.members.filter(organisation_id=self.borrower_id).exists():
            errors["borrower"] = "Le site ne peut être prêté qu'à un membre du groupement."
        if self.end_date is not None and self.end_date <= self.start_date:
            errors["end_date"] = "La fin de la mise à disposition doit suivre son début."
        if self.signed_on > self.start_date:
            errors["signed_on"] = "La convention doit être signée au plus tard le premier jour."
        overlapping = self.site.loans.exclude(pk=self.pk).exclude(end_date__lte=self.start_date)
        if self.end_date is not None:
            overlapping = overlapping.filter(start_date__lt=self.end_date)
        if overlapping.exists():
            errors["start_date"] = "Ce site est déjà mis à disposition sur cette période."
        if errors:
            raise ValidationError(errors)
