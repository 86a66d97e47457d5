"""The youth's own page, reached by a one-time link a partner of the pathway creates.

The page is read without a login, so it shows no more than the link's creator may read
today (Code pénal 226-13; CASF L.226-2-2): each appointment, action and hour is decided
by the access policy for the creator, with its category and its author organisation. A
counsellor's link never shows a care appointment's nature nor a health action. Each
reading is written to the youth's access log, naming the creator (docs/decisions.md, 17).

The same session shows the youth the shares of their record in force (``shares_of``),
which they may withdraw from their own space (``views.youth_space``).
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from coparcours.accounts.models import hash_token
from coparcours.cej import rules
from coparcours.cej.models import ActionPlan, Pathway, PlanAction, YouthLink
from coparcours.cej.models.plan import ActionStatus
from coparcours.cej.rules import Stage
from coparcours.cej.selectors import PlannedActivity
from coparcours.cej.services.hours import (
    WeekHours,
    fold_minutes,
    week_hours,
    weekly_minutes_by_author,
)
from coparcours.cej.services.plan import partners_of
from coparcours.cej.youth_contacts import Contact, contacts_of
from coparcours.core.access import (
    AccessFacts,
    Action,
    Category,
    Grant,
    SharedAct,
    active_memberships,
    check,
    decide,
    member_organisation,
    require_act,
)
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.youths.models import Consent, Youth

EE = Category.EDUCATION_EMPLOYMENT

#: Days a link to the youth's own page stays valid before it is opened.
YOUTH_LINK_DAYS = 7
#: Wrong answers (date of birth or code) a link bears before it is locked and its creator
#: told.
MAX_BIRTH_DATE_TRIES = 5
#: The second factors, in the access log's words.
FACTOR_WORDS = {
    "birth_date": "date de naissance erronée",
    "pin": "code erroné",
    "new_pin": "code erroné",
}
#: How long the youth's space stays open once a link is used.
YOUTH_SESSION_SECONDS = 2 * 60 * 60
#: The session of a youth who opened their link: their pathway, and the link itself (its
#: creator's rights decide what the page shows).
YOUTH_SESSION_KEY = "cej_youth_pathway"
YOUTH_LINK_SESSION_KEY = "cej_youth_link"


def pending_link(pathway: Pathway) -> YouthLink | None:
    """The link of the pathway still valid: not used yet, not locked and not expired."""
    return (
        pathway.youth_links.filter(still_valid(timezone.now()))
        .select_related("created_by")
        .order_by("-created_at")
        .first()
    )


def replacement_warning(link: YouthLink) -> str:
    """Why a new link needs confirmation: the one still valid will stop working."""
    created = timezone.localtime(link.created_at)
    expires = timezone.localtime(link.expires_at)
    creator = link.created_by or "une personne qui n'a plus de compte"
    return (
        f"Un lien créé le {created:%d/%m/%Y à %H:%M} par {creator} est encore valable "
        f"jusqu'au {expires:%d/%m/%Y à %H:%M}. Si vous créez un nouveau lien, l'ancien ne "
        "fonctionnera plus : le jeune devra utiliser le nouveau."
    )


class LinkStillValid(ValidationError):
    """Another link of the pathway is still valid: replacing it needs confirmation."""

    def __init__(self, link: YouthLink) -> None:
        super().__init__(replacement_warning(link))
        self.link = link


def require_link_giver(user: Any, organisation: Organisation, pathway: Pathway) -> None:
    """Who gives or closes the youth's access: the side of the pathway that holds the act
    (core.access.sides), writing its education-and-employment data (audited)."""
    organisation = member_organisation(user, organisation)
    require_act(organisation.pk, pathway, SharedAct.YOUTH_LINK)
    check(
        user,
        pathway.youth,
        EE,
        Action.WRITE,
        author_organisation_id=organisation.pk,
        within_organisation_id=organisation.pk,
    )


def still_valid(now: datetime.datetime) -> Q:
    """The links that would still open at ``now``: unused, neither locked nor closed, before
    they expire."""
    return Q(
        used_at__isnull=True, locked_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
    )


def _giving_access(now: datetime.datetime) -> Q:
    """The links that let the youth in at ``now``: still valid, or used within the
    session's length and not closed since (their space may be open)."""
    return still_valid(now) | Q(
        revoked_at__isnull=True,
        used_at__gt=now - datetime.timedelta(seconds=YOUTH_SESSION_SECONDS),
    )


