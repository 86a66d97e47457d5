"""The minors' road to 18 beside the decision at majority (``majority``): the schooling of
a hosted minor, the preparation of the residence-permit application (CESEDA, dated rule
data: the routes and the pieces of the file) and the preparation interview (CASF
L.222-5-1). docs/domain-rules.md, "The road to 18"."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.access import Category
from coparcours.housing.models.stays import Stay
from coparcours.youths.models import Youth
from coparcours.youths.models.youth_data import YouthData


class SchoolingKind(models.TextChoices):
    COLLEGE = "college", "Collège"
    LYCEE_GENERAL = "lycee_general", "Lycée général ou technologique"
    LYCEE_PRO = "lycee_pro", "Lycée professionnel (bac pro)"
    CAP = "cap", "CAP"
    APPRENTICESHIP = "apprenticeship", "Apprentissage (CFA)"
    UPE2A = "upe2a", "UPE2A / français langue étrangère"
    TRAINING = "training", "Formation (organisme de formation)"


class Attendance(models.TextChoices):
    REGULAR = "regular", "Régulière"
    IRREGULAR = "irregular", "Irrégulière"
    DROPPED_OUT = "dropped_out", "Décrochage"


class Schooling(YouthData):
    """A period of schooling or training of a hosted youth, half-open ``[start, end)``."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="schoolings"
    )
    establishment = models.CharField("établissement", max_length=200)
    kind = models.CharField("type", max_length=20, choices=SchoolingKind.choices)
    level = models.CharField("classe ou niveau", max_length=100)
    start_date = models.DateField("depuis le")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    attendance = models.CharField("assiduité", max_length=12, choices=Attendance.choices)
    attendance_on = models.DateField("assiduité constatée le")
    employer = models.CharField("employeur (apprentissage)", max_length=200, blank=True)
    contract_start = models.DateField("contrat d'apprentissage du", null=True, blank=True)
    contract_end = models.DateField("contrat jusqu'au (exclu)", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "scolarité ou formation"
        verbose_name_plural = "scolarités et formations"
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="schooling_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(contract_end__isnull=True)
                | Q(contract_start__isnull=False, contract_end__gt=models.F("contract_start")),
                name="schooling_contract_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.establishment}"

    def running(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


class PermitRouteCode(models.TextChoices):
    PRIVATE_FAMILY_LIFE = "vpf", "Carte « vie privée et familiale » de plein droit"
    EXCEPTIONAL_WORKER = (
        "salarie",
        "Admission exceptionnelle « salarié » ou « travailleur temporaire »",
    )


class PermitRoute(models.Model):
    """A dated rule of the CESEDA: which permit a youth entrusted to the ASE by a given
    birthday may apply for, and until when (docs/domain-rules.md, "The road to 18")."""

    valid_from = models.DateField("en vigueur à partir du")
    code = models.CharField("voie", max_length=10, choices=PermitRouteCode.choices)
    article = models.CharField("article du CESEDA", max_length=50)
    entrusted_by_birthday = models.PositiveSmallIntegerField(
        "confié à l'ASE au plus tard le jour de ses … ans"
    )
    conditions = models.TextField("conditions")
    opens_days_before = models.PositiveSmallIntegerField(
        "préparation ouverte (jours avant les 18 ans)", default=60
    )
    deadline_months = models.PositiveSmallIntegerField("dépôt au plus tard (mois après 18 ans)")
    deadline_on_eve = models.BooleanField(
        "la veille de cette date", default=False, help_text="R.431-5 2° : la veille des 19 ans."
    )
    deadline_article = models.CharField("article du délai", max_length=50)
    reminder_days_before_deadline = models.PositiveSmallIntegerField(
        "rappel avant la date limite (jours)", default=30
    )
    source = models.CharField("texte de référence", max_length=300)

    class Meta:
        verbose_name = "voie d'accès au séjour à 18 ans"
        verbose_name_plural = "voies d'accès au séjour à 18 ans"
        ordering = ["entrusted_by_birthday", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "valid_from"], name="permit_route_dated_once")
        ]

    def __str__(self) -> str:
        return f"{self.article} — {self.get_code_display()}"


class PermitPieceKind(models.Model):
    """A piece of the residence-permit file, dated rule data (empty route: every route)."""

    valid_from = models.DateField("en vigueur à partir du")
    valid_until = models.DateField("jusqu'au (exclu)", null=True, blank=True)
    route = models.CharField("voie", max_length=10, choices=PermitRouteCode.choices, blank=True)
    label = models.CharField("pièce", max_length=200)
    source = models.CharField("texte de référence", max_length=300)
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "pièce du dossier de titre de séjour"
        verbose_name_plural = "pièces du dossier de titre de séjour"
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.label


class PermitPreparation(YouthData):
    """The preparation of a hosted minor's residence-permit application, from the date the
    youth was entrusted to the ASE (which decides the route)."""

    CATEGORY = Category.ADMIN_DOCUMENTS

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="permit_preparations"
    )
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="permit_preparations"
    )
    entrusted_on = models.DateField("confié·e à l'ASE le")
    route = models.CharField("voie", max_length=10, choices=PermitRouteCode.choices)
    filed_on = models.DateField("demande déposée le", null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "préparation du titre de séjour"
        verbose_name_plural = "préparations du titre de séjour"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["youth"], name="permit_preparation_once")]

    def __str__(self) -> str:
        return f"Titre de séjour — {self.get_route_display()}"


class PermitPiece(models.Model):
    """A piece of the file the referent checked off (a row per piece gathered)."""

    preparation = models.ForeignKey(
        PermitPreparation, on_delete=models.CASCADE, related_name="pieces"
    )
    kind = models.ForeignKey(PermitPieceKind, on_delete=models.PROTECT, related_name="+")
    gathered_on = models.DateField("réunie le", default=timezone.localdate)
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce réunie"
        verbose_name_plural = "pièces réunies"
        constraints = [
            models.UniqueConstraint(fields=["preparation", "kind"], name="permit_piece_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.gathered_on:%d/%m/%Y})"


class PreparationInterview(YouthData):
    """The interview preparing the exit from care, a year before majority (CASF
    L.222-5-1): when, with whom, what came out of it."""

    CATEGORY = Category.HOUSING

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="exit_interviews"
    )
    stay = models.ForeignKey(
        Stay, verbose_name="séjour", on_delete=models.PROTECT, related_name="exit_interviews"
    )
    held_on = models.DateField("tenu le")
    participants = models.CharField("avec", max_length=300)
    outcome = models.TextField("ce qui en ressort")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "entretien de préparation à la majorité"
        verbose_name_plural = "entretiens de préparation à la majorité"
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Entretien du {self.held_on:%d/%m/%Y}"
