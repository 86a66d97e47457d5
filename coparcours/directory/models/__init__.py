"""The territory directory: structures and services in the national data·inclusion schema,
schemes (dispositifs) with eligibility criteria as data, closed-loop referrals, and the
partners' shared guides and meetings (per consortium or partnership).

Value lists of the schema (thématiques, publics, types, modes d'accueil, modes de
mobilisation, réseaux porteurs…) are reference rows loaded from the ``data-inclusion-schema``
package (:func:`coparcours.directory.services.exchange.sync_reference_values`), never enums
in code.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from coparcours.core.access import Category
from coparcours.core.models import TimeStamped
from coparcours.directory import rules
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Youth
from coparcours.youths.models.youth_data import YouthData


class ValueList(models.TextChoices):
    """The schema's value lists (data_inclusion.schema.v1)."""

    CATEGORIE = "categorie", "Catégorie de thématiques"
    THEMATIQUE = "thematique", "Thématique"
    PUBLIC = "public", "Public"
    TYPE_SERVICE = "type_service", "Type de service"
    FRAIS = "frais", "Frais"
    MODE_ACCUEIL = "mode_accueil", "Mode d'accueil"
    MODE_MOBILISATION = "mode_mobilisation", "Mode de mobilisation"
    PERSONNE_MOBILISATRICE = "personne_mobilisatrice", "Personne mobilisatrice"
    RESEAU_PORTEUR = "reseau_porteur", "Réseau porteur"


class ReferenceValue(models.Model):
    """One value of a data·inclusion value list (code, French label, description)."""

    value_list = models.CharField("liste", max_length=30, choices=ValueList.choices)
    code = models.CharField("code", max_length=150)
    label = models.CharField("libellé", max_length=200)
    description = models.TextField("description", blank=True)
    parent_code = models.CharField(
        "catégorie", max_length=150, blank=True, help_text="Pour une thématique : sa catégorie."
    )

    class Meta:
        verbose_name = "valeur de référence data·inclusion"
        verbose_name_plural = "valeurs de référence data·inclusion"
        ordering = ["value_list", "label"]
        constraints = [
            models.UniqueConstraint(fields=["value_list", "code"], name="reference_value_unique")
        ]

    def __str__(self) -> str:
        return self.label


