"""GME housing: sites and their capacity in waves, placement requests, stays, transfers,
loans of a site between members, turning 18 (docs/domain-rules.md, "GME: housing
unaccompanied minors").

A stay is a youth's housing data: it carries ``youth``, ``category`` (housing) and
``author_organisation`` (the hosting member) so the access policy can decide who sees it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models import Assignment, Sex, Youth


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


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiate (mise à l'abri)"
    HIGH = "high", "Urgente (sous 72 heures)"
    NORMAL = "normal", "Programmée"


#: Waiting-list order: the most urgent first.
URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}


class RequestStatus(models.TextChoices):
    RECEIVED = "received", "Reçue par la coordination"
    WAITING = "waiting", "En liste d'attente"
    PROPOSED = "proposed", "Place proposée à un membre"
    ACCEPTED = "accepted", "Place acceptée"
    ADMITTED = "admitted", "Jeune accueilli·e"
    CANCELLED = "cancelled", "Annulée"


OPEN_REQUEST_STATUSES = [
    RequestStatus.RECEIVED,
    RequestStatus.WAITING,
    RequestStatus.PROPOSED,
    RequestStatus.ACCEPTED,
]


class PlacementRequest(TimeStamped):
    """A placement request of the funder's ASE service; it reaches the coordination only."""

    consortium = models.ForeignKey(
        Consortium,
        verbose_name="groupement",
        on_delete=models.PROTECT,
        related_name="placement_requests",
    )
    funder = models.ForeignKey(
        Organisation,
        verbose_name="service demandeur",
        on_delete=models.PROTECT,
        related_name="placement_requests",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reference = models.CharField(
        "référence ASE",
        max_length=100,
        help_text="Référence du dossier ASE ou pseudonyme, sans donnée de santé.",
    )
    last_name = models.CharField("nom", max_length=150, blank=True)
    first_names = models.CharField("prénoms", max_length=200, blank=True)
    birth_date = models.DateField("date de naissance (déclarée)", null=True, blank=True)
    age = models.PositiveSmallIntegerField("âge déclaré", null=True, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    needs = models.TextField("besoins", blank=True)
    urgency = models.CharField("urgence", max_length=10, choices=Urgency.choices)
    urgency_rank = models.PositiveSmallIntegerField(editable=False, default=2)
    requested_date = models.DateField("date d'accueil souhaitée")
    status = models.CharField(
        "état", max_length=10, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    youth = models.ForeignKey(
        Youth,
        verbose_name="jeune",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placement_requests",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "demande de placement"
        verbose_name_plural = "demandes de placement"
        ordering = ["urgency_rank", "requested_date", "pk"]
        indexes = [models.Index(fields=["consortium", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_date__isnull=False) | Q(age__isnull=False),
                name="placement_request_age_known",
                violation_error_message="Indiquez la date de naissance ou l'âge déclaré.",
            )
        ]

    def __str__(self) -> str:
        return f"Demande {self.reference}"

    def save(self, *args, **kwargs):
        self.urgency_rank = URGENCY_RANK.get(self.urgency, 2)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_REQUEST_STATUSES


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "En attente de réponse du membre"
    ACCEPTED = "accepted", "Acceptée"
    DECLINED = "declined", "Refusée"
    ADMITTED = "admitted", "Admission faite"
    WITHDRAWN = "withdrawn", "Retirée"


class Proposal(TimeStamped):
    """The coordination proposes a place at a member's site; the member answers."""

    request = models.ForeignKey(
        PlacementRequest,
        verbose_name="demande",
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    site = models.ForeignKey(
        Site, verbose_name="site", on_delete=models.PROTECT, related_name="proposals"
    )
    entry_date = models.DateField("date d'entrée prévue")
    status = models.CharField(
        "réponse", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.PENDING
    )
    decline_reason = models.TextField("motif du refus", blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("répondu le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "proposition de place"
        verbose_name_plural = "propositions de place"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.site} pour {self.request}"


class ExitReason(models.TextChoices):
    MAJORITY = "majority", "Majorité"
    FAMILY = "family", "Retour en famille"
    OTHER_DEPARTEMENT = "other_departement", "Réorientation vers un autre département"
    RUN_AWAY = "run_away", "Fugue, départ volontaire"
    TRANSFER = "transfer", "Réorientation au sein du groupement"
    OTHER = "other", "Autre"


class Stay(TimeStamped):
    """A youth's time at a site, [start_date, end_date). Housing data of the hosting member."""

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


class MajorityDecision(models.TextChoices):
    EXIT = "exit", "Sortie à la majorité"
    FOLLOW_UP = "follow_up", "Suivi majeur"
    YOUNG_ADULT_CONTRACT = "young_adult_contract", "Contrat jeune majeur"


class AfterEighteen(TimeStamped):
    """The decision taken for a hosted youth turning 18 (CASF L.222-5, L.222-5-1)."""

    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="after_18"
    )
    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="after_18"
    )
    category = models.CharField(
        "catégorie", max_length=30, default=Category.HOUSING, editable=False
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField("décision", max_length=25, choices=MajorityDecision.choices)
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    funder_agreement_on = models.DateField("accord du Département le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision à la majorité"
        verbose_name_plural = "décisions à la majorité"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="after_18_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.get_decision_display()


class ReminderKind(models.TextChoices):
    PREPARATION_INTERVIEW = "interview", "Entretien de préparation à la sortie"
    COORDINATOR_ALERT = "alert", "Alerte à la coordination avant la majorité"


class MajorityReminder(TimeStamped):
    """A reminder raised by the daily job before a hosted youth turns 18."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="majority_reminders"
    )
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("rappel", max_length=10, choices=ReminderKind.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name="destinataire", on_delete=models.PROTECT, related_name="+"
    )
    majority_date = models.DateField("majorité le")

    class Meta:
        verbose_name = "rappel de majorité"
        verbose_name_plural = "rappels de majorité"
        ordering = ["majority_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "kind", "majority_date"], name="majority_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.majority_date:%d/%m/%Y})"
