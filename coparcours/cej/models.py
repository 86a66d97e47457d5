"""The CEJ-JR pathway: partnership settings, outreach, contacts, eligibility, committee,
stages, administrative file and allowances (circulaire 2022/117; docs/domain-rules.md,
"CEJ-JR: young people in rupture").

Every piece of a youth's data carries ``youth``, ``category`` and ``author_organisation`` so
the access policy (``coparcours.core.access``) decides who sees it. Figures set by
regulation (veille duration, contract durations, allowance amounts, sanction scales) are
dated rows editable in the admin, never constants.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from coparcours.cej import rules
from coparcours.cej.rules import Channel, Stage, Status
from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Consortium, Organisation
from coparcours.organisations.validators import validate_departement_code
from coparcours.youths.models import Document, Note, Youth

USER = settings.AUTH_USER_MODEL


class DatedSettingQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date):
        """The row in force on a day: the latest one started on or before it."""
        return self.filter(start_date__lte=day).order_by("-start_date").first()


# --- Dated settings (regulation) ------------------------------------------------------


class VeilleDuration(TimeStamped):
    """Months without substantial contact before the veille status (circulaire 2022/117)."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    months = models.PositiveSmallIntegerField(
        "durée (mois)", validators=[MinValueValidator(1), MaxValueValidator(24)]
    )
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "durée avant veille"
        verbose_name_plural = "durées avant veille"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.months} mois à partir du {self.start_date:%d/%m/%Y}"


class ContractDuration(TimeStamped):
    """CEJ contract durations (R.5131-16 II): planned length and extended maximum."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    planned_months = models.PositiveSmallIntegerField("durée maximale initiale (mois)")
    max_total_months = models.PositiveSmallIntegerField("durée maximale avec prolongation (mois)")
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "durée du contrat CEJ"
        verbose_name_plural = "durées du contrat CEJ"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"{self.planned_months} à {self.max_total_months} mois ({self.start_date:%d/%m/%Y})"


class AllowanceScale(TimeStamped):
    """Monthly CEJ allowance amounts (D.5131-19), revalued each 1 April."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    adult_non_taxable = models.DecimalField(
        "majeur, foyer non imposable", max_digits=7, decimal_places=2
    )
    adult_first_bracket = models.DecimalField(
        "majeur, foyer imposé première tranche", max_digits=7, decimal_places=2
    )
    minor = models.DecimalField("mineur", max_digits=7, decimal_places=2)
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "barème de l'allocation CEJ"
        verbose_name_plural = "barèmes de l'allocation CEJ"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Barème du {self.start_date:%d/%m/%Y}"

    def as_rule(self) -> rules.AllowanceAmounts:
        return rules.AllowanceAmounts(
            self.start_date, self.adult_non_taxable, self.adult_first_bracket, self.minor
        )


class SanctionEffect(models.TextChoices):
    REDUCTION = "reduction", "Réduction de l'allocation du mois"
    MONTH_WITHDRAWN = "month_withdrawn", "Suppression d'un mois d'allocation"
    END_OF_CONTRACT = "end_of_contract", "Suppression et fin du contrat"


class SanctionScale(TimeStamped):
    """A dated rule set for missed actions (R.5131-17/-18); a later decree starts a new one."""

    start_date = models.DateField("en vigueur à partir du", unique=True)
    source = models.CharField("texte de référence", max_length=300)

    objects = DatedSettingQuerySet.as_manager()

    class Meta:
        verbose_name = "barème des sanctions"
        verbose_name_plural = "barèmes des sanctions"
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return f"Sanctions à partir du {self.start_date:%d/%m/%Y}"


class SanctionStep(models.Model):
    scale = models.ForeignKey(SanctionScale, on_delete=models.CASCADE, related_name="steps")
    breach_number = models.PositiveSmallIntegerField("manquement n°")
    effect = models.CharField("effet", max_length=20, choices=SanctionEffect.choices)
    reduction_percent = models.PositiveSmallIntegerField(
        "réduction (%)", null=True, blank=True, validators=[MaxValueValidator(100)]
    )

    class Meta:
        verbose_name = "palier"
        ordering = ["breach_number"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "breach_number"], name="sanction_step_unique")
        ]

    def __str__(self) -> str:
        suffix = f" ({self.reduction_percent} %)" if self.reduction_percent else ""
        return f"{self.breach_number}ᵉ manquement : {self.get_effect_display()}{suffix}"


