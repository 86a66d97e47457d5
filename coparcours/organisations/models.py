"""Organisations, consortia (GME, CEJ-JR partnerships) and the people who work in them."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coparcours.core.models import TimeStamped
from coparcours.core.phones import validate_phone
from coparcours.organisations.validators import validate_departement_code, validate_siret


class OrganisationKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    DEPARTEMENT = "departement", "Département"
    DREETS = "dreets", "DREETS"
    PARTNER = "partner", "Autre partenaire"


class Organisation(TimeStamped):
    kind = models.CharField("type", max_length=20, choices=OrganisationKind.choices)
    name = models.CharField("nom", max_length=200, unique=True)
    siret = models.CharField(
        "SIRET",
        max_length=14,
        blank=True,
        validators=[validate_siret],
        help_text="14 chiffres, sans espace.",
    )
    address = models.CharField("adresse", max_length=300, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    phone = models.CharField(
        "téléphone d'accueil",
        max_length=30,
        blank=True,
        validators=[validate_phone],
        help_text="Montré aux jeunes dans leur espace quand leur interlocuteur n'a pas de "
        "numéro professionnel.",
    )
    departement_code = models.CharField(
        "département", max_length=3, validators=[validate_departement_code]
    )
    capability_overrides = models.JSONField(
        "exceptions aux droits par défaut",
        default=dict,
        blank=True,
        help_text=(
            "Par fonctionnalité, les rôles ajoutés (true) ou retirés (false) pour cette "
            'organisation, par exemple {"housing_queue": {"director": true}}. La position '
            "de l'organisation dans ses groupements reste exigée."
        ),
    )

    class Meta:
        verbose_name = "organisation"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_unique_siret",
                violation_error_message="Une organisation avec ce SIRET existe déjà.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from coparcours.core.access.capabilities import override_errors

        errors = override_errors(self.capability_overrides)
        if errors:
            raise ValidationError({"capability_overrides": errors})


class ConsortiumKind(models.TextChoices):
    GME = "gme", "Groupement momentané d'entreprises (GME)"
    CEJ_JR = "cej_jr", "Partenariat CEJ-JR"


class LiabilityKind(models.TextChoices):
    """Code de la commande publique R.2142-20: joint (conjoint) or several (solidaire)."""

    JOINT = "conjoint", "Conjoint"
    SEVERAL = "solidaire", "Solidaire"


class Consortium(TimeStamped):
    kind = models.CharField("type", max_length=10, choices=ConsortiumKind.choices)
    name = models.CharField("nom", max_length=200, unique=True)
    funder = models.ForeignKey(
        Organisation,
        verbose_name="financeur",
        on_delete=models.PROTECT,
        related_name="funded_consortia",
    )
    liability = models.CharField(
        "solidarité", max_length=10, choices=LiabilityKind.choices, default=LiabilityKind.JOINT
    )
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    renewal_date = models.DateField("date de renouvellement", null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="ConsortiumMember", related_name="consortia"
    )

    class Meta:
        verbose_name = "groupement ou partenariat"
        verbose_name_plural = "groupements et partenariats"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="consortium_end_after_start",
                violation_error_message="La fin doit être postérieure au début.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def lead(self) -> ConsortiumMember | None:
        return next((m for m in self.members.all() if m.is_lead), None)


class ConsortiumMember(TimeStamped):
    consortium = models.ForeignKey(
        Consortium, verbose_name="groupement", on_delete=models.CASCADE, related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="consortium_memberships",
    )
    is_lead = models.BooleanField(
        "mandataire",
        default=False,
        help_text="Membre qui signe, reçoit les fonds et consolide les comptes.",
    )
    joined_on = models.DateField("entrée", null=True, blank=True)
    left_on = models.DateField("sortie", null=True, blank=True)

    class Meta:
        verbose_name = "membre du groupement"
        verbose_name_plural = "membres du groupement"
        ordering = ["-is_lead", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organisation"],
                name="consortium_member_unique",
                violation_error_message="Cette organisation est déjà membre du groupement.",
            ),
            models.UniqueConstraint(
                fields=["consortium"],
                condition=Q(is_lead=True),
                name="consortium_single_lead",
                violation_error_message="Un groupement n'a qu'un seul mandataire.",
            ),
        ]

    def __str__(self) -> str:
        suffix = " (mandataire)" if self.is_lead else ""
        return f"{self.organisation}{suffix}"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinateur·rice"
    DIRECTOR = "director", "Directeur·rice"
    REFERENT = "referent", "Référent·e de parcours"
    COUNSELLOR = "counsellor", "Conseiller·ère (mission locale)"
    FINANCE_OFFICER = "finance_officer", "Responsable financier·ère"
    QUALITY_DIRECTOR = "quality_director", "Directeur·rice qualité"
    FUNDER_VIEWER = "funder_viewer", "Financeur (lecture des agrégats)"
    ADMINISTRATOR = "administrator", "Administrateur·rice"
    DATA_PROTECTION_OFFICER = "dpo", "Délégué·e à la protection des données"


def periods_overlap(
    start_a: datetime.date,
    end_a: datetime.date | None,
    start_b: datetime.date,
    end_b: datetime.date | None,
) -> bool:
    """Whether two half-open periods [start, end) share a day; an end of None is open."""
    return (end_b is None or start_a < end_b) and (end_a is None or start_b < end_a)


DUPLICATE_MEMBERSHIP = "Cette personne a déjà ce rôle dans cette organisation sur cette période."


class Standing(models.TextChoices):
    """Where an organisation stands among the consortia in force: with its members' roles,
    what decides which features they use (``core.access.capabilities``)."""

    ANY = "any", "Toute organisation"
    GME_LEAD = "gme_lead", "Mandataire d'un groupement (GME)"
    GME_MEMBER = "gme_member", "Membre d'un groupement (GME)"
    GME_FUNDER = "gme_funder", "Financeur d'un groupement (GME)"
    CEJ_LEAD = "cej_lead", "Porteur d'un partenariat CEJ-JR"
    CEJ_MEMBER = "cej_member", "Partenaire CEJ-JR (porteur ou mission locale)"
    CEJ_FUNDER = "cej_funder", "Financeur d'un partenariat CEJ-JR"


def _member_of(kind: str, day: datetime.date, *, lead: bool = False) -> models.Exists:
    members = ConsortiumMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day),
        Q(consortium__end_date__isnull=True) | Q(consortium__end_date__gt=day),
        organisation=models.OuterRef("organisation_id"),
        consortium__kind=kind,
    )
    return models.Exists(members.filter(is_lead=True) if lead else members)


def _funder_of(kind: str, day: datetime.date) -> models.Exists:
    return models.Exists(
        Consortium.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day),
            funder=models.OuterRef("organisation_id"),
            kind=kind,
        )
    )


_STANDING_KINDS = {
    Standing.GME_LEAD: ConsortiumKind.GME,
    Standing.GME_MEMBER: ConsortiumKind.GME,
    Standing.GME_FUNDER: ConsortiumKind.GME,
    Standing.CEJ_LEAD: ConsortiumKind.CEJ_JR,
    Standing.CEJ_MEMBER: ConsortiumKind.CEJ_JR,
    Standing.CEJ_FUNDER: ConsortiumKind.CEJ_JR,
}


def consortia_with_standing(
    standing: str, organisation_ids: Iterable[int], day: datetime.date | None = None
) -> Q:
    """The consortia in which one of the organisations has the standing on the day (the
    same definition as :meth:`MembershipQuerySet.with_standings`, seen from the consortium):
    a current member (the lead for ``*_lead``), or its funder; ``any`` is either."""
    day = day or timezone.localdate()
    organisation_ids = list(organisation_ids)
    in_force = Q(end_date__isnull=True) | Q(end_date__gt=day)
    members = ConsortiumMember.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day),
        consortium=models.OuterRef("pk"),
        organisation_id__in=organisation_ids,
    )
    if standing == Standing.ANY:
        return in_force & (models.Exists(members) | Q(funder_id__in=organisation_ids))
    kind = Q(kind=_STANDING_KINDS[standing])
    if standing in (Standing.GME_FUNDER, Standing.CEJ_FUNDER):
        return in_force & kind & Q(funder_id__in=organisation_ids)
    if standing in (Standing.GME_LEAD, Standing.CEJ_LEAD):
        members = members.filter(is_lead=True)
    return in_force & kind & models.Exists(members)


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Memberships in force on a day (periods are half-open: [start, end))."""
        day = on or timezone.localdate()
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )

    def with_standings(self, on: datetime.date | None = None) -> MembershipQuerySet:
        """Each membership's organisation's :class:`Standing` on the day, read in the same
        query (subqueries), so that deciding a capability costs no query."""
        day = on or timezone.localdate()
        return self.annotate(
            **{
                f"_stands_{Standing.GME_LEAD}": _member_of(ConsortiumKind.GME, day, lead=True),
                f"_stands_{Standing.GME_MEMBER}": _member_of(ConsortiumKind.GME, day),
                f"_stands_{Standing.GME_FUNDER}": _funder_of(ConsortiumKind.GME, day),
                f"_stands_{Standing.CEJ_LEAD}": _member_of(ConsortiumKind.CEJ_JR, day, lead=True),
                f"_stands_{Standing.CEJ_MEMBER}": _member_of(ConsortiumKind.CEJ_JR, day),
                f"_stands_{Standing.CEJ_FUNDER}": _funder_of(ConsortiumKind.CEJ_JR, day),
            }
        )


