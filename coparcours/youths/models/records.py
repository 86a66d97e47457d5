"""A young person's record: identity, contact and placement order, the queries finding
the youths an organisation accompanies, and the access facts of one or many youths.

Every piece of personal data carries ``youth``, ``category`` and ``author_organisation`` so
the access policy (``coparcours.core.access``) can decide who sees it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.db import connections, models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from coparcours.core.access import AccessFacts, Category, Relation, Share
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
    from coparcours.youths.models.assignments import Assignment  # it points at Youth

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
    reminder_channel = models.CharField(
        "rappels de rendez-vous",
        max_length=8,
        blank=True,
        choices=[("sms", "par SMS"), ("email", "par courriel")],
        help_text="Accordés par le jeune depuis son espace ; vide : aucun rappel.",
    )
    reminders_agreed_at = models.DateTimeField("rappels acceptés le", null=True, blank=True)
    space_pin = models.CharField(
        "code de son espace (chiffré)",
        max_length=128,
        blank=True,
        editable=False,
        help_text="Choisi par le jeune sans date de naissance connue, à la première ouverture.",
    )
    space_language = models.CharField(
        "langue de son espace",
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text="Choisie par le jeune dans son espace ; les messages qu'il reçoit la suivent.",
    )
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
    from coparcours.youths.models.assignments import Assignment  # both point at Youth
    from coparcours.youths.models.consents import Consent

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
    Category.CONTACT: ["phone", "email", "address", "space_language"],
    Category.JUSTICE: [
        "placement_order_reference",
        "placement_order_court",
        "placement_order_start",
        "placement_order_end",
    ],
}