class DossierItemKind(TimeStamped):
    """A piece of the administrative file (circulaire DGEFP/MAJE/2022/45, annex 4: the list
    is not reproduced, it is configured here)."""

    label = models.CharField("pièce", max_length=200, unique=True)
    help_text = models.CharField("précision", max_length=300, blank=True)
    only_non_eu_adults = models.BooleanField(
        "seulement pour les majeurs non européens", default=False
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    active = models.BooleanField("demandée", default=True)

    class Meta:
        verbose_name = "pièce du dossier administratif"
        verbose_name_plural = "pièces du dossier administratif"
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


# --- Partnership settings -------------------------------------------------------------


class PartnershipSettings(TimeStamped):
    """Settings of a CEJ-JR partnership (porteur = lead member, one or more missions locales)."""

    partnership = models.OneToOneField(
        Consortium,
        verbose_name="partenariat CEJ-JR",
        on_delete=models.CASCADE,
        related_name="cej_settings",
        limit_choices_to={"kind": "cej_jr"},
    )
    departement_code = models.CharField(
        "département", max_length=3, validators=[validate_departement_code]
    )
    minimum_weekly_hours = models.PositiveSmallIntegerField(
        "heures d'activité hebdomadaires minimales",
        default=15,
        validators=[MinValueValidator(15), MaxValueValidator(20)],
        help_text="Entre 15 et 20 heures (CEJ).",
    )
    committee_weekday = models.PositiveSmallIntegerField(
        "jour du comité d'intégration",
        default=1,
        choices=[(0, "lundi"), (1, "mardi"), (2, "mercredi"), (3, "jeudi"), (4, "vendredi")],
    )

    class Meta:
        verbose_name = "paramètres du partenariat CEJ-JR"
        verbose_name_plural = "paramètres des partenariats CEJ-JR"
        constraints = [
            models.CheckConstraint(
                condition=Q(minimum_weekly_hours__gte=15) & Q(minimum_weekly_hours__lte=20),
                name="cej_weekly_hours_15_20",
                violation_error_message="Le minimum hebdomadaire est compris entre 15 et 20 h.",
            )
        ]

    def __str__(self) -> str:
        return f"Paramètres — {self.partnership}"


class FollowUpDetail(models.TextChoices):
    TOTALS = "totals", "Total des heures seulement"
    PER_ACTIVITY = "per_activity", "Détail de chaque activité"


class FollowUpPreference(TimeStamped):
    """What a mission locale expects in the Monday follow-up: missions locales differ (totals
    or each activity; the porteur's relay or a contact with the youth)."""

    settings = models.ForeignKey(
        PartnershipSettings, on_delete=models.CASCADE, related_name="follow_up_preferences"
    )
    mission_locale = models.ForeignKey(
        Organisation,
        verbose_name="mission locale",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "mission_locale"},
    )
    detail = models.CharField(
        "niveau de détail",
        max_length=20,
        choices=FollowUpDetail.choices,
        default=FollowUpDetail.TOTALS,
    )
    porteur_may_relay = models.BooleanField(
        "le porteur peut relayer",
        default=True,
        help_text="Sinon, un contact avec le jeune est exigé.",
    )

    class Meta:
        verbose_name = "préférence de suivi hebdomadaire"
        verbose_name_plural = "préférences de suivi hebdomadaire"
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "mission_locale"], name="cej_follow_up_preference_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.mission_locale} — {self.get_detail_display()}"