class Located(TimeStamped):
    """Fields shared by structures and services (data·inclusion v1)."""

    source = models.CharField("source", max_length=100)
    di_id = models.CharField("identifiant data·inclusion", max_length=200)
    nom = models.CharField("nom", max_length=150)
    description = models.TextField("description", blank=True)
    lien_source = models.URLField("lien source", max_length=500, blank=True)
    date_maj = models.DateField("mise à jour le")
    commune = models.CharField("commune", max_length=150, blank=True)
    code_postal = models.CharField("code postal", max_length=5, blank=True)
    code_insee = models.CharField("code INSEE", max_length=5, blank=True)
    adresse = models.CharField("adresse", max_length=300, blank=True)
    complement_adresse = models.CharField("complément d'adresse", max_length=300, blank=True)
    longitude = models.FloatField("longitude", null=True, blank=True)
    latitude = models.FloatField("latitude", null=True, blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    courriel = models.EmailField("courriel", blank=True)
    horaires_accueil = models.CharField("horaires d'accueil", max_length=300, blank=True)
    departement = models.CharField("département", max_length=3, blank=True, editable=False)
    search_text = models.TextField(editable=False, default="")
    codes = models.ManyToManyField(ReferenceValue, blank=True, related_name="+")

    class Meta:
        abstract = True

    def refresh_keys(self) -> None:
        """Derived columns: département and the accent-free search text."""
        self.departement = rules.departement_of(self.code_postal, self.code_insee)
        self.search_text = rules.normalise(
            " ".join([self.nom, self.description, self.commune, self.adresse])
        )

    def save(self, *args, **kwargs):
        self.refresh_keys()
        super().save(*args, **kwargs)

    def codes_of(self, value_list: str) -> list[ReferenceValue]:
        """Values of one list, from the prefetched ``codes`` when present."""
        return sorted(
            (value for value in self.codes.all() if value.value_list == value_list),
            key=lambda value: value.code,
        )


class Structure(Located):
    """A structure of the territory (data·inclusion ``Structure``)."""

    siret = models.CharField("SIRET", max_length=14, blank=True)
    site_web = models.URLField("site web", max_length=500, blank=True)
    accessibilite_lieu = models.URLField("accessibilité du lieu", max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation sur Coparcours",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_structures",
        help_text="Vide si la structure n'utilise pas Coparcours : elle répond par un lien.",
    )
    codes = models.ManyToManyField(
        ReferenceValue, blank=True, related_name="structures", verbose_name="réseaux porteurs"
    )

    class Meta:
        verbose_name = "structure"
        ordering = ["nom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "di_id"], name="structure_source_id_unique")
        ]
        indexes = [models.Index(fields=["departement"]), models.Index(fields=["commune"])]

    def __str__(self) -> str:
        return self.nom


class Service(Located):
    """A service offered by a structure (data·inclusion ``Service``)."""

    structure = models.ForeignKey(
        Structure, verbose_name="structure", on_delete=models.CASCADE, related_name="services"
    )
    frais_precisions = models.TextField("précisions sur les frais", blank=True)
    publics_precisions = models.TextField("précisions sur les publics", blank=True)
    conditions_acces = models.TextField("conditions d'accès", blank=True)
    zone_eligibilite = models.JSONField("zone d'éligibilité", default=list, blank=True)
    contact_nom_prenom = models.CharField("contact", max_length=200, blank=True)
    lien_mobilisation = models.URLField("lien de mobilisation", max_length=500, blank=True)
    mobilisation_precisions = models.TextField("précisions sur la mobilisation", blank=True)
    volume_horaire_hebdomadaire = models.FloatField("heures par semaine", null=True, blank=True)
    nombre_semaines = models.PositiveIntegerField("nombre de semaines", null=True, blank=True)
    codes = models.ManyToManyField(
        ReferenceValue, blank=True, related_name="services", verbose_name="valeurs du schéma"
    )

    class Meta:
        verbose_name = "service"
        ordering = ["nom", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "di_id"], name="service_source_id_unique")
        ]
        indexes = [
            models.Index(fields=["departement"]),
            models.Index(fields=["commune"]),
            models.Index(fields=["nom", "id"], name="service_listing_order"),
        ]

    def __str__(self) -> str:
        return f"{self.nom} — {self.structure.nom}"

    @property
    def referral_email(self) -> str:
        return self.courriel or self.structure.courriel


class RegistrationRule(models.TextChoices):
    ANY = "", "Sans condition"
    REQUIRED = "required", "Inscription à la mission locale ou à France Travail requise"
    EXCLUDED = "excluded", "Réservé aux jeunes non inscrits"


class Scheme(TimeStamped):
    """A public programme (dispositif) with its eligibility criteria expressed as data."""

    code = models.SlugField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("sigle", max_length=30)
    description = models.TextField("présentation en français simple")
    legal_basis = models.CharField("référence", max_length=300, blank=True)
    min_age = models.PositiveSmallIntegerField("âge minimum", null=True, blank=True)
    max_age = models.PositiveSmallIntegerField("âge maximum", null=True, blank=True)
    employment_service_registration = models.CharField(
        "inscription au service public de l'emploi",
        max_length=10,
        choices=RegistrationRule.choices,
        blank=True,
        default=RegistrationRule.ANY,
    )
    min_months_without_contact = models.PositiveSmallIntegerField(
        "mois sans contact substantiel avec la mission locale", null=True, blank=True
    )
    departements = models.JSONField(
        "départements de résidence", default=list, blank=True, help_text="Vide : partout."
    )
    statuses = models.JSONField(
        "statuts ouvrant droit",
        default=list,
        blank=True,
        help_text="« ase » (pris en charge par l'ASE), « former_unaccompanied_minor ».",
    )
    incompatible_with = models.ManyToManyField(
        "self", blank=True, symmetrical=True, verbose_name="incompatible avec"
    )
    themes = models.ManyToManyField(
        ReferenceValue,
        blank=True,
        related_name="schemes",
        limit_choices_to={"value_list": ValueList.THEMATIQUE},
        verbose_name="thématiques",
    )
    operators = models.ManyToManyField(
        Structure, blank=True, related_name="schemes", verbose_name="opérateurs sur le territoire"
    )

    class Meta:
        verbose_name = "dispositif"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="scheme_age_range",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def criteria(self) -> rules.Criteria:
        return rules.Criteria(
            min_age=self.min_age,
            max_age=self.max_age,
            employment_service_registration=self.employment_service_registration,
            min_months_without_contact=self.min_months_without_contact,
            departements=tuple(self.departements),
            statuses=tuple(self.statuses),
            incompatible_schemes=tuple(
                (other.code, other.short_name) for other in self.incompatible_with.all()
            ),
        )


