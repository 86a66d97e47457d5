"""The pathway opened at outreach, its stage moves and the CEJ contract's extensions."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.cej.rules import Stage
from coparcours.core.access import Category
from coparcours.organisations.models import Consortium, Organisation
from coparcours.youths.models.youth_data import YouthData

USER = settings.AUTH_USER_MODEL


class OutreachMethod(models.TextChoices):
    STREET = "street", "Maraude, aller-vers"
    PARTNER = "partner", "Orientation par un partenaire"
    WALK_IN = "walk_in", "Venue spontanée, accueil de jour"
    PEER = "peer", "Par un pair, le bouche-à-oreille"
    ONLINE = "online", "Réseaux sociaux, en ligne"
    OTHER = "other", "Autre"


class Registration(models.TextChoices):
    NEVER = "never", "Jamais inscrit·e"
    REGISTERED = "registered", "Inscrit·e"


class ExitOutcome(models.TextChoices):
    JOB = "job", "Emploi"
    TRAINING = "training", "Formation"
    OTHER_SCHEME = "other_scheme", "Autre dispositif"
    DROPPED_OUT = "dropped_out", "Abandon"
    MOVED = "moved", "Déménagement"
    OTHER = "other", "Autre"


class PathwayQuerySet(models.QuerySet):
    def open(self) -> PathwayQuerySet:
        return self.exclude(stage=Stage.EXIT)


class Pathway(YouthData):
    """A youth's CEJ-JR pathway, opened at outreach (stage identified)."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    partnership = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.PROTECT,
        related_name="cej_pathways",
    )
    mission_locale = models.ForeignKey(
        Organisation, verbose_name="mission locale", on_delete=models.PROTECT, related_name="+"
    )
    referent = models.ForeignKey(
        USER,
        verbose_name="référent·e",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    identified_on = models.DateField("repéré·e le")
    spotted_where = models.CharField("lieu du repérage", max_length=200)
    spotted_by = models.CharField("partenaire du repérage", max_length=200)
    spotted_how = models.CharField(
        "mode de repérage", max_length=20, choices=OutreachMethod.choices
    )
    registration = models.CharField(
        "inscription à la mission locale", max_length=20, choices=Registration.choices
    )
    registered_on = models.DateField("inscrit·e le", null=True, blank=True)
    stage = models.CharField(
        "étape", max_length=20, choices=Stage.choices, default=Stage.IDENTIFIED
    )
    stage_since = models.DateField("à cette étape depuis")
    pre_cej_until = models.DateField("pré CEJ-JR jusqu'au", null=True, blank=True)
    veille_reached_on = models.DateField(
        "date de veille atteinte (signalée le)", null=True, blank=True
    )
    contract_start = models.DateField("début du contrat CEJ", null=True, blank=True)
    contract_months = models.PositiveSmallIntegerField("durée prévue (mois)", null=True, blank=True)
    monthly_allowance = models.DecimalField(
        "allocation mensuelle", max_digits=7, decimal_places=2, null=True, blank=True
    )
    allowance_reason = models.CharField("calcul de l'allocation", max_length=300, blank=True)
    exit_on = models.DateField("sortie le", null=True, blank=True)
    exit_outcome = models.CharField("issue", max_length=20, choices=ExitOutcome.choices, blank=True)
    counsellor = models.ForeignKey(
        USER,
        verbose_name="conseiller·ère de la mission locale",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    data_erased_on = models.DateField(
        "données CEJ effacées le (durée de conservation échue)", null=True, blank=True
    )

    history = HistoricalRecords()
    objects = PathwayQuerySet.as_manager()

    class Meta:
        verbose_name = "parcours CEJ-JR"
        verbose_name_plural = "parcours CEJ-JR"
        ordering = ["-identified_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=~Q(stage="exit"),
                name="cej_single_open_pathway",
                violation_error_message="Ce jeune a déjà un parcours CEJ-JR en cours.",
            )
        ]

    def __str__(self) -> str:
        return f"Parcours CEJ-JR de {self.youth}"

    @property
    def total_contract_months(self) -> int:
        return (self.contract_months or 0) + sum(e.months for e in self.extensions.all())


class StageChange(YouthData):
    """A dated move between stages: by whom, from which committee decision."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField("de", max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField("vers", max_length=20, choices=Stage.choices)
    on = models.DateField("le")
    by = models.ForeignKey(
        USER, verbose_name="par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.ForeignKey(
        "CommitteeDecision",
        verbose_name="décision du comité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stage_changes",
    )
    comment = models.CharField("commentaire", max_length=300, blank=True)

    class Meta:
        verbose_name = "changement d'étape"
        verbose_name_plural = "changements d'étape"
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_to_stage_display()} le {self.on:%d/%m/%Y}"


class ContractExtension(YouthData):
    """An exceptional extension of the CEJ, with its justified reason (R.5131-16 II)."""

    CATEGORY = Category.EDUCATION_EMPLOYMENT

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(
        "prolongation (mois)", validators=[MinValueValidator(1)]
    )
    reason = models.TextField("motif")
    decided_on = models.DateField("décidée le")

    class Meta:
        verbose_name = "prolongation du contrat"
        ordering = ["decided_on", "pk"]