class EligibilityDerogation(TimeStamped):
    """A département's derogation to the veille criterion, dated."""

    departement_code = models.CharField(
        "département", max_length=3, validators=[validate_departement_code]
    )
    label = models.CharField("intitulé", max_length=200)
    months = models.PositiveSmallIntegerField(
        "délai sans contact ramené à (mois)",
        null=True,
        blank=True,
        help_text="Laisser vide si la dérogation lève entièrement le critère de délai.",
    )
    reference = models.CharField("décision de référence", max_length=300, blank=True)
    start_date = models.DateField("à partir du")
    end_date = models.DateField("jusqu'au (exclu)", null=True, blank=True)

    class Meta:
        verbose_name = "dérogation d'éligibilité"
        verbose_name_plural = "dérogations d'éligibilité"
        ordering = ["departement_code", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="cej_derogation_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.departement_code})"

    def as_rule(self) -> rules.Derogation:
        return rules.Derogation(self.label, self.start_date, self.end_date, self.months)


# --- The pathway ----------------------------------------------------------------------


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


class YouthData(TimeStamped):
    """Base of every piece of a youth's data: the access policy's three facts."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="+"
    )
    category = models.CharField(
        "catégorie", max_length=30, choices=Category.choices, editable=False
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation auteure",
        on_delete=models.PROTECT,
        related_name="+",
    )

    CATEGORY: str = Category.EDUCATION_EMPLOYMENT

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.category = self.category_of()
        super().save(*args, **kwargs)

    def category_of(self) -> str:
        """The access-policy category of this row (the class's, unless it depends on it)."""
        return self.CATEGORY


class PathwayQuerySet(models.QuerySet):
    def open(self) -> PathwayQuerySet:
        return self.exclude(stage=Stage.EXIT)


class Pathway(YouthData):
    """A youth's CEJ-JR pathway, opened at outreach (stage identified)."""

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

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="extensions")
    months = models.PositiveSmallIntegerField(
        "prolongation (mois)", validators=[MinValueValidator(1)]
    )
    reason = models.TextField("motif")
    decided_on = models.DateField("décidée le")

    class Meta:
        verbose_name = "prolongation du contrat"
        ordering = ["decided_on", "pk"]


class ContactSource(models.TextChoices):
    TYPED = "typed", "Saisi"
    IMPORTED = "imported", "Importé (extraction I-Milo)"


class Contact(YouthData):
    """A contact between the youth and the mission locale, classified by the rule."""

    occurred_on = models.DateField("date")
    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    answered = models.BooleanField("le jeune a répondu", default=False)
    intends_to_continue = models.BooleanField(
        "a exprimé l'intention de poursuivre un parcours d'insertion", default=False
    )
    is_substantial = models.BooleanField("contact substantiel", default=False, editable=False)
    source = models.CharField("origine", max_length=20, choices=ContactSource.choices)
    recorded_by = models.ForeignKey(
        USER, verbose_name="enregistré par", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "contact avec la mission locale"
        verbose_name_plural = "contacts avec la mission locale"
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} le {self.occurred_on:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.is_substantial = rules.is_substantial(
            self.channel, self.answered, self.intends_to_continue
        )
        super().save(*args, **kwargs)

    def as_fact(self) -> rules.ContactFact:
        return rules.ContactFact(
            self.occurred_on, self.channel, self.answered, self.intends_to_continue
        )


class OverallAssessment(models.TextChoices):
    """A judgement of the situation beyond the single criterion, always justified."""

    CONFIRMED = "confirmed", "Situation de rupture confirmée"
    RUPTURE_DESPITE_CRITERION = "despite_criterion", "Rupture effective malgré le critère de délai"
    NOT_IN_RUPTURE = "not_in_rupture", "Pas en situation de rupture"


class EligibilityCheck(YouthData):
    """The engine's answer recorded for a pathway, with reasons and facts (kept in history)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="checks")
    checked_on = models.DateField("éligibilité au")
    at_entry = models.BooleanField("à l'entrée dans le parcours", default=False)
    status = models.CharField("résultat", max_length=20, choices=Status.choices)
    eligible_from = models.DateField("éligible à partir du", null=True, blank=True)
    reasons = models.JSONField("motifs", default=list)
    facts = models.JSONField("faits utilisés", default=dict)
    checked_by = models.ForeignKey(
        USER, verbose_name="vérifié par", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall_assessment = models.CharField(
        "appréciation globale", max_length=30, choices=OverallAssessment.choices, blank=True
    )
    justification = models.TextField("justification", blank=True)
    assessed_by = models.ForeignKey(
        USER,
        verbose_name="appréciée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "vérification d'éligibilité"
        verbose_name_plural = "vérifications d'éligibilité"
        ordering = ["-checked_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} au {self.checked_on:%d/%m/%Y}"

    @property
    def label(self) -> str:
        if self.status == Status.ELIGIBLE_ON and self.eligible_from:
            return f"Éligible le {self.eligible_from:%d/%m/%Y}"
        return self.get_status_display()

    @property
    def fact_rows(self) -> list[tuple[str, str]]:
        """The facts used, labelled in French, with dates as JJ/MM/AAAA."""
        rows = []
        for key, value in self.facts.items():
            if isinstance(value, bool):
                shown = "oui" if value else "non"
            elif isinstance(value, list):
                shown = ", ".join(value) or "aucune"
            elif isinstance(value, str) and len(value) == 10 and value[4] == "-":
                shown = datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
            else:
                shown = "—" if value is None else str(value)
            rows.append((rules.FACT_LABELS.get(key, key), shown))
        return rows


# --- Weekly integration committee ----------------------------------------------------


class CommitteeMeeting(TimeStamped):
    """A weekly meeting of the porteur and the mission locale validating entries."""

    partnership = models.ForeignKey(
        Consortium,
        verbose_name="partenariat",
        on_delete=models.PROTECT,
        related_name="cej_meetings",
    )
    date = models.DateField("date")
    participants = models.CharField(
        "participants", max_length=500, blank=True, help_text="Noms et organisations présents."
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "comité d'intégration"
        verbose_name_plural = "comités d'intégration"
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "date"],
                name="cej_meeting_unique_date",
                violation_error_message="Un comité existe déjà à cette date.",
            )
        ]

    def __str__(self) -> str:
        return f"Comité du {self.date:%d/%m/%Y}"


class AgendaReason(models.TextChoices):
    NEW = "new", "Nouvellement repéré·e"
    VEILLE = "veille", "Date de veille atteinte avant le prochain comité"
    PENDING = "pending", "Décision en attente"


class AgendaItem(YouthData):
    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="items")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="agenda_items")
    reason = models.CharField("motif d'inscription", max_length=20, choices=AgendaReason.choices)

    class Meta:
        verbose_name = "point à l'ordre du jour"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "pathway"], name="cej_agenda_item_unique")
        ]


class DecisionKind(models.TextChoices):
    PRE_CEJ = "pre_cej", "Entrée en pré CEJ-JR jusqu'à la date de veille"
    REMOBILISATION = "remobilisation", "Début de la remobilisation"
    PROPOSE_CONTRACT = "propose_contract", "Proposition du contrat CEJ"
    ORIENT_ELSEWHERE = "orient_elsewhere", "Orientation vers un autre dispositif"
    DEFER = "defer", "Décision reportée"


class CommitteeDecision(YouthData):
    meeting = models.ForeignKey(
        CommitteeMeeting, on_delete=models.PROTECT, related_name="decisions"
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField("décision", max_length=20, choices=DecisionKind.choices)
    until = models.DateField("jusqu'au", null=True, blank=True)
    decided_by = models.CharField("décidée par", max_length=300)
    comment = models.TextField("commentaire", blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "décision du comité"
        verbose_name_plural = "décisions du comité"
        ordering = ["meeting__date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "pathway"], name="cej_one_decision_per_meeting"
            )
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


# --- Administrative file --------------------------------------------------------------


class DossierStatus(models.TextChoices):
    MISSING = "missing", "Manquante"
    COLLECTED = "collected", "Recueillie"
    TRANSMITTED = "transmitted", "Transmise à la mission locale"


class DossierItem(YouthData):
    CATEGORY = Category.ADMIN_DOCUMENTS

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="dossier_items")
    kind = models.ForeignKey(
        DossierItemKind, verbose_name="pièce", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "état", max_length=20, choices=DossierStatus.choices, default=DossierStatus.MISSING
    )
    document = models.ForeignKey(
        Document,
        verbose_name="document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    collected_on = models.DateField("recueillie le", null=True, blank=True)
    transmitted_on = models.DateField("transmise le", null=True, blank=True)
    transmitted_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "pièce du dossier"
        ordering = ["kind__position", "kind__label"]
        constraints = [
            models.UniqueConstraint(fields=["pathway", "kind"], name="cej_dossier_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} — {self.get_status_display()}"


# --- Allowances -----------------------------------------------------------------------


class MissedAction(YouthData):
    """A missed action without legitimate reason (R.5131-17/-18): the counsellor proposes,
    the mission locale decides after the youth's observations."""

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


# --- Co-accompaniment: action plan, "who does what" -----------------------------------


class Dimension(models.TextChoices):
    """Areas of the youth's situation and progress, rated at the milestone reviews."""

    EMPLOYMENT = "employment", "Emploi et formation"
    HOUSING = "housing", "Logement"
    HEALTH = "health", "Santé"
    MENTAL_HEALTH = "mental_health", "Santé mentale"
    MOBILITY = "mobility", "Mobilité"
    RIGHTS = "rights", "Accès aux droits et démarches"
    RESOURCES = "resources", "Ressources"
    CONFIDENCE = "confidence", "Confiance en soi"


#: The access-policy category of what is written about each dimension: a health objective
#: or rating is health data, never shown to a counsellor (docs/domain-rules.md,
#: "Professional secrecy: who sees a youth's data").
DIMENSION_CATEGORIES: dict[str, str] = {
    Dimension.EMPLOYMENT: Category.EDUCATION_EMPLOYMENT,
    Dimension.HOUSING: Category.HOUSING,
    Dimension.HEALTH: Category.HEALTH,
    Dimension.MENTAL_HEALTH: Category.MENTAL_HEALTH,
    Dimension.MOBILITY: Category.EDUCATION_EMPLOYMENT,
    Dimension.RIGHTS: Category.ADMIN_DOCUMENTS,
    Dimension.RESOURCES: Category.NOTES,
    Dimension.CONFIDENCE: Category.NOTES,
}


class PartnerSide(models.TextChoices):
    PORTEUR = "porteur", "Porteur (accompagnement social global)"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    SHARED = "shared", "Ensemble"


class CharterLine(TimeStamped):
    """The partnership's "who does what" (by default the mission locale on employment and
    training, the porteur on global social support), one line per dimension, editable."""

    partnership = models.ForeignKey(
        Consortium, on_delete=models.CASCADE, related_name="cej_charter_lines"
    )
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    lead = models.CharField("qui", max_length=20, choices=PartnerSide.choices)
    what = models.CharField("ce que fait chacun", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne du « qui fait quoi »"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dimension"], name="cej_charter_dimension_unique"
            )
        ]