@transaction.atomic
def create_youth_link(
    user: Any, organisation: Organisation, pathway: Pathway, *, replace: bool = False
) -> str:
    """A one-time link to the youth's own page, expiring after ``YOUTH_LINK_DAYS`` days.

    A link still valid is never cancelled silently: without ``replace`` (the user confirmed
    that the other link will stop working) :class:`LinkStillValid` says so."""
    require_link_giver(user, organisation, pathway)
    if pathway.stage == Stage.EXIT:
        raise ValidationError("Le parcours est terminé.")
    Pathway.objects.select_for_update().filter(pk=pathway.pk).first()  # serialise the check
    pending = pending_link(pathway)
    if pending is not None and not replace:
        raise LinkStillValid(pending)
    now = timezone.now()
    pathway.youth_links.filter(still_valid(now)).update(expires_at=now)
    raw = secrets.token_urlsafe(24)
    YouthLink.objects.create(
        pathway=pathway,
        token_hash=hash_token(raw),
        expires_at=now + datetime.timedelta(days=YOUTH_LINK_DAYS),
        created_by=user,
    )
    return raw


def youth_access(pathway: Pathway) -> YouthLink | None:
    """The link through which the youth may reach their space now: valid and unused, or
    used within the last :data:`YOUTH_SESSION_SECONDS` (their space may be open)."""
    now = timezone.now()
    return (
        pathway.youth_links.filter(_giving_access(now))
        .select_related("created_by")
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def close_youth_access(user: Any, organisation: Organisation, pathway: Pathway) -> int:
    """Close the youth's access at once (a phone lost, a link sent to the wrong number): the
    valid link stops working and the space opened with a recent one closes at its next
    page. Decided as creating a link is, and audited; returns the links closed."""
    require_link_giver(user, organisation, pathway)
    now = timezone.now()
    return pathway.youth_links.filter(_giving_access(now)).update(revoked_at=now, updated_at=now)


@transaction.atomic
def reset_youth_pin(user: Any, organisation: Organisation, pathway: Pathway) -> bool:
    """Erase the code a youth chose (forgotten, or known by someone else): they choose a new
    one at their next opening. Decided as giving a link is, and audited."""
    require_link_giver(user, organisation, pathway)
    youth = pathway.youth
    if not youth.space_pin:
        return False
    youth.space_pin = ""
    youth.save(update_fields=["space_pin", "updated_at"])
    record(
        user,
        AuditEvent.WRITE,
        organisation=organisation,
        youth_id=youth.pk,
        obj=pathway,
        reason="Code de l'espace du jeune effacé : il en choisira un autre",
    )
    return True


def _usable_link(raw: str, *, for_update: bool) -> YouthLink | None:
    """The link of this token if it still opens: unused, not locked, before it expires,
    for a pathway still open."""
    links = YouthLink.objects.select_for_update(of=("self",)) if for_update else YouthLink.objects
    link = (
        links.select_related("pathway__youth", "created_by")
        .filter(still_valid(timezone.now()), token_hash=hash_token(raw))
        .first()
    )
    if link is None or link.pathway.stage == Stage.EXIT:
        return None
    return link


def youth_link_opens(raw: str) -> bool:
    """Whether the link would open, without using it: its page asks the youth to tap
    « Ouvrir mon espace », since a messaging app's preview fetches the address first."""
    return _usable_link(raw, for_update=False) is not None


class SecondFactor:
    """What the youth is asked before their space opens: their date of birth when it is
    recorded, else the code they chose, else (the first opening) a code to choose."""

    BIRTH_DATE = "birth_date"
    PIN = "pin"
    NEW_PIN = "new_pin"


def second_factor(youth: Youth) -> str:
    if youth.birth_date is not None:
        return SecondFactor.BIRTH_DATE
    return SecondFactor.PIN if youth.space_pin else SecondFactor.NEW_PIN


def opening_factor(raw: str) -> str | None:
    """The second factor the link's page asks for, without using the link; ``None`` when
    the link would not open."""
    link = _usable_link(raw, for_update=False)
    return None if link is None else second_factor(link.pathway.youth)


def _answered(youth: Youth, answer: str | datetime.date | None) -> bool:
    """Whether the answer is the youth's second factor (a new code is always accepted)."""
    factor = second_factor(youth)
    if factor == SecondFactor.BIRTH_DATE:
        return answer == youth.birth_date
    if factor == SecondFactor.PIN:
        return isinstance(answer, str) and check_password(answer, youth.space_pin)
    return isinstance(answer, str) and bool(answer)


@dataclass(frozen=True)
class Opening:
    """What tapping « Ouvrir mon espace » gave: the link used (the space opens), or a wrong
    date of birth with the tries left (none: the link is locked), or ``gone`` (used,
    expired, locked or its pathway ended)."""

    link: YouthLink | None = None
    tries_left: int = 0
    gone: bool = False


@transaction.atomic
def use_youth_link(raw: str, answer: str | datetime.date | None) -> Opening:
    """Consume a link once the youth gave their second factor (:func:`second_factor`: their
    date of birth, their code, or the code they choose at their first opening): valid
    once, before it expires, for a pathway still open (the row is locked until the link is
    marked used, so two taps never both open). A wrong answer is counted and audited as a
    refusal; the :data:`MAX_BIRTH_DATE_TRIES`-th locks the link and tells its creator."""
    link = _usable_link(raw, for_update=True)
    if link is None:
        return Opening(gone=True)
    now = timezone.now()
    youth = link.pathway.youth
    factor = second_factor(youth)
    if not _answered(youth, answer):
        link.failed_attempts += 1
        locked = link.failed_attempts >= MAX_BIRTH_DATE_TRIES
        link.locked_at = now if locked else None
        link.save(update_fields=["failed_attempts", "locked_at", "updated_at"])
        record(
            None,
            AuditEvent.DENIED,
            youth_id=youth.pk,
            obj=link.pathway,
            reason=f"Page du jeune : {FACTOR_WORDS[factor]} ({link.failed_attempts} sur "
            f"{MAX_BIRTH_DATE_TRIES}{', lien bloqué' if locked else ''})",
        )
        if locked:
            transaction.on_commit(lambda: _tell_creator_locked(link))
        return Opening(tries_left=MAX_BIRTH_DATE_TRIES - link.failed_attempts)
    if factor == SecondFactor.NEW_PIN:
        youth.space_pin = make_password(str(answer))
        youth.save(update_fields=["space_pin", "updated_at"])
        record(
            None,
            AuditEvent.WRITE,
            organisation=youth.owner_organisation,
            youth_id=youth.pk,
            obj=youth,
            reason="Le jeune choisit le code de son espace",
        )
    link.used_at = now
    link.save(update_fields=["used_at", "updated_at"])
    record(
        None,
        AuditEvent.READ,
        youth_id=youth.pk,
        obj=link.pathway,
        reason=f"Le jeune ouvre sa page personnelle (lien à usage unique créé par "
        f"{link.created_by or 'un compte supprimé'})",
    )
    return Opening(link=link)


def _tell_creator_locked(link: YouthLink) -> None:
    """The link's creator learns that it was locked, without the youth's name (an e-mail
    leaves the service): the pathway's address says whose it is to those who may open it."""
    if link.created_by is None or not link.created_by.email:
        return
    address = reverse("cej:accompaniment", args=[link.pathway_id])
    send_mail(
        "Coparcours : un lien vers l'espace d'un jeune a été bloqué",
        f"Le lien que vous avez créé le {timezone.localtime(link.created_at):%d/%m/%Y} "
        f"a été bloqué après {MAX_BIRTH_DATE_TRIES} essais erronés. Si le "
        f"jeune a besoin de son espace, créez-lui un nouveau lien depuis son parcours : "
        f"{settings.SITE_URL.rstrip('/')}{address}",
        None,
        [link.created_by.email],
    )


def link_of_session(pathway_id: int, link_id: int | None) -> YouthLink | None:
    """The link that opened a youth's session: the one named, else (a session opened
    before links were remembered) the pathway's link used last."""
    links = YouthLink.objects.filter(
        pathway_id=pathway_id, used_at__isnull=False, revoked_at__isnull=True
    )
    if link_id is not None:
        links = links.filter(pk=link_id)
    return (
        links.select_related(
            "created_by",
            "pathway__youth__owner_organisation",
            "pathway__partnership__cej_settings",
            "pathway__author_organisation",
            "pathway__mission_locale",
            "pathway__referent",
            "pathway__counsellor",
        )
        .order_by("-used_at")
        .first()
    )


@dataclass(frozen=True)
class _Reader:
    """The link's creator, as the policy sees them today."""

    memberships: list[tuple[int, str]]
    facts: AccessFacts

    def grant(self, category: str, author_organisation_id: int) -> Grant | None:
        return decide(
            self.memberships,
            self.facts,
            category,
            Action.READ,
            author_organisation_id=author_organisation_id,
        )

    def reads(self, category: str, author_organisation_id: int) -> bool:
        return self.grant(category, author_organisation_id) is not None


@dataclass
class YouthPage:
    """What the youth's page shows: only what the link's creator may read."""

    pathway: Pathway
    week: datetime.date
    hours: WeekHours
    contacts: list[Contact] = field(default_factory=list)
    appointments: list[PlannedActivity] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)