class Membership(TimeStamped):
    """A user's role in an organisation. Ended with a date, never deleted (history, audit)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="utilisateur",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    start_date = models.DateField("début", default=timezone.localdate)
    end_date = models.DateField("fin", null=True, blank=True)
    last_chosen_at = models.DateTimeField(
        "dernier choisi le",
        null=True,
        blank=True,
        editable=False,
        help_text="La personne reprend la prochaine fois le dernier rattachement choisi.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        ordering = ["organisation__name", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="membership_end_after_start",
                violation_error_message="La fin du rattachement doit suivre son début.",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=Q(end_date__isnull=True),
                name="membership_single_open",
                violation_error_message=("Cette personne a déjà ce rôle dans cette organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"

    def clean(self) -> None:
        """Refuse a second membership with the same role overlapping this one's period."""
        if not (self.user_id and self.organisation_id and self.role and self.start_date):
            return
        if self.end_date is not None and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "La fin du rattachement doit suivre son début."})
        overlapping = Membership.objects.filter(
            user_id=self.user_id, organisation_id=self.organisation_id, role=self.role
        ).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end_date__isnull=True) | Q(end_date__gt=self.start_date))
        if self.end_date is not None:
            overlapping = overlapping.filter(start_date__lt=self.end_date)
        if overlapping.exists():
            raise ValidationError(DUPLICATE_MEMBERSHIP, code="duplicate_membership")

    @property
    def capability_overrides(self) -> dict[str, dict[str, bool]]:
        """The organisation's exceptions to the capability table (docs/access.md)."""
        return self.organisation.capability_overrides or {}

    @property
    def standings(self) -> frozenset[str]:
        """The organisation's :class:`Standing` today (read by ``with_standings``, or here)."""
        if not hasattr(self, f"_stands_{Standing.GME_LEAD}"):
            loaded = Membership.objects.with_standings().get(pk=self.pk)
            self.__dict__.update(
                {k: v for k, v in loaded.__dict__.items() if k.startswith("_stands_")}
            )
        return frozenset(
            {Standing.ANY}
            | {
                standing
                for standing in Standing.values
                if getattr(self, f"_stands_{standing}", False)
            }
        )

    def is_active(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.start_date <= day and (self.end_date is None or day < self.end_date)


class InvitationQuerySet(models.QuerySet):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class Invitation(TimeStamped):
    """A person invited by e-mail to join an organisation in a role
    (``organisations.invitations``). Only the SHA-256 of its link's secret is kept."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name="organisation",
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    email = models.EmailField("adresse électronique")
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="invité·e par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField("valable jusqu'au")
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="acceptée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "invitation"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email", "role"],
                condition=Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_single_pending",
                violation_error_message="Cette personne est déjà invitée à ce rôle.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} à {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()