class ReferralStatus(models.TextChoices):
    OPEN = "open", "En attente de réponse"
    ACCEPTED = "accepted", "Acceptée"
    REFUSED = "refused", "Refusée"
    EXPIRED = "expired", "Expirée sans réponse"


class RefusalReason(models.TextChoices):
    FULL = "full", "Plus de place ou liste d'attente complète"
    NOT_ELIGIBLE = "not_eligible", "Le jeune ne remplit pas les conditions"
    OUT_OF_AREA = "out_of_area", "Hors de notre secteur"
    NOT_OUR_OFFER = "not_our_offer", "La demande ne correspond pas à notre offre"
    YOUTH_DECLINED = "youth_declined", "Le jeune ne souhaite plus cette orientation"
    OTHER = "other", "Autre motif"


class Referral(YouthData):
    """An orientation sent to a structure's service, with the youth's consent, until answered.

    ``categories`` is what is sent; ``consented_categories`` what the youth agreed to send to
    this structure for this orientation (it must cover the former).
    """

    CATEGORY = None  # the author chooses it

    youth = models.ForeignKey(
        Youth, verbose_name="jeune", on_delete=models.CASCADE, related_name="referrals"
    )
    service = models.ForeignKey(
        Service, verbose_name="service", on_delete=models.PROTECT, related_name="referrals"
    )
    scheme = models.ForeignKey(
        Scheme,
        verbose_name="dispositif",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals",
    )
    category = models.CharField(
        "rubrique du dossier", max_length=30, choices=Category.choices, default=Category.NOTES
    )
    author_organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation émettrice",
        on_delete=models.PROTECT,
        related_name="sent_referrals",
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyée par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    categories = models.JSONField("informations transmises", default=list)
    message = models.TextField("message à la structure")
    consented_categories = models.JSONField("accord du jeune pour", default=list)
    consent_given_by = models.CharField("accord donné par", max_length=10)
    consent_method = models.CharField("accord recueilli par", max_length=20)
    consent_on = models.DateField("accord recueilli le")
    status = models.CharField(
        "état", max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    refusal_reason = models.CharField(
        "motif du refus", max_length=20, choices=RefusalReason.choices, blank=True
    )
    answer_comment = models.TextField("commentaire de la structure", blank=True)
    answered_by = models.CharField("réponse donnée par", max_length=200, blank=True)
    answered_at = models.DateTimeField("répondue le", null=True, blank=True)
    expires_on = models.DateField("sans réponse, expire le")
    reminders_sent = models.PositiveSmallIntegerField("relances envoyées", default=0)
    last_reminder_on = models.DateField("dernière relance le", null=True, blank=True)

    class Meta:
        verbose_name = "orientation"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "expires_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="refused") | ~Q(refusal_reason=""),
                name="referral_refusal_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"Orientation vers {self.service.nom} ({self.get_status_display().lower()})"

    @property
    def category_labels(self) -> list[str]:
        return [Category(c).label for c in self.categories]


# The partners' shared guides, meetings and decisions, and the library beyond a consortium.
from coparcours.directory.models.partners import (  # noqa: E402, F401
    Attendance,
    AttendanceStatus,
    Decision,
    DecisionStatus,
    Guide,
    GuideKind,
    GuidePlacement,
    GuideReach,
    GuideVersion,
    LibraryPublisher,
    Meeting,
    MeetingKind,
    PlacementChoice,
    TerritoryLevel,
    guide_file_path,
)
