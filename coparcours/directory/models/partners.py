"""The partners' shared guides (with the library that carries a guide beyond its own
partnership), meetings and decisions: no personal data about young people."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from coparcours.core.models import TimeStamped
from coparcours.directory import rules
from coparcours.organisations import territories
from coparcours.organisations.models import Consortium, Organisation

# --- Shared guides of a partnership ("qui fait quoi", livret d'accueil, pas à pas) ----------


class GuideKind(models.TextChoices):
    WHO_DOES_WHAT = "who_does_what", "Charte « qui fait quoi »"
    WELCOME_BOOKLET = "welcome_booklet", "Livret d'accueil des jeunes"
    STEP_BY_STEP = "step_by_step", "Guide pas à pas"
    CONVENTION = "convention", "Convention"
    OTHER = "other", "Autre document"


class GuideReach(models.TextChoices):
    """Whom a guide reaches beyond its own partnership (docs/domain-rules.md, "The shared
    library"); every reach but the first needs a publisher designated by a funder."""

    PARTNERSHIP = "partnership", "Son groupement ou partenariat"
    PARTNERSHIPS = "partnerships", "Des partenariats choisis du territoire"
    TERRITORY = "territory", "Tous les partenariats du territoire"
    EVERYONE = "everyone", "Tous les utilisateurs de Coparcours"


class TerritoryLevel(models.TextChoices):
    DEPARTEMENT = "departement", "Département"
    REGION = "region", "Région"
    NATIONAL = "national", "Toute la France"


class Guide(TimeStamped):
    """A document or page shared by the members of a consortium or partnership.

    Its content lives in :class:`GuideVersion` rows: a new version never overwrites the
    previous one. ``review_reminded_for`` is the review date already reminded to the owner,
    so that the daily job reminds once per review date. ``reach`` carries it to other
    partnerships (``shared_with``), to a territory, or to every user, as its ``publisher``
    designation allowed.
    """

    consortium = models.ForeignKey(
        Consortium,
        verbose_name="groupement ou partenariat",
        on_delete=models.CASCADE,
        related_name="guides",
    )
    kind = models.CharField("type", max_length=20, choices=GuideKind.choices)
    title = models.CharField("titre", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        on_delete=models.PROTECT,
        related_name="owned_guides",
    )
    review_on = models.DateField("à relire le")
    review_reminded_for = models.DateField(
        "relance envoyée pour la relecture du", null=True, blank=True, editable=False
    )
    search_text = models.TextField(editable=False, default="")
    reach = models.CharField(
        "diffusion", max_length=15, choices=GuideReach.choices, default=GuideReach.PARTNERSHIP
    )
    shared_with = models.ManyToManyField(
        Consortium,
        verbose_name="partenariats destinataires",
        blank=True,
        related_name="library_guides",
    )
    territory_level = models.CharField(
        "niveau du territoire", max_length=12, choices=TerritoryLevel.choices, blank=True
    )
    territory_code = models.CharField("code du territoire", max_length=3, blank=True)
    publisher = models.ForeignKey(
        "LibraryPublisher",
        verbose_name="désignation de l'éditeur",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="guides",
    )

    class Meta:
        verbose_name = "document partagé"
        verbose_name_plural = "documents partagés"
        ordering = ["consortium__name", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "title"],
                name="guide_title_unique",
                violation_error_message="Ce partenariat a déjà un document de ce titre.",
            )
        ]
        indexes = [models.Index(fields=["review_on"]), models.Index(fields=["reach"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = rules.normalise(self.title)
        super().save(*args, **kwargs)


class LibraryPublisher(TimeStamped):
    """An organisation a funder designates to publish guides beyond its own partnership, in
    the funder's territory: its Département, or its région for a DREETS. A national
    designation (every user) is made by the administration. Ending it stops new
    publications; the guides already published keep their reach."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation désignée",
        on_delete=models.PROTECT,
        related_name="library_designations",
    )
    level = models.CharField("territoire", max_length=12, choices=TerritoryLevel.choices)
    territory_code = models.CharField("code du territoire", max_length=3, blank=True)
    designated_by = models.ForeignKey(
        Organisation,
        verbose_name="désignée par",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    designated_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_on = models.DateField("depuis le")
    ended_on = models.DateField("jusqu'au", null=True, blank=True)

    class Meta:
        verbose_name = "éditeur de la bibliothèque partagée"
        verbose_name_plural = "éditeurs de la bibliothèque partagée"
        ordering = ["level", "territory_code", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "level", "territory_code"],
                condition=Q(ended_on__isnull=True),
                name="library_publisher_once",
                violation_error_message="Cette organisation est déjà éditrice de ce territoire.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_level_display()} {self.territory_code})".strip()

    def clean(self) -> None:
        known = {
            TerritoryLevel.DEPARTEMENT: territories.DEPARTEMENT_NAMES,
            TerritoryLevel.REGION: territories.REGIONS,
            TerritoryLevel.NATIONAL: {"": None},
        }.get(self.level, {})
        if self.territory_code not in known:
            raise ValidationError(
                {"territory_code": "Code INSEE du département ou de la région (vide : national)."}
            )
        if self.ended_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": "La fin précède le début."})


class PlacementChoice(models.TextChoices):
    PINNED = "pinned", "Épinglé"
    HIDDEN = "hidden", "Masqué"


class GuidePlacement(TimeStamped):
    """A partnership pins a guide at the top of its library, or hides one that reached it
    from elsewhere (it stays readable by its link)."""

    consortium = models.ForeignKey(
        Consortium, verbose_name="partenariat", on_delete=models.CASCADE, related_name="+"
    )
    guide = models.ForeignKey(
        Guide, verbose_name="document", on_delete=models.CASCADE, related_name="placements"
    )
    choice = models.CharField("choix", max_length=10, choices=PlacementChoice.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "document épinglé ou masqué"
        verbose_name_plural = "documents épinglés ou masqués"
        constraints = [
            models.UniqueConstraint(fields=["consortium", "guide"], name="guide_placement_once")
        ]

    def __str__(self) -> str:
        return f"{self.guide} — {self.get_choice_display()} ({self.consortium})"


def guide_file_path(instance: GuideVersion, filename: str) -> str:
    """Stored under an opaque name, outside any public URL (served by an access-checked view)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"guides/{instance.guide_id}/{uuid.uuid4().hex}{suffix}"


class GuideVersion(models.Model):
    """One version of a guide: a page (text) or a file, or both. Never changed once saved."""

    guide = models.ForeignKey(
        Guide, verbose_name="document", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("version")
    body = models.TextField("texte de la page", blank=True)
    file = models.FileField("fichier", upload_to=guide_file_path, blank=True)
    original_name = models.CharField("nom d'origine", max_length=255, blank=True)
    content_type = models.CharField("type", max_length=100, blank=True)
    size = models.PositiveIntegerField("taille (octets)", default=0)
    change_note = models.CharField("changements", max_length=300)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur·rice",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("publiée le", auto_now_add=True)

    class Meta:
        verbose_name = "version d'un document partagé"
        verbose_name_plural = "versions des documents partagés"
        ordering = ["guide", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="guide_version_unique"),
            models.CheckConstraint(
                condition=~Q(body="") | ~Q(file=""), name="guide_version_has_content"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide} — version {self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Une version publiée ne se modifie pas : publiez-en une nouvelle.")
        super().save(*args, **kwargs)


# --- Partner meetings (copil, comités, réunions trimestrielles des porteurs) ----------------


class MeetingKind(models.TextChoices):
    COPIL = "copil", "Comité de pilotage (copil)"
    WEEKLY = "weekly", "Comité hebdomadaire"
    QUARTERLY = "quarterly", "Réunion trimestrielle des porteurs"
    MONTHLY_COMMISSION = "commission", "Commission mensuelle"
    OTHER = "other", "Autre réunion de partenaires"


class Meeting(TimeStamped):
    """A meeting of the partners of one or several consortia (several porteurs at once).

    Its records (agenda, minutes, decisions) are read by every party of those consortia:
    they must not hold personal data about young people (said on every form).
    ``sequence`` grows at each change so that calendars update the invitation (RFC 5545).
    """

    kind = models.CharField("type", max_length=10, choices=MeetingKind.choices)
    title = models.CharField("intitulé", max_length=200)
    consortia = models.ManyToManyField(
        Consortium, verbose_name="groupements ou partenariats", related_name="meetings"
    )
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    location = models.CharField("lieu ou lien de visioconférence", max_length=300, blank=True)
    agenda = models.TextField("ordre du jour")
    minutes = models.TextField("compte rendu", blank=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="organisé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organiser_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation organisatrice",
        on_delete=models.PROTECT,
        related_name="+",
    )
    uid = models.UUIDField("identifiant de l'invitation", default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField("révision de l'invitation", default=0)
    invitations_sent_at = models.DateTimeField("invitations envoyées le", null=True, blank=True)

    class Meta:
        verbose_name = "réunion de partenaires"
        verbose_name_plural = "réunions de partenaires"
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message="La fin doit être postérieure au début.",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", "Invité·e"
    PRESENT = "present", "Présent·e"
    EXCUSED = "excused", "Excusé·e"
    ABSENT = "absent", "Absent·e"


class Attendance(models.Model):
    """A person invited to a meeting, then present, excused or absent."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="attendances"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="personne",
        on_delete=models.CASCADE,
        related_name="meeting_attendances",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "présence", max_length=10, choices=AttendanceStatus.choices, default="invited"
    )

    class Meta:
        verbose_name = "participant·e"
        ordering = ["organisation__name", "user__last_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="attendance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"


class DecisionStatus(models.TextChoices):
    OPEN = "open", "À faire"
    DONE = "done", "Faite"


class Decision(TimeStamped):
    """A decision taken in a meeting, with the person who carries it and its due date."""

    meeting = models.ForeignKey(
        Meeting, verbose_name="réunion", on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField("décision")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="porté par",
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
    )
    due_on = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    done_on = models.DateField("faite le", null=True, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = "décision"
        ordering = ["-meeting__starts_at", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.search_text = rules.normalise(self.text)
        super().save(*args, **kwargs)
