"""The partnership's programme: collective sessions with places and the youths their
referents register, and the mission locale's permanences at the porteur, cut into slots a
referent books for a youth (docs/domain-rules.md, "CEJ-JR: collective sessions and
permanences").

A session and a permanence hold no personal data: every member of the partnership reads
them, and the programme is published as an ICS feed. A registration and a booking name a
youth: they are education and employment data of the organisation that recorded them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.cej.models.hours import Activity
from coparcours.cej.models.pathway import Pathway
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", "Atelier"
    INFORMATION = "information", "Information collective"
    STAFF_TRAINING = "staff_training", "Formation des professionnels"


class CollectiveSession(TimeStamped):
    """A collective session of the partnership's programme, with a number of places. A
    training for professionals takes no youth's registration."""

    partnership = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.PROTECT,
        related_name="cej_sessions",
    )
    kind = models.CharField("type", max_length=20, choices=SessionKind.choices)
    title = models.CharField("intitulé", max_length=200)
    organiser = models.ForeignKey(
        Organisation,
        verbose_name="organisée par",
        on_delete=models.PROTECT,
        related_name="+",
    )
    organiser_partner = models.CharField(
        "structure partenaire qui anime",
        max_length=200,
        blank=True,
        help_text="Si une structure partenaire anime la séance (sans donnée personnelle).",
    )
    place = models.CharField("lieu", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    capacity = models.PositiveSmallIntegerField("places")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancellation_reason = models.CharField(
        "motif de l'annulation",
        max_length=300,
        blank=True,
        help_text="Lu par tous les membres du partenariat et dans l'agenda publié : sans nom "
        "de jeune.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "séance collective"
        verbose_name_plural = "séances collectives"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["partnership", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="cej_session_ends_after_start",
                violation_error_message="La fin de la séance doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1),
                name="cej_session_one_place_or_more",
                violation_error_message="Une séance compte au moins une place.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def for_youths(self) -> bool:
        return self.kind != SessionKind.STAFF_TRAINING

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at) / datetime.timedelta(minutes=1))


class SessionRegistration(YouthData):
    """A youth registered to a session by their referent. The registration plans an
    activity of the pathway, so that the attendance recorded after the session enters the
    weekly hours through the activity (``hours``), never through a count of its own."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    session = models.ForeignKey(
        CollectiveSession, on_delete=models.PROTECT, related_name="registrations"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    activity = models.OneToOneField(Activity, on_delete=models.CASCADE, related_name="+")
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "inscription à une séance"
        verbose_name_plural = "inscriptions aux séances"
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "pathway"], name="cej_session_registered_once"
            )
        ]

    def __str__(self) -> str:
        return f"Inscription à « {self.session} »"


class Permanence(TimeStamped):
    """A counsellor of the mission locale present at the porteur for a half-day, cut into
    slots of the same length."""

    partnership = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.PROTECT,
        related_name="cej_permanences",
    )
    mission_locale = models.ForeignKey(
        Organisation, verbose_name="mission locale", on_delete=models.PROTECT, related_name="+"
    )
    counsellor = models.ForeignKey(
        USER, verbose_name="conseiller·ère présent·e", on_delete=models.PROTECT, related_name="+"
    )
    place = models.CharField("lieu", max_length=200)
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    slot_minutes = models.PositiveSmallIntegerField("durée d'un créneau (minutes)")
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "permanence"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["partnership", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="cej_permanence_ends_after_start",
                violation_error_message="La fin de la permanence doit suivre son début.",
            ),
            models.CheckConstraint(
                condition=Q(slot_minutes__gte=10) & Q(slot_minutes__lte=240),
                name="cej_permanence_slot_10_240",
                violation_error_message="Un créneau dure entre 10 minutes et 4 heures.",
            ),
        ]

    def __str__(self) -> str:
        return f"Permanence du {timezone.localtime(self.starts_at):%d/%m/%Y}"


class PermanenceSlot(models.Model):
    """One slot of a permanence."""

    permanence = models.ForeignKey(Permanence, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")

    class Meta:
        verbose_name = "créneau de permanence"
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["permanence", "starts_at"], name="cej_permanence_slot_once"
            )
        ]

    def __str__(self) -> str:
        return f"Créneau de {timezone.localtime(self.starts_at):%H:%M}"


class SlotBooking(YouthData):
    """A slot booked for a youth by their referent; a slot holds one booking in force at a
    time (the unique constraint refuses the second, even at the same instant)."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    slot = models.ForeignKey(PermanenceSlot, on_delete=models.CASCADE, related_name="bookings")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="+")
    booked_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réservation d'un créneau"
        verbose_name_plural = "réservations de créneaux"
        ordering = ["slot", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(cancelled_at__isnull=True),
                name="cej_slot_booked_once",
                violation_error_message="Ce créneau est déjà réservé.",
            )
        ]

    def __str__(self) -> str:
        return f"Réservation du {self.slot}"


class ProgrammeFeed(TimeStamped):
    """The programme's ICS feed, by a secret address (stored hashed): sessions and
    permanences, without any youth's name. Read while its creator still belongs to a member
    of the partnership."""

    partnership = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "agenda ICS du programme"
        verbose_name_plural = "agendas ICS du programme"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Agenda du programme de {self.partnership}"