def reader_of(link: YouthLink, day: datetime.date) -> _Reader:
    """The link's creator as the policy sees them on ``day``: what the youth's page shows."""
    creator = link.created_by
    return _Reader(
        active_memberships(creator, day) if creator is not None else [],
        link.pathway.youth.access_facts(day),
    )


def youth_page(link: YouthLink) -> YouthPage | None:
    """The page of the link's pathway as far as its creator may read it today, audited as
    one reading in the youth's access log; ``None`` when the creator may no longer read
    the pathway (left the organisation, consent withdrawn, account deleted)."""
    pathway = link.pathway
    day = timezone.localdate()
    creator = link.created_by
    reader = reader_of(link, day)
    through = reader.grant(EE, pathway.author_organisation_id)
    if through is None:
        return None
    week = rules.week_start(day)
    minutes = weekly_minutes_by_author([pathway.pk], week).get(pathway.pk, [])
    partners = partners_of(pathway)
    authors = set(partners) | {author for _org, author, _minutes in minutes}
    readable_authors = {author for author in authors if reader.reads(EE, author)}
    page = YouthPage(
        pathway,
        week,
        week_hours(pathway, week, fold_minutes(minutes, readable_authors)),
        contacts=contacts_of(pathway, day),
    )
    page.appointments = [
        PlannedActivity(activity, reader.reads(activity.category, activity.author_organisation_id))
        for activity in pathway.activities.filter(
            starts_at__gte=timezone.now(), author_organisation_id__in=readable_authors
        )
        .select_related("organisation")
        .order_by("starts_at")[:10]
    ]
    plan = ActionPlan.objects.filter(pathway=pathway).first()
    if plan is not None and reader.reads(EE, plan.author_organisation_id):
        page.actions = [
            action
            for action in plan.actions.exclude(status__in=[ActionStatus.DONE, ActionStatus.DROPPED])
            .select_related("owner_organisation")
            .order_by("due_on")
            if reader.reads(action.category, action.author_organisation_id)
        ]
    organisation = partners.get(through.organisation_id) or Organisation.objects.get(
        pk=through.organisation_id
    )
    record(
        None,
        AuditEvent.READ,
        organisation=organisation,
        youth_id=pathway.youth_id,
        obj=pathway,
        reason=f"page du jeune, lien créé par {creator}, {organisation.name}",
    )
    return page


