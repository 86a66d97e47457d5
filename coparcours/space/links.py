"""The youth's one-time link to their own space: given by a professional of a programme that
accompanies them, opened with a second factor the youth knows, closed by a referent at
once. One link per youth, whichever programme gave it (docs/youth-space.md, « Access »).

The functions acting for a professional take the ``Grant`` of the programme's audited check
(``cej.youth_section.require_link_giver``, ``housing.youth_section.require_link_giver``):
the programme decides who gives a link, the space keeps it.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from coparcours.accounts.models import hash_token
from coparcours.core.access import Grant
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Organisation
from coparcours.space.models import YouthLink
from coparcours.space.programmes import accompanied, giving_page
from coparcours.youths.models import Youth

#: Days a link to the youth's own space stays valid before it is opened.
YOUTH_LINK_DAYS = 7
#: Wrong answers (date of birth or code) a link bears before it is locked and its creator
#: told.
MAX_TRIES = 5
#: The second factors, in the access log's words.
FACTOR_WORDS = {
    "birth_date": "date de naissance erronée",
    "pin": "code erroné",
    "new_pin": "code erroné",
}
#: How long the youth's space stays open once a link is used.
YOUTH_SESSION_SECONDS = 2 * 60 * 60


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


def pending_link(youth: Youth) -> YouthLink | None:
    """The youth's link still valid (not yet opened), if any."""
    return (
        youth.space_links.filter(still_valid(timezone.now()))
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
    """Another link of the youth is still valid: replacing it needs confirmation."""

    def __init__(self, link: YouthLink) -> None:
        super().__init__(replacement_warning(link))
        self.link = link


@transaction.atomic
def create_youth_link(user: Any, giver: Grant, youth: Youth, *, replace: bool = False) -> str:
    """A one-time link to the youth's own space, expiring after ``YOUTH_LINK_DAYS`` days,
    given by ``user`` for the organisation of ``giver`` (the programme's audited check).

    A link still valid is never cancelled silently: without ``replace`` (the user confirmed
    that the other link will stop working) :class:`LinkStillValid` says so."""
    if not accompanied(youth, timezone.localdate()):
        raise ValidationError("Le jeune n'est plus accompagné : son espace est fermé.")
    Youth.objects.select_for_update().filter(pk=youth.pk).first()  # serialise the check
    pending = pending_link(youth)
    if pending is not None and not replace:
        raise LinkStillValid(pending)
    now = timezone.now()
    youth.space_links.filter(still_valid(now)).update(expires_at=now)
    raw = secrets.token_urlsafe(24)
    YouthLink.objects.create(
        youth=youth,
        organisation_id=giver.organisation_id,
        token_hash=hash_token(raw),
        expires_at=now + datetime.timedelta(days=YOUTH_LINK_DAYS),
        created_by=user,
    )
    return raw


def youth_access(youth: Youth) -> YouthLink | None:
    """The link through which the youth may reach their space now: valid and unused, or
    used within the last :data:`YOUTH_SESSION_SECONDS` (their space may be open)."""
    return (
        youth.space_links.filter(_giving_access(timezone.now()))
        .select_related("created_by")
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def close_youth_access(user: Any, giver: Grant, youth: Youth) -> int:
    """Close the youth's access at once (a phone lost, a link sent to the wrong number): the
    valid link stops working and the space opened with a recent one closes at its next
    page. Returns the links closed; audited by the programme's check."""
    now = timezone.now()
    return youth.space_links.filter(_giving_access(now)).update(revoked_at=now, updated_at=now)


@transaction.atomic
def reset_youth_pin(user: Any, giver: Grant, youth: Youth) -> bool:
    """Erase the code a youth chose (forgotten, or known by someone else): they choose a new
    one at their next opening."""
    if not youth.space_pin:
        return False
    youth.space_pin = ""
    youth.save(update_fields=["space_pin", "updated_at"])
    record(
        user,
        AuditEvent.WRITE,
        organisation=Organisation.objects.get(pk=giver.organisation_id),
        youth_id=youth.pk,
        obj=youth,
        reason="Code de l'espace du jeune effacé : il en choisira un autre",
    )
    return True


def _usable_link(raw: str, *, for_update: bool) -> YouthLink | None:
    """The link of this token if it still opens: unused, not locked, before it expires,
    for a youth a programme still accompanies."""
    links = YouthLink.objects.select_for_update(of=("self",)) if for_update else YouthLink.objects
    link = (
        links.select_related("youth", "created_by")
        .filter(still_valid(timezone.now()), token_hash=hash_token(raw))
        .first()
    )
    if link is None or not accompanied(link.youth, timezone.localdate()):
        return None
    return link


def valid_link(youth: Youth, raw: str) -> YouthLink | None:
    """The youth's link of this token while it is still valid (to send it)."""
    return youth.space_links.filter(still_valid(timezone.now()), token_hash=hash_token(raw)).first()


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
    return None if link is None else second_factor(link.youth)


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
    answer with the tries left (none: the link is locked), or ``gone`` (used, expired,
    locked, or the youth no longer accompanied)."""

    link: YouthLink | None = None
    tries_left: int = 0
    gone: bool = False


@transaction.atomic
def use_youth_link(raw: str, answer: str | datetime.date | None) -> Opening:
    """Consume a link once the youth gave their second factor (:func:`second_factor`: their
    date of birth, their code, or the code they choose at their first opening): valid
    once, before it expires, while a programme accompanies them (the row is locked until
    the link is marked used, so two taps never both open). A wrong answer is counted and
    audited as a refusal; the :data:`MAX_TRIES`-th locks the link and tells its creator."""
    link = _usable_link(raw, for_update=True)
    if link is None:
        return Opening(gone=True)
    now = timezone.now()
    youth = link.youth
    factor = second_factor(youth)
    if not _answered(youth, answer):
        link.failed_attempts += 1
        locked = link.failed_attempts >= MAX_TRIES
        link.locked_at = now if locked else None
        link.save(update_fields=["failed_attempts", "locked_at", "updated_at"])
        record(
            None,
            AuditEvent.DENIED,
            youth_id=youth.pk,
            obj=youth,
            reason=f"Page du jeune : {FACTOR_WORDS[factor]} ({link.failed_attempts} sur "
            f"{MAX_TRIES}{', lien bloqué' if locked else ''})",
        )
        if locked:
            transaction.on_commit(lambda: _tell_creator_locked(link))
        return Opening(tries_left=MAX_TRIES - link.failed_attempts)
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
        obj=youth,
        reason=f"Le jeune ouvre son espace (lien à usage unique créé par "
        f"{link.created_by or 'un compte supprimé'})",
    )
    return Opening(link=link)


def _tell_creator_locked(link: YouthLink) -> None:
    """The link's creator learns that it was locked, without the youth's name (an e-mail
    leaves the service): the page's address says whose it is to those who may open it."""
    if link.created_by is None or not link.created_by.email:
        return
    address = giving_page(link.youth, timezone.localdate()) or reverse(
        "youths:detail", args=[link.youth_id]
    )
    send_mail(
        "Coparcours : un lien vers l'espace d'un jeune a été bloqué",
        f"Le lien que vous avez créé le {timezone.localtime(link.created_at):%d/%m/%Y} "
        f"a été bloqué après {MAX_TRIES} essais erronés. Si le jeune a besoin de son "
        f"espace, créez-lui un nouveau lien depuis son parcours ou son séjour : "
        f"{settings.SITE_URL.rstrip('/')}{address}",
        None,
        [link.created_by.email],
    )


def link_of_session(youth_id: int, link_id: int | None) -> YouthLink | None:
    """The link that opened a youth's session, while it is not closed."""
    if link_id is None:
        return None
    return (
        YouthLink.objects.filter(
            pk=link_id, youth_id=youth_id, used_at__isnull=False, revoked_at__isnull=True
        )
        .select_related("created_by", "organisation", "youth__owner_organisation")
        .first()
    )
