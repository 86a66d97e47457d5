"""Which features each person may use: the capability table (docs/access.md).

A capability is decided for one **membership**: a person acting for one organisation, in
one role. The table :data:`CAPABILITIES` says, for every feature, which roles hold it and in
which :class:`~coparcours.organisations.models.Standing` their organisation must be (lead
of a GME, member of a CEJ-JR partnership, funder…). Which consortium, site or youth a
granted person then sees is the business of each feature's selectors; a youth's data is
decided by category in :mod:`.youth_data`.

:func:`may` is a pure question (no query, never audited): menus, links, buttons and the
routes' declarations (:mod:`.routes`) all ask it, so a link is shown exactly when the page
it opens is granted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models

from coparcours.core.access.duties import DUTY_ROLES, Duty
from coparcours.core.access.youth_data import ROLE_RIGHTS, Action, Category
from coparcours.organisations.models import Role, Standing


class Capability(models.TextChoices):
    DIRECTORY = "directory", "Annuaire des services et orientations reçues"
    # Youths' records (what each category shows is decided by the youth-data policy)
    YOUTH_RECORDS = "youth_records", "Dossiers des jeunes accompagnés"
    YOUTH_CREATE = "youth_create", "Création d'un dossier de jeune"
    CASELOAD = "caseload", "Mes jeunes suivis et consentements à renouveler (accueil)"
    NEEDS = "needs", "Besoins sans réponse des jeunes accompagnés"
    # Data protection (the duties on one youth are decided in youth_data)
    DATA_PROTECTION = "data_protection", "Protection des données d'un jeune (journal, export)"
    ERASURE_REQUESTS = "erasure_requests", "Demandes d'effacement"
    AUDIT_SEARCH = "audit_search", "Recherche dans le journal d'audit"
    # GME housing
    HOUSING = "housing", "Hébergement du groupement"
    HOUSING_QUEUE = "housing_queue", "File des demandes, disponibilités et occupation"
    HOUSING_COORDINATION = (
        "housing_coordination",
        "Coordination du groupement : propositions, séjours et sites de tous les membres",
    )
    HOUSING_REQUESTS = "housing_requests", "Demandes de placement"
    HOUSING_REQUEST_FILE = "housing_request_file", "Dépôt d'une demande de placement"
    HOUSING_MEMBER = "housing_member", "Propositions, séjours, sites et prêts d'un membre"
    HOUSING_STAYS = "housing_stays", "Séjours des jeunes hébergés (lecture)"
    HOUSING_WAVES = "housing_waves", "Vagues de places"
    HOUSING_INCIDENTS = "housing_incidents", "Événements graves et fugues (CASF L.331-8-1)"
    HOUSING_INCIDENTS_REPORT = (
        "housing_incidents_report",
        "Signalement d'un événement grave ou d'une fugue par le membre accueillant",
    )
    HOUSING_ROAD_TO_18 = (
        "housing_road_to_18",
        "Vers 18 ans : scolarité, titre de séjour et entretien de préparation",
    )
    # GME money
    FINANCE = "finance", "Finances du groupement"
    FINANCE_INVOICES = "finance_invoices", "Factures et versements"
    FINANCE_MANAGE = "finance_manage", "Facturation, versements et compte administratif"
    FINANCE_BALANCES = "finance_balances", "Import des balances et budgets d'un membre"
    # CEJ-JR
    CEJ = "cej", "Parcours CEJ-JR"
    CEJ_OUTREACH = "cej_outreach", "Repérage et ouverture d'un parcours CEJ-JR"
    CEJ_COMMITTEE = "cej_committee", "Comité d'intégration et « qui fait quoi »"
    CEJ_FOLLOW_UP = "cej_follow_up", "Suivi du lundi"
    CEJ_CASEWORK = "cej_casework", "Mes parcours CEJ-JR à traiter (accueil)"
    CEJ_SETTINGS = "cej_settings", "Paramètres du partenariat CEJ-JR (porteur)"
    CEJ_PROGRAMME = (
        "cej_programme",
        "Programme CEJ-JR : séances collectives, inscriptions et permanences",
    )
    # Orientations from partners who have no account
    ORIENTATIONS = "orientations", "Orientations reçues par la page publique d'un partenariat"
    ORIENTATION_PAGES = (
        "orientation_pages",
        "Page publique d'orientation d'un partenariat : lien, QR code, ouverture",
    )
    # Steering
    REPORTING = "reporting", "Tableaux de bord et copil"
    REPORTING_GME = "reporting_gme", "Tableau de bord du groupement (hébergement)"
    REPORTING_CEJ = "reporting_cej", "Tableau de bord du CEJ-JR"
    REPORTING_FINANCE = "reporting_finance", "Tableau de bord des finances du groupement"
    REPORTING_FUNDER = "reporting_funder", "Tableau de bord du financeur (chiffres masqués)"
    QUALITY = "quality", "Évaluations de la qualité"
    # Partners' shared space and the directory's administration
    PARTNERS = "partners", "Guides, réunions et décisions des partenaires"
    PARTNERS_EDIT = "partners_edit", "Publication des guides, réunions des partenaires"
    DIRECTORY_IMPORT = "directory_import", "Import de l'annuaire"
    LIBRARY_DESIGNATE = (
        "library_designate",
        "Désignation des éditeurs de la bibliothèque partagée du territoire (financeur)",
    )
    # An organisation's own data brought in (docs/bad-input.md, "Imports")
    IMPORT_YOUTHS = "import_youths", "Import des dossiers de jeunes d'une organisation"
    IMPORT_STAYS = "import_stays", "Import des séjours d'un membre du groupement"
    IMPORT_PATHWAYS = "import_pathways", "Import des parcours CEJ-JR du porteur"
    # Setting up without the administration (docs/access.md)
    TEAM = "team", "Équipe de l'organisation : invitations et rôles"
    CONSORTIUM_SETUP = (
        "consortium_setup",
        "Création d'un groupement ou d'un partenariat, ses membres et leurs premières personnes",
    )
    # Administration
    ADMINISTRATION = "administration", "Administration de Coparcours"


@dataclass(frozen=True)
class Holder:
    """Roles holding a capability when their organisation has the standing."""

    roles: frozenset[str]
    standing: str = Standing.ANY


def _holders(*rows: tuple[Iterable[str], str]) -> tuple[Holder, ...]:
    return tuple(Holder(frozenset(roles), standing) for roles, standing in rows)


R = Role
_EVERY_ROLE = frozenset(Role.values)
_CASEWORK = (R.REFERENT, R.COORDINATOR, R.DIRECTOR, R.COUNSELLOR, R.FINANCE_OFFICER)
_WRITERS = (R.REFERENT, R.COORDINATOR, R.DIRECTOR, R.COUNSELLOR)
_HOUSING_STAFF = (R.COORDINATOR, R.DIRECTOR, R.REFERENT)
_CEJ_STAFF = (R.REFERENT, R.COUNSELLOR, R.COORDINATOR, R.DIRECTOR)
_STEERING = (R.COORDINATOR, R.DIRECTOR, R.QUALITY_DIRECTOR)
_EDITORS = (*_STEERING, R.REFERENT, R.COUNSELLOR, R.ADMINISTRATOR)
#: Who answers for all of an organisation's work: its team, its data brought in.
_ORGANISATION_HEADS = (R.COORDINATOR, R.DIRECTOR)
S = Standing
#: Whoever reads a youth's housing data may list the stays of their GME's sites.
_READ_STAYS = tuple(
    role for role, rights in ROLE_RIGHTS.items() if Action.READ in rights.get(Category.HOUSING, ())
)

#: Who reads each steering dashboard; the steering menu opens to whoever reads one.
_GME_BOARD = ((_STEERING, S.GME_MEMBER),)
_CEJ_BOARD = ((_STEERING, S.CEJ_MEMBER),)
_FINANCE_BOARD = (((R.FINANCE_OFFICER, R.DIRECTOR), S.GME_MEMBER), ((R.COORDINATOR,), S.GME_LEAD))
_FUNDER_BOARD = (((R.FUNDER_VIEWER,), S.GME_FUNDER), ((R.FUNDER_VIEWER,), S.CEJ_FUNDER))

#: The defaults: capability → (roles, standing of their organisation), any row granting.
CAPABILITIES: Mapping[str, tuple[Holder, ...]] = {
    Capability.DIRECTORY: _holders((_EVERY_ROLE, S.ANY)),
    Capability.YOUTH_RECORDS: _holders((_CASEWORK, S.ANY)),
    Capability.YOUTH_CREATE: _holders((_WRITERS, S.ANY)),
    Capability.CASELOAD: _holders(((R.REFERENT, R.COUNSELLOR), S.ANY)),
    Capability.NEEDS: _holders((_WRITERS, S.ANY)),
    Capability.DATA_PROTECTION: _holders(
        ((R.REFERENT, R.COORDINATOR, R.DIRECTOR, R.DATA_PROTECTION_OFFICER), S.ANY)
    ),
    Capability.ERASURE_REQUESTS: _holders(
        ((R.REFERENT, R.COORDINATOR, R.DIRECTOR, R.DATA_PROTECTION_OFFICER), S.ANY)
    ),
    Capability.AUDIT_SEARCH: _holders((DUTY_ROLES[Duty.AUDIT_SEARCH], S.ANY)),
    Capability.HOUSING: _holders(
        ((R.COORDINATOR,), S.GME_LEAD),
        (_HOUSING_STAFF, S.GME_MEMBER),
        ((R.FUNDER_VIEWER,), S.GME_FUNDER),
    ),
    Capability.HOUSING_QUEUE: _holders(((R.COORDINATOR,), S.GME_LEAD)),
    Capability.HOUSING_COORDINATION: _holders(((R.COORDINATOR,), S.GME_LEAD)),
    Capability.HOUSING_REQUESTS: _holders(
        ((R.COORDINATOR,), S.GME_LEAD), ((R.FUNDER_VIEWER,), S.GME_FUNDER)
    ),
    Capability.HOUSING_REQUEST_FILE: _holders(((R.FUNDER_VIEWER,), S.GME_FUNDER)),
    Capability.HOUSING_MEMBER: _holders((_HOUSING_STAFF, S.GME_MEMBER)),
    Capability.HOUSING_STAYS: _holders((_READ_STAYS, S.GME_MEMBER)),
    Capability.HOUSING_ROAD_TO_18: _holders(
        ((R.COORDINATOR,), S.GME_LEAD), (_HOUSING_STAFF, S.GME_MEMBER)
    ),
    Capability.HOUSING_WAVES: _holders(
        ((R.COORDINATOR,), S.GME_LEAD), ((R.FUNDER_VIEWER,), S.GME_FUNDER)
    ),
    Capability.HOUSING_INCIDENTS: _holders(
        ((R.COORDINATOR,), S.GME_LEAD),
        (_HOUSING_STAFF, S.GME_MEMBER),
        ((R.FUNDER_VIEWER,), S.GME_FUNDER),
    ),
    Capability.HOUSING_INCIDENTS_REPORT: _holders((_HOUSING_STAFF, S.GME_MEMBER)),
    Capability.FINANCE: _holders(
        ((R.FINANCE_OFFICER, R.DIRECTOR), S.GME_MEMBER), ((R.COORDINATOR,), S.GME_LEAD)
    ),
    Capability.FINANCE_INVOICES: _holders(
        ((R.FINANCE_OFFICER, R.DIRECTOR), S.GME_MEMBER),
        ((R.COORDINATOR,), S.GME_LEAD),
        ((R.FUNDER_VIEWER,), S.GME_FUNDER),
    ),
    Capability.FINANCE_MANAGE: _holders(((R.FINANCE_OFFICER, R.COORDINATOR), S.GME_LEAD)),
    Capability.FINANCE_BALANCES: _holders(((R.FINANCE_OFFICER,), S.GME_MEMBER)),
    Capability.CEJ: _holders((_CEJ_STAFF, S.CEJ_MEMBER)),
    Capability.CEJ_OUTREACH: _holders((_CEJ_STAFF, S.CEJ_LEAD)),
    Capability.CEJ_COMMITTEE: _holders((_CEJ_STAFF, S.CEJ_MEMBER)),
    Capability.CEJ_FOLLOW_UP: _holders((_CEJ_STAFF, S.CEJ_MEMBER)),
    Capability.CEJ_CASEWORK: _holders(((R.REFERENT, R.COUNSELLOR), S.CEJ_MEMBER)),
    Capability.CEJ_PROGRAMME: _holders((_CEJ_STAFF, S.CEJ_MEMBER)),
    Capability.REPORTING: _holders(*_GME_BOARD, *_CEJ_BOARD, *_FINANCE_BOARD, *_FUNDER_BOARD),
    Capability.REPORTING_GME: _holders(*_GME_BOARD),
    Capability.REPORTING_CEJ: _holders(*_CEJ_BOARD),
    Capability.REPORTING_FINANCE: _holders(*_FINANCE_BOARD),
    Capability.REPORTING_FUNDER: _holders(*_FUNDER_BOARD),
    Capability.QUALITY: _holders((_STEERING, S.GME_MEMBER)),
    Capability.PARTNERS: _holders(
        (_EVERY_ROLE, S.GME_MEMBER),
        (_EVERY_ROLE, S.CEJ_MEMBER),
        (_EVERY_ROLE, S.GME_FUNDER),
        (_EVERY_ROLE, S.CEJ_FUNDER),
    ),
    Capability.PARTNERS_EDIT: _holders((_EDITORS, S.GME_MEMBER), (_EDITORS, S.CEJ_MEMBER)),
    Capability.IMPORT_YOUTHS: _holders((_ORGANISATION_HEADS, S.ANY)),
    Capability.IMPORT_STAYS: _holders((_ORGANISATION_HEADS, S.GME_MEMBER)),
    Capability.IMPORT_PATHWAYS: _holders((_ORGANISATION_HEADS, S.CEJ_LEAD)),
    Capability.TEAM: _holders((_ORGANISATION_HEADS, S.ANY)),
    Capability.CONSORTIUM_SETUP: _holders((_ORGANISATION_HEADS, S.ANY)),
    Capability.CEJ_SETTINGS: _holders((_ORGANISATION_HEADS, S.CEJ_LEAD)),
    Capability.LIBRARY_DESIGNATE: _holders(*_FUNDER_BOARD),
    Capability.ORIENTATIONS: _holders(
        ((R.COORDINATOR, R.DIRECTOR, R.REFERENT), S.CEJ_LEAD), ((R.COORDINATOR,), S.GME_LEAD)
    ),
    Capability.ORIENTATION_PAGES: _holders(
        (_ORGANISATION_HEADS, S.CEJ_LEAD),
        ((R.COORDINATOR,), S.GME_LEAD),
        ((R.FUNDER_VIEWER,), S.GME_FUNDER),
    ),
    Capability.DIRECTORY_IMPORT: _holders(((R.COORDINATOR, R.DIRECTOR, R.ADMINISTRATOR), S.ANY)),
    Capability.ADMINISTRATION: _holders(((R.ADMINISTRATOR,), S.ANY)),
}


class ActingMembership(Protocol):
    """A person acting for one organisation in one role (``organisations.Membership``)."""

    role: str
    organisation_id: int

    @property
    def standings(self) -> frozenset[str]: ...

    @property
    def capability_overrides(self) -> Mapping[str, Mapping[str, bool]]: ...


def holds_row(
    role: str, holder: Holder, capability: str, overrides: Mapping[str, Mapping[str, bool]]
) -> bool:
    """Whether the role is among a row's holders once the organisation's exceptions apply:
    a role added (``true``) or withdrawn (``false``) for one capability; the row's standing
    is still checked by the caller."""
    decision = overrides.get(capability, {}).get(role)
    if decision is False:
        return False
    return decision is True or role in holder.roles


def may(
    membership: ActingMembership | None, capability: str, *, standing: str | None = None
) -> bool:
    """Whether the membership holds the capability (pure: no query, not audited): its role
    is in a row of the table, or added by its organisation's exceptions and not withdrawn,
    and its organisation has that row's standing (only the rows of ``standing`` when given:
    as a GME member, say)."""
    if membership is None:
        return False
    standings = membership.standings
    overrides = membership.capability_overrides
    return any(
        holder.standing in standings and holds_row(membership.role, holder, capability, overrides)
        for holder in CAPABILITIES[capability]
        if standing is None or holder.standing == standing
    )


def override_errors(overrides: Any) -> list[str]:
    """What is wrong with an organisation's exceptions, in French (empty when valid)."""
    if not isinstance(overrides, dict):
        return ['Attendu : un objet {"fonctionnalité": {"rôle": true ou false}}.']
    errors = []
    for capability, roles in overrides.items():
        if capability not in CAPABILITIES:
            errors.append(f"Fonctionnalité inconnue : « {capability} ».")
            continue
        if not isinstance(roles, dict):
            errors.append(f'« {capability} » : attendu {{"rôle": true ou false}}.')
            continue
        for role, decision in roles.items():
            if role not in Role.values:
                errors.append(f"« {capability} » : rôle inconnu « {role} ».")
            elif not isinstance(decision, bool):
                errors.append(f"« {capability} », « {role} » : true (ajouté) ou false (retiré).")
    return errors


def roles_holding(capability: str) -> frozenset[str]:
    """Every role that holds the capability with some standing (for a job's bulk query of
    the people to notify; each person's own acts still ask :func:`may`)."""
    return frozenset().union(*(holder.roles for holder in CAPABILITIES[capability]))


def memberships_that_may(memberships: Iterable[Any], capability: str) -> list[Any]:
    """The memberships, among a person's, through which the capability is granted."""
    return [membership for membership in memberships if may(membership, capability)]


class CapabilityMap(Mapping[str, bool]):
    """``can.<capability>`` in templates: the acting membership's capabilities, decided
    when a template asks."""

    def __init__(self, membership: ActingMembership | None):
        self._membership = membership

    def __getitem__(self, capability: str) -> bool:
        if capability not in CAPABILITIES:
            raise KeyError(capability)
        return may(self._membership, capability)

    def __iter__(self):
        return iter(CAPABILITIES)

    def __len__(self) -> int:
        return len(CAPABILITIES)
