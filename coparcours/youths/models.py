"""A young person's record, its co-accompaniment, consents, notes and documents.

Every piece of personal data carries ``youth``, ``category`` and ``author_organisation`` so
the access policy (``coparcours.core.access``) can decide who sees it.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.validators import MinValueValidator
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.access import AccessFacts, Category, Relation, Share, ShareBasis
from coparcours.core.batches import chunks
from coparcours.core.lookups import EqualsAny
from coparcours.core.models import TimeStamped
from coparcours.organisations.models import Organisation
from coparcours.youths import rules


class Sex(models.TextChoices):
    FEMALE = "F", "Féminin"
    MALE = "M", "Masculin"
    UNSPECIFIED = "X", "Non précisé"


class Situation(models.TextChoices):
    SCHOOL = "school", "Scolarisé·e"
    TRAINING = "training", "En formation"
    EMPLOYED = "employed", "En emploi"
    JOB_SEEKER = "job_seeker", "En recherche d'emploi"
    NO_ACTIVITY = "no_activity", "Sans activité"
    UNKNOWN = "unknown", "Non connue"


class AgeAssessment(models.TextChoices):
    """Age and isolation assessment of an unaccompanied minor (CASF L.221-2-4, R.221-11)."""

    NOT_STARTED = "not_started", "Non commencée"
    IN_PROGRESS = "in_progress", "En cours"
    MINOR = "minor", "Minorité reconnue"
    ADULT = "adult", "Majorité retenue"
    CONTESTED = "contested", "Décision contestée"


models.BigAutoField.register_lookup(EqualsAny)


def _assigned_to(organisation_ids: list[int], on: datetime.date) -> models.QuerySet:
    """Co-accompaniments in force on the day with one of the organisations."""
    return Assignment.objects.active(on).filter(organisation_id__in=organisation_ids)


class YouthQuerySet(models.QuerySet):
    def accompanied_ids(
        self, organisation_ids, on: datetime.date, among: models.QuerySet | None = None
    ) -> models.QuerySet:
        """The ids of the youths owned by, or with an active assignment to, one of the
        organisations: the ``UNION`` of the owned and the assigned ids, each found by its
        index.

        ``among`` (a query of youth ids) narrows both sides to a few known youths:
        PostgreSQL does not push an outer filter into a ``UNION``, so without it a
        coordinator of 100 GMEs hashes 16,700 ids to keep 43 (13 → 1 ms, bench/RESULTS.md).
        """
        organisation_ids = list(organisation_ids)
        owned = Youth.objects.filter(owner_organisation_id__in=organisation_ids)
        assigned = _assigned_to(organisation_ids, on)
        if among is not None:
            owned = owned.filter(pk__in=among)
            assigned = assigned.filter(youth_id__in=among)
        return owned.values("pk").order_by().union(assigned.values("youth_id").order_by())

    def owners_of_accompanied(self, organisation_ids, on: datetime.date) -> models.QuerySet:
        """The organisations owning at least one youth of this queryset accompanied by one of
        the organisations: those of them owning one (a probe of the owner index each), and
        the owners of the youths assigned to them, instead of every accompanied youth's
        owner (16,700 youths for a coordinator of 100 GMEs at scale 1)."""
        organisation_ids = list(organisation_ids)
        owning = Organisation.objects.filter(
            models.Exists(self.filter(owner_organisation_id=models.OuterRef("pk"))),
            pk__in=organisation_ids,
        ).values("pk")
        assigned = _assigned_to(organisation_ids, on).values("youth_id")
        owners_of_assigned = self.filter(pk__in=assigned).values("owner_organisation_id")
        return Organisation.objects.filter(
            pk__in=owning.order_by().union(owners_of_assigned.order_by())
        )

    def accompanied_by(
        self, organisation_ids, on: datetime.date, few_rows: bool = False
    ) -> YouthQuerySet:
        """Youths owned by, or with an active assignment to, one of the organisations.

        For a list on PostgreSQL, ``owner IN (…) OR id = ANY(ARRAY(assigned))``: the
        assigned ids are read once and both conditions are index scans combined in one
        bitmap, so only the listed youths are read (counting a coordinator's 16,700 youths
        among 100,000: 39 → 6 ms). For a few known youths (``few_rows``) and on SQLite, one
        uncorrelated ``IN`` over :meth:`accompanied_ids`, into which PostgreSQL pushes the
        youth's id (the array would read every id assigned to the organisations). A
        correlated ``EXISTS`` beside an ``OR`` ran once per youth, and ``owner IN … OR pk IN
        (assigned)`` read every youth (35 ms, bench/RESULTS.md)."""
        organisation_ids = list(organisation_ids)
        if few_rows or connections[self.db].vendor != "postgresql":
            return self.filter(pk__in=self.accompanied_ids(organisation_ids, on))
        assigned = _assigned_to(organisation_ids, on).values("youth_id")
        return self.filter(
            Q(owner_organisation_id__in=organisation_ids)
            | Q(pk__equals_any=ArraySubquery(assigned))
        )

    def active(self) -> YouthQuerySet:
        return self.filter(anonymised_at__isnull=True)


class Youth(TimeStamped):
    """A young person accompanied by one or more organisations."""

    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation référente",
        on_delete=models.PROTECT,
        related_name="owned_youths",
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="référent·e",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referred_youths",
    )
    # identity
    last_name = models.CharField("nom", max_length=150)
    first_names = models.CharField("prénoms", max_length=200)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, default=Sex.UNSPECIFIED)
    birth_date = models.DateField("date de naissance", null=True, blank=True)
    birth_date_is_declared = models.BooleanField(
        "date de naissance déclarée",
        default=False,
        help_text="Date déclarée par le jeune, sans document d'état civil probant.",
    )
    nationality = models.CharField("nationalité", max_length=100, blank=True)
    languages = models.CharField(
        "langues parlées", max_length=200, blank=True, help_text="Séparées par des virgules."
    )
    needs_interpreter = models.BooleanField("besoin d'un interprète", default=False)
    situation = models.CharField(
        "situation", max_length=20, choices=Situation.choices, default=Situation.UNKNOWN
    )
    # unaccompanied minor (identity: the guardian and the ASE service act for the youth)
    is_unaccompanied_minor = models.BooleanField("mineur non accompagné (MNA)", default=False)
    age_assessment = models.CharField(
        "évaluation de minorité",
        max_length=20,
        choices=AgeAssessment.choices,
        blank=True,
    )
    age_assessment_date = models.DateField("date de l'évaluation", null=True, blank=True)
    ase_service = models.CharField("service de l'ASE en charge", max_length=200, blank=True)
    guardian = models.CharField("représentant légal ou tuteur", max_length=200, blank=True)
    # justice: the placement order
    placement_order_reference = models.CharField(
        "référence de l'ordonnance de placement", max_length=100, blank=True
    )
    placement_order_court = models.CharField("juridiction", max_length=200, blank=True)
    placement_order_start = models.DateField("placement du", null=True, blank=True)
    placement_order_end = models.DateField("placement jusqu'au", null=True, blank=True)
    # contact
    phone = models.CharField("téléphone", max_length=30, blank=True)
    email = models.EmailField("adresse électronique", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    # bookkeeping
    last_name_key = models.CharField(max_length=150, editable=False, db_index=True)
    first_name_key = models.CharField(max_length=150, editable=False, db_index=True)
    last_contact_on = models.DateField("dernier contact", null=True, blank=True)
    anonymised_at = models.DateTimeField("anonymisé le", null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["last_name_key", "first_name_key"])
    objects = YouthQuerySet.as_manager()

    class Meta:
        verbose_name = "jeune"
        ordering = ["last_name", "first_names", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(placement_order_end__isnull=True)
                | Q(placement_order_start__isnull=True)
                | Q(placement_order_end__gt=models.F("placement_order_start")),
                name="youth_placement_order_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_names}"

    def save(self, *args, **kwargs):
        self.last_name_key = rules.search_key(self.last_name)
        self.first_name_key = rules.search_key(self.first_names).split(" ")[0]
        super().save(*args, **kwargs)

    @property
    def majority_date(self) -> datetime.date | None:
        return rules.majority_date(self.birth_date)

    def days_until_majority(self, on: datetime.date | None = None) -> int | None:
        if self.majority_date is None:
            return None
        return (self.majority_date - (on or timezone.localdate())).days

    def age(self, on: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        return rules.age_on(self.birth_date, on or timezone.localdate())

    def is_minor(self, on: datetime.date | None = None) -> bool:
        age = self.age(on)
        return age is not None and age < rules.MAJORITY_AGE

    def access_facts(self, on: datetime.date) -> AccessFacts:
        """The organisations accompanying the youth and the shares in force on a day.

        From the co-accompaniments and consents already read with the youth when a page
        prefetched them all (the record shows them: two queries fewer), else read now."""
        prefetched = getattr(self, "_prefetched_objects_cache", {})
        if "assignments" in prefetched and "consents" in prefetched:
            facts = _FactsBuilder({self.pk: self.owner_organisation_id})
            for assignment in prefetched["assignments"]:
                if assignment.is_active(on):
                    facts.add_relation(self.pk, assignment.organisation_id, assignment.relation)
            for consent in prefetched["consents"]:
                if consent.is_active(on):
                    facts.add_shares(
                        self.pk,
                        consent.organisation_id,
                        consent.categories,
                        consent.basis,
                        consent.author_organisation_id,
                    )
            return facts.built()[self.pk]
        return access_facts_for({self.pk: self.owner_organisation_id}, on)[self.pk]


class _FactsBuilder:
    """Access facts assembled from co-accompaniments and consents in force, however read."""

    def __init__(self, owners: dict[int, int]) -> None:
        self.relations: dict[int, dict[int, set[str]]] = {
            youth_id: {owner_id: {Relation.OWNER}} for youth_id, owner_id in owners.items()
        }
        self.shares: dict[int, set[Share]] = {youth_id: set() for youth_id in owners}

    def add_relation(self, youth_id: int, organisation_id: int, relation: str) -> None:
        self.relations[youth_id].setdefault(organisation_id, set()).add(relation)

    def add_shares(
        self, youth_id: int, recipient_id: int, categories: list[str], basis: str, author_id: int
    ) -> None:
        """The categories a consent in force opens to its recipient, of the recording
        organisation's data only (``Share.opened_by``)."""
        self.shares[youth_id].update(
            Share(recipient_id, category, basis, author_id) for category in categories
        )

    def built(self) -> dict[int, AccessFacts]:
        return {
            youth_id: AccessFacts(
                relations={org: frozenset(rel) for org, rel in by_org.items()},
                shares=frozenset(self.shares[youth_id]),
            )
            for youth_id, by_org in self.relations.items()
        }