class ActionPlan(YouthData):
    """One shared plan per youth, written after the partners' shared diagnosis."""

    pathway = models.OneToOneField(Pathway, on_delete=models.CASCADE, related_name="plan")
    diagnosis_on = models.DateField("diagnostic partagé le")
    diagnosis = models.TextField("diagnostic partagé", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "plan d'action"


class ActionStatus(models.TextChoices):
    TODO = "todo", "À faire"
    IN_PROGRESS = "in_progress", "En cours"
    DONE = "done", "Réalisée"
    DROPPED = "dropped", "Abandonnée"


class PlanAction(YouthData):
    """An action of the plan towards an objective of one dimension, owned by one
    organisation and one person; its category follows the dimension."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    objective = models.CharField("objectif", max_length=300)
    action = models.CharField("action", max_length=300)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation responsable",
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        USER, verbose_name="personne responsable", on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField("échéance")
    status = models.CharField(
        "état", max_length=20, choices=ActionStatus.choices, default=ActionStatus.TODO
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "action du plan"
        ordering = ["due_on", "pk"]

    def category_of(self) -> str:
        return DIMENSION_CATEGORIES[self.dimension]


# --- Activities and weekly hours -------------------------------------------------------


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", "Atelier collectif"
    INTERVIEW = "interview", "Entretien individuel"
    TRAINING = "training", "Formation"
    IMMERSION = "immersion", "Immersion en entreprise, stage"
    JOB_SEARCH = "job_search", "Recherche d'emploi"
    PAPERWORK = "paperwork", "Démarches administratives"
    SPORT_CULTURE = "sport_culture", "Sport, culture, loisirs"
    VOLUNTEERING = "volunteering", "Bénévolat, engagement"
    HEALTH = "health", "Soins, santé"
    OTHER = "other", "Autre"


class Activity(YouthData):
    """An activity counted in the weekly 15–20 hours, planned then recorded as
    attended or not, under the responsibility of one partner organisation. A care
    appointment is health data: its nature never reaches a counsellor."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="activities")
    kind = models.CharField("type", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("intitulé", max_length=200)
    starts_at = models.DateTimeField("début")
    duration_minutes = models.PositiveIntegerField("durée (minutes)")
    ends_at = models.DateTimeField("fin", editable=False)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation responsable",
        on_delete=models.PROTECT,
        related_name="+",
    )
    attended = models.BooleanField("présent·e", null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "activité"
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["pathway", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1) & Q(duration_minutes__lte=1440),
                name="cej_activity_duration_1_1440",
                violation_error_message="Une activité dure entre 1 minute et 24 heures.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def category_of(self) -> str:
        return Category.HEALTH if self.kind == ActivityKind.HEALTH else self.CATEGORY

    def save(self, *args, **kwargs):
        self.ends_at = self.starts_at + datetime.timedelta(minutes=self.duration_minutes)
        super().save(*args, **kwargs)

    @property
    def hours(self) -> Decimal:
        return (Decimal(self.duration_minutes) / 60).quantize(Decimal("0.01"))


# --- Monday follow-up -----------------------------------------------------------------


class WeeklyFollowUp(TimeStamped):
    """The follow-up of one week sent to one counsellor on Monday: never
    twice for the same week and counsellor (unique constraint)."""

    counsellor = models.ForeignKey(
        USER, verbose_name="conseiller·ère", on_delete=models.CASCADE, related_name="+"
    )
    mission_locale = models.ForeignKey(
        Organisation, verbose_name="mission locale", on_delete=models.PROTECT, related_name="+"
    )
    week_start = models.DateField("semaine du (lundi)")
    detail = models.CharField("format", max_length=20, choices=FollowUpDetail.choices)
    rows = models.JSONField("contenu", default=list)
    produced_by = models.ForeignKey(
        USER,
        verbose_name="produit par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Vide : produit par la tâche du lundi.",
    )
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)

    class Meta:
        verbose_name = "suivi hebdomadaire"
        verbose_name_plural = "suivis hebdomadaires"
        ordering = ["-week_start", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["counsellor", "week_start"], name="cej_follow_up_once_per_week"
            )
        ]

    def __str__(self) -> str:
        return f"Suivi de la semaine du {self.week_start:%d/%m/%Y}"