def shares_of(pathway: Pathway) -> list[Consent]:
    """The shares of the youth's record in force today, by organisation."""
    return list(
        Consent.objects.active(timezone.localdate())
        .filter(youth_id=pathway.youth_id)
        .select_related("organisation", "author_organisation")
        .order_by("organisation__name", "start_date")
    )


#: Each category of the record in the youth's words (their own space speaks their language).
YOUTH_CATEGORY_WORDS: dict[str, str] = {
    Category.IDENTITY: gettext_lazy("qui vous êtes (nom, naissance, situation)"),
    Category.CONTACT: gettext_lazy("comment vous joindre"),
    Category.HOUSING: gettext_lazy("votre logement"),
    Category.EDUCATION_EMPLOYMENT: gettext_lazy("votre formation et votre travail"),
    Category.HEALTH: gettext_lazy("votre santé"),
    Category.MENTAL_HEALTH: gettext_lazy("votre santé mentale"),
    Category.JUSTICE: gettext_lazy("vos démarches avec la justice"),
    Category.ADMIN_DOCUMENTS: gettext_lazy("vos papiers"),
    Category.NOTES: gettext_lazy("les notes des professionnels"),
}


def category_labels(consent: Consent) -> list[str]:
    """The shared categories in the youth's words and language, in the record's order."""
    return [
        str(YOUTH_CATEGORY_WORDS[value]) for value in Category.values if value in consent.categories
    ]