def access_facts_for(owners: dict[int, int], on: datetime.date) -> dict[int, AccessFacts]:
    """Access facts of many youths at once (youth id → owning organisation id), in two
    queries per :data:`~coparcours.core.batches.IDS_PER_QUERY` youths: lists decide each
    row without a query per youth, and a job over everyone never exceeds SQLite's limit of
    parameters in one statement."""
    facts = _FactsBuilder(owners)
    for ids in chunks(owners):
        for youth_id, organisation_id, relation in (
            Assignment.objects.active(on)
            .filter(youth_id__in=ids)
            .values_list("youth_id", "organisation_id", "relation")
        ):
            facts.add_relation(youth_id, organisation_id, relation)
        for youth_id, *share in (
            Consent.objects.active(on)
            .filter(youth_id__in=ids)
            .values_list(
                "youth_id", "organisation_id", "categories", "basis", "author_organisation_id"
            )
        ):
            facts.add_shares(youth_id, *share)
    return facts.built()


# Which category each field of the record belongs to (docs/domain-rules.md, "Professional
# secrecy: who sees a youth's data").
FIELD_CATEGORIES: dict[str, list[str]] = {
    Category.IDENTITY: [
        "last_name",
        "first_names",
        "sex",
        "birth_date",
        "birth_date_is_declared",
        "nationality",
        "languages",
        "needs_interpreter",
        "situation",
        "is_unaccompanied_minor",
        "age_assessment",
        "age_assessment_date",
        "ase_service",
        "guardian",
    ],
    Category.CONTACT: ["phone", "email", "address"],
    Category.JUSTICE: [
        "placement_order_reference",
        "placement_order_court",
        "placement_order_start",
        "placement_order_end",
    ],
}


class DatedQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> DatedQuerySet:
        """Rows in force on a day; periods are half-open [start, end)."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )


class Assignment(TimeStamped):
    """An organisation accompanying the youth besides the owner (co-accompaniment)."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="youth_assignments",
    )
    relation = models.CharField(
        "nature", max_length=20, choices=Relation.choices, default=Relation.CO_ACCOMPANIMENT
    )
    role = models.CharField(
        "rôle auprès du jeune",
        max_length=200,
        help_text="Par exemple : accompagnement vers l'emploi, suivi santé, hébergement.",
    )
    start_date = models.DateField("début", default=timezone.localdate)
    end_date = models.DateField("fin", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DatedQuerySet.as_manager()

    class Meta:
        verbose_name = "co-accompagnement"
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="assignment_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.role}"

    def is_active(self, on: datetime.date) -> bool:
        """In force on the day: ``Assignment.objects.active(on)`` for one loaded row."""
        return self.start_date <= on and (self.end_date is None or on < self.end_date)


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


class Note(TimeStamped):
    """A dated piece of information about the youth, in one category."""

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="notes"
    )
    category = models.CharField("catégorie", max_length=30, choices=Category.choices)
    occurred_on = models.DateField("date", default=timezone.localdate)
    title = models.CharField("titre", max_length=200)
    text = models.TextField("contenu", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "note"
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["youth", "category"])]

    def __str__(self) -> str:
        return self.title