# --- Milestone reviews ----------------------------------------------------------------


class Review(YouthData):
    """A milestone review at 3 or 6 months after entry, scheduled automatically."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="reviews")
    milestone_months = models.PositiveSmallIntegerField("bilan à (mois)")
    due_on = models.DateField("prévu le")
    held_on = models.DateField("tenu le", null=True, blank=True)
    next_steps = models.TextField("plan d'action concerté pour la suite", blank=True)
    reminded_on = models.DateField("dernier rappel le", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bilan d'étape"
        verbose_name_plural = "bilans d'étape"
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "milestone_months"], name="cej_review_once_per_milestone"
            )
        ]

    def __str__(self) -> str:
        return f"Bilan à {self.milestone_months} mois"


class ReviewReminder(models.Model):
    """A review's reminder sent to one person: once per review and person, whoever joins
    the partners later is reminded at the next run, nobody twice (a unique constraint)."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField("envoyé le")

    class Meta:
        verbose_name = "rappel de bilan"
        constraints = [
            models.UniqueConstraint(fields=["review", "user"], name="cej_review_reminder_once")
        ]

    def __str__(self) -> str:
        return f"Rappel du {self.sent_on:%d/%m/%Y}"


class Rater(models.TextChoices):
    YOUTH = "youth", "Le jeune"
    PORTEUR = "porteur", "Le porteur"
    MISSION_LOCALE = "mission_locale", "La mission locale"


