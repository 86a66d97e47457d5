"""Placement requests of the funder's ASE service, and the places the coordination
proposes for them at a member's site."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.core.models import TimeStamped
from coparcours.housing.models.sites import Site
from coparcours.organisations.models import Consortium, Organisation
from coparcours.organisations.todo import Tone
from coparcours.youths.models import Youth
from coparcours.youths.models.records import Sex


class Urgency(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiate (mise à l'abri)"
    HIGH = "high", "Urgente (sous 72 heures)"
    NORMAL = "normal", "Programmée"


#: Waiting-list order: the most urgent first.
URGENCY_RANK = {Urgency.IMMEDIATE: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}
#: The urgency's badge (docs/conventions.md, "Badges"): a shelter at once is late already,
#: 72 hours is urgent, a planned entry a plain fact.
URGENCY_TONE = {Urgency.IMMEDIATE: Tone.LATE, Urgency.HIGH: Tone.URGENT}


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

    @property
    def urgency_tone(self) -> str:
        return URGENCY_TONE.get(self.urgency, Tone.INFO)


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