def document_path(instance: Document, filename: str) -> str:
    """Stored under an opaque name, outside any public URL (served by an access-checked view)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"youth-documents/{instance.youth_id}/{uuid.uuid4().hex}{suffix}"


class Document(TimeStamped):
    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="documents"
    )
    category = models.CharField("catégorie", max_length=30, choices=Category.choices)
    title = models.CharField("intitulé", max_length=200)
    file = models.FileField("fichier", upload_to=document_path)
    original_name = models.CharField("nom d'origine", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_organisation = models.ForeignKey(
        Organisation, verbose_name="organisation", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "document"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class RetentionScope(models.TextChoices):
    """What a retention period counts from."""

    LAST_CONTACT = "last_contact", "Après le dernier contact avec le jeune"
    CEJ_END = "cej_end", "Après la fin du contrat d'engagement jeune (données CEJ)"


class RetentionRuleQuerySet(models.QuerySet):
    def months_by_category(self, scope: str, on: datetime.date) -> dict[str, int]:
        """Months of retention in force on a day for each category of the scope.

        A rule naming a category beats a rule for all categories; among rules of the same
        reach, the latest ``valid_from`` not after the day wins. A category without any rule
        is absent (never purged).
        """
        latest: dict[str, RetentionRule] = {}
        for rule in self.filter(scope=scope, valid_from__lte=on).order_by("valid_from", "pk"):
            latest[rule.category] = rule
        default = latest.get("")
        return {
            category: rule.months
            for category in Category.values
            if (rule := latest.get(category, default)) is not None
        }


class RetentionRule(TimeStamped):
    """A dated retention period (CNIL référentiel 2023-095 for the social sector: active
    data two years after the last contact; CEJ data ten years after the contract ends)."""

    scope = models.CharField("point de départ", max_length=20, choices=RetentionScope.choices)
    category = models.CharField(
        "catégorie",
        max_length=30,
        choices=Category.choices,
        blank=True,
        help_text="Vide : toutes les catégories sans règle propre.",
    )
    months = models.PositiveSmallIntegerField("durée (mois)", validators=[MinValueValidator(1)])
    valid_from = models.DateField("en vigueur à partir du")
    basis = models.CharField("fondement", max_length=300)

    objects = RetentionRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "durée de conservation"
        verbose_name_plural = "durées de conservation"
        ordering = ["scope", "category", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "category", "valid_from"],
                name="retention_rule_unique_per_day",
                violation_error_message="Une règle existe déjà pour cette catégorie à cette date.",
            ),
            models.CheckConstraint(condition=Q(months__gte=1), name="retention_rule_months"),
        ]

    def __str__(self) -> str:
        reach = self.get_category_display() if self.category else "toutes les catégories"
        return f"{reach} : {self.months} mois ({self.get_scope_display().lower()})"


class ErasureStatus(models.TextChoices):
    PENDING = "pending", "En attente de décision"
    APPROVED = "approved", "Acceptée : dossier anonymisé"
    REFUSED = "refused", "Refusée"


class ErasureRequester(models.TextChoices):
    YOUTH = "youth", "Le jeune"
    GUARDIAN = "guardian", "Son représentant légal"
    MANDATED = "mandated", "Une personne mandatée par le jeune"


class ErasureRequest(TimeStamped):
    """A request to erase the youth's data (RGPD art. 17), decided with a written motive.

    Approval anonymises the record at once; the request itself stays as the trace of the
    decision (accountability, RGPD art. 5-2).
    """

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.PROTECT, related_name="erasure_requests"
    )
    received_on = models.DateField("reçue le")
    requester = models.CharField("demandée par", max_length=10, choices=ErasureRequester.choices)
    reason = models.TextField("motif de la demande")
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="enregistrée par l'organisation",
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="enregistrée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        "état", max_length=10, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    decided_at = models.DateTimeField("décidée le", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="décidée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_motive = models.TextField("motif de la décision", blank=True)

    class Meta:
        verbose_name = "demande d'effacement"
        verbose_name_plural = "demandes d'effacement"
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ErasureStatus.PENDING)
                | (Q(decided_at__isnull=False) & ~Q(decision_motive="")),
                name="erasure_decision_has_motive",
            )
        ]

    def __str__(self) -> str:
        return f"Demande d'effacement du {self.received_on:%d/%m/%Y} ({self.get_status_display()})"
