"""The access policy of a young person's data, by category (docs/access.md).

Professional secrecy (Code pénal 226-13; CASF L.226-2-2 and L.121-6-2) is decided here and
nowhere else. Pure questions, never audited, for links and buttons: :func:`decide`,
:func:`may_access`, :func:`writable_categories`. Audited acts, once, where data is read or
written: :func:`visible_youths` (lists), :func:`check` (one access; ``PermissionDenied``
when refused) and :func:`check_categories` (a record page). :func:`guard` is the gate of a
page that only leads to an act (an empty form): its refusal is audited, its grant is not.

A membership in organisation O with role R grants when all of these hold:

1. O accompanies the youth today (owner, co-accompaniment, CEJ-JR partner, hosting stay,
   GME coordination of a hosted youth);
2. R's default rights (:data:`ROLE_RIGHTS`) include the category and the action;
3. the data was authored by O, or the category is identity, or an active share names O
   and covers the category: the youth's consent, or a recorded legal-basis share, which
   never covers health or mental health.

A youth record takes part by implementing :class:`AccompaniedRecord` (its facts on a day)
and its queryset by implementing :class:`AccompaniedQuerySet`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone

from coparcours.core.audit import entry, record, record_listing, record_many, record_refusal
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Membership, Organisation, Role


class Category(models.TextChoices):
    IDENTITY = "identity", "Identité"
    CONTACT = "contact", "Coordonnées"
    HOUSING = "housing", "Hébergement"
    EDUCATION_EMPLOYMENT = "education_employment", "Scolarité, formation et emploi"
    HEALTH = "health", "Santé"
    MENTAL_HEALTH = "mental_health", "Santé mentale"
    JUSTICE = "justice", "Justice"
    ADMIN_DOCUMENTS = "admin_documents", "Documents administratifs"
    NOTES = "notes", "Notes libres"


class Action(models.TextChoices):
    READ = "read", "Lecture"
    WRITE = "write", "Écriture"


class Relation(models.TextChoices):
    """How an organisation accompanies a youth (condition 1)."""

    OWNER = "owner", "Organisation référente"
    CO_ACCOMPANIMENT = "co_accompaniment", "Co-accompagnement"
    CEJ_PARTNER = "cej_partner", "Partenaire CEJ-JR"
    HOSTING = "hosting", "Hébergement"
    GME_COORDINATION = "gme_coordination", "Coordination du groupement"


class ShareBasis(models.TextChoices):
    CONSENT = "consent", "Consentement du jeune"
    LEGAL = "legal", "Secret professionnel partagé (CASF L.226-2-2, L.121-6-2)"


# Never shared on a legal basis: only the youth's explicit consent opens them.
CONSENT_ONLY_CATEGORIES = frozenset({Category.HEALTH, Category.MENTAL_HEALTH})

_RW = frozenset({Action.READ, Action.WRITE})
_R = frozenset({Action.READ})


def _all(actions: frozenset[str]) -> dict[str, frozenset[str]]:
    return {category: actions for category in Category.values}


#: Default rights of each role inside an accompanying organisation. A missing category
#: means never, even with consent. Quality directors, funders and administrators see
#: aggregates only (administrators may use :func:`break_glass_read`).
ROLE_RIGHTS: Mapping[str, Mapping[str, frozenset[str]]] = {
    Role.REFERENT: _all(_RW),
    Role.COORDINATOR: _all(_RW),
    Role.DIRECTOR: _all(_RW),
    Role.COUNSELLOR: {
        Category.IDENTITY: _RW,
        Category.CONTACT: _RW,
        Category.HOUSING: _R,
        Category.EDUCATION_EMPLOYMENT: _RW,
        Category.ADMIN_DOCUMENTS: _RW,
        Category.NOTES: _RW,
    },
    Role.FINANCE_OFFICER: {Category.IDENTITY: _R, Category.HOUSING: _R},
    Role.QUALITY_DIRECTOR: {},
    Role.FUNDER_VIEWER: {},
    Role.ADMINISTRATOR: {},
    Role.DATA_PROTECTION_OFFICER: {},  # no casework: see DUTY_ROLES and EXPORT_RIGHTS
}

#: Roles that see individual records at all (everyone else sees aggregates only).
CASEWORK_ROLES = frozenset(role for role, rights in ROLE_RIGHTS.items() if rights)


#: A grant over every author's data in a category (identity, the coordination's housing).
EVERY_AUTHOR = None


@dataclass(frozen=True)
class Share:
    """A category of a youth's data opened to an organisation, on a given basis.

    ``opened_by`` is the organisation whose data the share opens: the one that recorded
    it, since professional secrecy binds each organisation for its own data (Code pénal
    226-13) and none lifts it for another. A recorded consent always names it;
    :data:`EVERY_AUTHOR` is for shares the policy states itself."""

    organisation_id: int
    category: str
    basis: str = ShareBasis.CONSENT
    opened_by: int | None = EVERY_AUTHOR


@dataclass(frozen=True)
class AccessFacts:
    """What the policy needs to know about one youth on one day."""

    relations: Mapping[int, frozenset[str]] = field(default_factory=dict)
    shares: frozenset[Share] = frozenset()

    def opened_authors(self, organisation_id: int, category: str) -> frozenset[int] | None:
        """Whose data in the category is opened to the organisation beyond its own: the
        organisations that shared it (:data:`EVERY_AUTHOR` when every author's is)."""
        if category == Category.IDENTITY:
            return EVERY_AUTHOR  # who the youth is, for everyone accompanying them
        if Relation.GME_COORDINATION in self.relations.get(organisation_id, ()) and (
            category == Category.HOUSING
        ):
            return EVERY_AUTHOR  # the placement is the legal basis of the coordination
        opened: set[int] = set()
        for share in self.shares:
            if (
                share.organisation_id == organisation_id
                and share.category == category
                and (share.basis == ShareBasis.CONSENT or category not in CONSENT_ONLY_CATEGORIES)
            ):
                if share.opened_by is EVERY_AUTHOR:
                    return EVERY_AUTHOR
                opened.add(share.opened_by)
        return frozenset(opened)


class AccompaniedRecord(Protocol):
    pk: Any

    def access_facts(self, on: datetime.date) -> AccessFacts: ...


Q = TypeVar("Q", bound=models.QuerySet)


class AccompaniedQuerySet(Protocol):
    def accompanied_by(
        self: Q, organisation_ids: Iterable[int], on: datetime.date, few_rows: bool = False
    ) -> Q: ...

    def accompanied_ids(
        self, organisation_ids: Iterable[int], on: datetime.date
    ) -> models.QuerySet: ...

    def owners_of_accompanied(
        self, organisation_ids: Iterable[int], on: datetime.date
    ) -> models.QuerySet: ...


@dataclass(frozen=True)
class Grant:
    """A granted access: the organisation's own data, and the data of the organisations in
    ``opened_by`` (:data:`EVERY_AUTHOR`: everyone's)."""

    organisation_id: int
    role: str
    opened_by: frozenset[int] | None = frozenset()

    @property
    def all_authors(self) -> bool:
        """Whether every author's data shows (not only the organisation's own and shared)."""
        return self.opened_by is EVERY_AUTHOR

    def covers_author(self, author_organisation_id: int | None) -> bool:
        return (
            self.opened_by is EVERY_AUTHOR
            or author_organisation_id == self.organisation_id
            or author_organisation_id in self.opened_by
        )


def decide(
    memberships: Iterable[tuple[int, str]],
    facts: AccessFacts,
    category: str,
    action: str,
    author_organisation_id: int | None = None,
    rights: Mapping[str, Mapping[str, frozenset[str]]] = ROLE_RIGHTS,
) -> Grant | None:
    """The pure decision: the best grant among the memberships, or ``None``.

    With ``author_organisation_id`` the question is about one piece of data; without it,
    about the category as a whole, and the grant says whether other organisations' data in
    that category is visible (``all_authors``) or only the organisation's own. ``rights``
    replaces the roles' default rights for a workflow (:data:`EXPORT_RIGHTS`).
    """
    best: Grant | None = None
    for organisation_id, role in memberships:
        if not facts.relations.get(organisation_id):
            continue  # condition 1: the organisation does not accompany the youth
        if action not in rights.get(role, {}).get(category, frozenset()):
            continue  # condition 2: the role never has this right
        grant = Grant(organisation_id, role, facts.opened_authors(organisation_id, category))
        if author_organisation_id is not None and not grant.covers_author(author_organisation_id):
            continue  # condition 3: someone else's data, without their consent or legal basis
        if grant.all_authors:
            return grant
        if best is None or len(grant.opened_by) > len(best.opened_by):
            best = grant
    return best


def active_memberships(user: Any, on: datetime.date | None = None) -> list[tuple[int, str]]:
    """(organisation id, role) of the user's memberships in force on the day."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _memberships_key(on), None)
    if cached is None:
        cached = list(
            Membership.objects.active(on).filter(user=user).values_list("organisation_id", "role")
        )
        setattr(user, _memberships_key(on), cached)
    return cached


def remember_active_memberships(user: Any, memberships: list[Membership]) -> None:
    """Give ``active_memberships`` today's memberships already loaded for this request's
    user (organisations.middleware), so the policy does not query them again; their
    organisations name the audit lines of the accesses they grant."""
    setattr(user, _memberships_key(None), [(m.organisation_id, m.role) for m in memberships])
    setattr(user, _ORGANISATIONS_KEY, {m.organisation_id: m.organisation for m in memberships})


def _memberships_key(on: datetime.date | None) -> str:
    return f"_coparcours_memberships_{on or timezone.localdate()}"


_ORGANISATIONS_KEY = "_coparcours_membership_organisations"


def _organisations_named(user: Any, organisation_ids: set[int]) -> dict[int, Organisation]:
    """The organisations (id and name) that grant the user's accesses, for their audit lines:
    those of the memberships already loaded for the request, otherwise one query."""
    known = getattr(user, _ORGANISATIONS_KEY, {})
    if organisation_ids <= known.keys():
        return {pk: known[pk] for pk in organisation_ids}
    return Organisation.objects.only("id", "name").in_bulk(organisation_ids)


def _organisation_label(user: Any, organisation_id: int | None) -> Organisation | None:
    if organisation_id is None:
        return None
    return _organisations_named(user, {organisation_id}).get(organisation_id)


def _decision(
    user: Any,
    youth: AccompaniedRecord,
    category: str,
    action: str,
    author_organisation_id: int | None,
    within_organisation_id: int | None,
) -> Grant | None:
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    if within_organisation_id is not None:
        memberships = [m for m in memberships if m[0] == within_organisation_id]
    return decide(memberships, youth.access_facts(day), category, action, author_organisation_id)


def _refuse(user: Any, youth: AccompaniedRecord, category: str, action: str, obj: Any) -> NoReturn:
    record_refusal(
        user,
        youth_id=youth.pk,
        category=category,
        obj=obj,
        reason=f"{Action(action).label} refusée",
    )
    raise PermissionDenied(
        "Vous n'avez pas accès à ces informations : le secret professionnel les protège."
    )


def may_access(
    user: Any,
    youth: AccompaniedRecord,
    category: str,
    action: str = Action.READ,
    *,
    author_organisation_id: int | None = None,
    within_organisation_id: int | None = None,
) -> bool:
    """The pure question behind :func:`check`, for links and buttons: never audited."""
    return (
        _decision(user, youth, category, action, author_organisation_id, within_organisation_id)
        is not None
    )


def guard(
    user: Any,
    youth: AccompaniedRecord,
    category: str,
    action: str = Action.READ,
    *,
    author_organisation_id: int | None = None,
    obj: Any = None,
    within_organisation_id: int | None = None,
) -> Grant:
    """The gate of a page that only *leads* to an act (an empty form): a refusal is raised
    and audited like :func:`check`'s, a grant writes nothing, because nothing is read or
    written yet; the act itself (the save) calls :func:`check` and writes its one line."""
    grant = _decision(user, youth, category, action, author_organisation_id, within_organisation_id)
    if grant is None:
        _refuse(user, youth, category, action, obj)
    return grant


def check(
    user: Any,
    youth: AccompaniedRecord,
    category: str,
    action: str = Action.READ,
    *,
    author_organisation_id: int | None = None,
    obj: Any = None,
    within_organisation_id: int | None = None,
    reason: str = "",
) -> Grant:
    """The audited act: grant one access where data is actually read or written, or raise
    ``PermissionDenied``; both outcomes are written to the audit log, once.

    ``within_organisation_id`` restricts the decision to the user's memberships in one
    organisation: the one they act for (authorship, decisions reserved to the owner).
    ``reason`` says how, where the act is not an ordinary page's (an import).
    """
    grant = _decision(user, youth, category, action, author_organisation_id, within_organisation_id)
    if grant is None:
        _refuse(user, youth, category, action, obj)
    record(
        user,
        AuditEvent.WRITE if action == Action.WRITE else AuditEvent.READ,
        organisation=_organisation_label(user, grant.organisation_id),
        youth_id=youth.pk,
        category=category,
        obj=obj,
        reason=reason,
    )
    return grant


def check_categories(
    user: Any,
    youth: AccompaniedRecord,
    categories: Iterable[str],
    action: str = Action.READ,
    *,
    rights: Mapping[str, Mapping[str, frozenset[str]]] = ROLE_RIGHTS,
    reason: str = "",
) -> dict[str, Grant | None]:
    """Decide several categories at once (a record page): no exception, each one audited.

    ``rights`` and ``reason`` serve a workflow such as an export (:data:`EXPORT_RIGHTS`).
    """
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    facts = youth.access_facts(day)
    grants = {
        category: decide(memberships, facts, category, action, rights=rights)
        for category in categories
    }
    granted_ids = {grant.organisation_id for grant in grants.values() if grant}
    organisations = _organisations_named(user, granted_ids)
    event = AuditEvent.WRITE if action == Action.WRITE else AuditEvent.READ
    record_many(
        [
            entry(
                user,
                event,
                organisation=organisations[grant.organisation_id],
                youth_id=youth.pk,
                category=category,
                reason=reason,
            )
            if grant
            else entry(
                user,
                AuditEvent.DENIED,
                youth_id=youth.pk,
                category=category,
                reason=f"{reason} : {Action(action).label.lower()} refusée"
                if reason
                else f"{Action(action).label} refusée",
            )
            for category, grant in grants.items()
        ]
    )
    return grants


def writable_categories(user: Any, youth: AccompaniedRecord) -> frozenset[str]:
    """The categories of the youth's record the user may write (pure: for edit links and
    buttons; the write itself is decided and audited by :func:`check`)."""
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    facts = youth.access_facts(day)
    return frozenset(
        category
        for category in Category.values
        if decide(memberships, facts, category, Action.WRITE) is not None
    )


def _listing_organisations(user: Any, day: datetime.date, *, audited: bool = True) -> list[int]:
    """The organisations whose accompanied youths the user may list (roles that handle
    individual records); the listing itself is audited, once per request."""
    if audited and getattr(user, "is_authenticated", False):
        record_listing(user, category=Category.IDENTITY)
    return sorted(
        {org_id for org_id, role in active_memberships(user, day) if role in CASEWORK_ROLES}
    )


def visible_youths(user: Any, youths: Q, *, few_rows: bool = False, lookup: bool = False) -> Q:
    """Restrict a youth queryset to the youths accompanied by the user's organisations.

    Only roles that handle individual records count; the listing itself is audited once.
    ``few_rows``: the query is narrowed to a few ids (one record, a duplicate check), so
    the condition is written for them rather than for a list. ``lookup``: one record is
    looked up by its id before a page decides on it (no listing line: what the page then
    reads or writes is audited by ``check``, and an empty form writes nothing).
    """
    day = timezone.localdate()
    organisation_ids = _listing_organisations(user, day, audited=not lookup)
    if not organisation_ids:
        return youths.none()
    return youths.accompanied_by(organisation_ids, day, few_rows=few_rows)


def visible_youth_owners(user: Any, youths: Q) -> models.QuerySet[Organisation]:
    """The organisations owning at least one of the youths :func:`visible_youths` lists (a
    filter's choices), found without reading those youths: a director of a large
    association lists thousands. The listing is audited as by :func:`visible_youths`."""
    day = timezone.localdate()
    organisation_ids = _listing_organisations(user, day)
    if not organisation_ids:
        return Organisation.objects.none()
    return youths.owners_of_accompanied(organisation_ids, day)


def visible_youth_data(
    user: Any, rows: Q, youth_field: str = "youth", *, few_rows: bool = False
) -> Q:
    """Restrict a queryset of youths' data (stays, pathways…) to the rows of the active
    youths accompanied by the user's organisations: the rule of :func:`visible_youths`,
    written on the rows' youth id (``youth_id IN (owned UNION assigned)``) and the joined
    youth's anonymisation, so that PostgreSQL reads no youth it does not need (49 → 16 ms
    for a coordinator of 100 GMEs, docs/scaling.md). Each row's data still needs the
    policy's decision for its category and author.

    ``few_rows``: the rows are already narrowed to a few youths (the coming majorities of
    one GME), so the accompanied ids are looked for among those youths only."""
    day = timezone.localdate()
    organisation_ids = _listing_organisations(user, day)
    if not organisation_ids:
        return rows.none()
    youths = rows.model._meta.get_field(youth_field).related_model.objects
    return rows.filter(
        **{
            f"{youth_field}__anonymised_at__isnull": True,
            f"{youth_field}__in": youths.accompanied_ids(
                organisation_ids, day, among=rows.values(youth_field) if few_rows else None
            ),
        }
    )


def break_glass_read(user: Any, youth: AccompaniedRecord, category: str, reason: str) -> None:
    """An administrator's exceptional read, allowed only with a written reason, always audited."""
    reason = reason.strip()
    administered = [org for org, role in active_memberships(user) if role == Role.ADMINISTRATOR]
    if not administered or len(reason) < 15:
        record_refusal(user, youth_id=youth.pk, category=category, reason=reason)
        raise PermissionDenied(
            "Un accès exceptionnel est réservé aux administrateurs et exige un motif écrit "
            "(15 caractères au moins)."
        )
    record(
        user,
        AuditEvent.BREAK_GLASS,
        organisation=_organisation_label(user, administered[0]),
        youth_id=youth.pk,
        category=category,
        reason=reason,
    )