class ReviewRating(YouthData):
    """A 1–4 rating of one dimension by the youth or a partner; category of the dimension."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField("dimension", max_length=20, choices=Dimension.choices)
    rater = models.CharField("par", max_length=20, choices=Rater.choices)
    score = models.PositiveSmallIntegerField(
        "note", validators=[MinValueValidator(1), MaxValueValidator(4)]
    )

    class Meta:
        verbose_name = "note du bilan"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "dimension", "rater"], name="cej_rating_unique"
            ),
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=4),
                name="cej_rating_1_4",
                violation_error_message="La note va de 1 à 4.",
            ),
        ]

    def category_of(self) -> str:
        return DIMENSION_CATEGORIES[self.dimension]


# --- The youth's own page and calendar feeds ------------------------------------------


class YouthLink(TimeStamped):
    """A one-time, expiring link (or QR code) to the youth's own page: no password."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="youth_links")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("expire le")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "lien vers la page du jeune"


class CalendarFeed(TimeStamped):
    """A token-protected ICS feed: a referent's activities, or one youth's, read with the
    rights of the person who created it (checked again at each fetch)."""

    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    pathway = models.ForeignKey(
        Pathway, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = "agenda ICS"


class InterviewKind(models.TextChoices):
    INDIVIDUAL = "individual", "Entretien individuel"
    TRIPARTITE = "tripartite", "Entretien tripartite (référent, conseiller, jeune)"
    SYNTHESIS = "synthesis", "Synthèse du parcours"


class Interview(TimeStamped):
    """An interview or a synthesis shared with the partners. Its text is a youth record
    ``Note`` with its category, so the access policy and the record's history apply."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="interviews")
    kind = models.CharField("type", max_length=20, choices=InterviewKind.choices)
    note = models.OneToOneField(Note, on_delete=models.CASCADE, related_name="cej_interview")

    class Meta:
        verbose_name = "entretien ou synthèse"
        ordering = ["-note__occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.note}"
