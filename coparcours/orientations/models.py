"""A partnership's public orientation page and the orientations partners send through it.

An orientation names a youth who is not yet anyone's record: it is kept apart from the
youth's data (no ``YouthData``), read only by the holders of ``orientations`` in its
partnership (docs/access.md), and deleted once its retention period is over
(docs/domain-rules.md, "Orientations from partners")."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium

USER = settings.AUTH_USER_MODEL


def new_page_token() -> str:
    """The page's address part: 32 random bytes, never guessed nor enumerated."""
    return secrets.token_urlsafe(32)


def new_reference() -> str:
    """The reference the partner keeps: 10 characters without look-alikes."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "OR-" + "".join(secrets.choice(alphabet) for _ in range(10))


class OrientationPage(TimeStamped):
    """The public page « Orienter un jeune » of one partnership (CEJ-JR or GME)."""

    consortium = models.OneToOneField(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.CASCADE,
        related_name="orientation_page",
    )
    token = models.CharField("adresse secrète", max_length=64, unique=True, default=new_page_token)
    is_open = models.BooleanField("page ouverte", default=False)
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "page publique d'orientation"
        verbose_name_plural = "pages publiques d'orientation"

    def __str__(self) -> str:
        return f"Orienter un jeune — {self.consortium}"


class AgreementMethod(models.TextChoices):
    IN_PERSON = "in_person", "Oralement, en ma présence"
    PHONE = "phone", "Oralement, par téléphone"
    WRITTEN = "written", "Par écrit (message, courriel, courrier)"
    SIGNED = "signed", "Par un document signé"


class OrientationStatus(models.TextChoices):
    RECEIVED = "received", "Reçue, à traiter"
    TO_CONTACT = "to_contact", "Acceptée : jeune à contacter"
    CONTACTED = "contacted", "Jeune contacté"
    OPENED = "opened", "Parcours ouvert"
    NOT_OPENED = "not_opened", "Parcours non ouvert"
    UNREACHABLE = "unreachable", "Jeune injoignable"


#: The states after which nothing more happens (the partner has had its last answer).
CLOSED = (OrientationStatus.OPENED, OrientationStatus.NOT_OPENED, OrientationStatus.UNREACHABLE)
#: The states still waiting for the porteur or the coordination.
WAITING = (OrientationStatus.RECEIVED, OrientationStatus.TO_CONTACT, OrientationStatus.CONTACTED)


class Orientation(TimeStamped):
    """A youth oriented by a partner through the public page, with the youth's agreement."""

    consortium = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.CASCADE,
        related_name="orientations",
    )
    reference = models.CharField("référence", max_length=16, unique=True, default=new_reference)
    # Who orients
    partner_structure = models.CharField("structure", max_length=200)
    partner_name = models.CharField("personne", max_length=200)
    partner_email = models.EmailField("courriel")
    partner_phone = models.CharField("téléphone", max_length=30, blank=True)
    # What the partner knows of the youth
    youth_first_names = models.CharField("prénoms", max_length=200)
    youth_last_name = models.CharField("nom", max_length=150, blank=True)
    youth_birth_date = models.DateField("date de naissance", null=True, blank=True)
    youth_age = models.PositiveSmallIntegerField("âge", null=True, blank=True)
    youth_commune = models.CharField("commune", max_length=200)
    youth_contact = models.CharField("comment joindre le jeune", max_length=300)
    situation = models.TextField("ce que le partenaire sait de sa situation", max_length=3000)
    agreement_method = models.CharField(
        "accord du jeune recueilli", max_length=20, choices=AgreementMethod.choices
    )
    # What became of it
    status = models.CharField(
        "état", max_length=20, choices=OrientationStatus.choices, default=OrientationStatus.RECEIVED
    )
    status_since = models.DateField("depuis le")
    handled_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pathway = models.ForeignKey(
        "cej.Pathway",
        verbose_name="parcours CEJ-JR",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    #: SHA-256 of the form's token: a token is accepted once (replay refused).
    token_digest = models.CharField(max_length=64, unique=True, editable=False)

    history = HistoricalRecords(excluded_fields=["token_digest"])

    class Meta:
        verbose_name = "orientation d'un partenaire"
        verbose_name_plural = "orientations des partenaires"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["consortium", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def waiting(self) -> bool:
        return self.status in WAITING
