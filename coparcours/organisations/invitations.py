"""Inviting people into an organisation, without the administration: a coordinator or a
director invites by e-mail, with a role; the link sets the password (and the second
factor, where the role requires one, at the first sign-in); the membership then begins.

The link is a secret sent once: only its SHA-256 is kept, it works for
:data:`INVITATION_DAYS` days and once. Every step is written to the audit log of the
organisation, as the administration's membership changes are (``services``).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
)
from coparcours.organisations.services import MembershipTerms, save_membership

#: How long an invitation's link works.
INVITATION_DAYS = 7

#: The roles an organisation's own people may be invited to, by kind of organisation, the
#: most common first (the administrator's role is given in the administration only).
_CASEWORK = [
    Role.REFERENT,
    Role.COORDINATOR,
    Role.DIRECTOR,
    Role.FINANCE_OFFICER,
    Role.QUALITY_DIRECTOR,
    Role.DATA_PROTECTION_OFFICER,
]
INVITABLE_ROLES: dict[str, list[str]] = {
    OrganisationKind.ASSOCIATION: _CASEWORK,
    OrganisationKind.MISSION_LOCALE: [Role.COUNSELLOR, *_CASEWORK[1:]],
    OrganisationKind.DEPARTEMENT: [Role.FUNDER_VIEWER, Role.DATA_PROTECTION_OFFICER],
    OrganisationKind.DREETS: [Role.FUNDER_VIEWER, Role.DATA_PROTECTION_OFFICER],
}


def invitable_roles(organisation: Organisation) -> list[str]:
    return INVITABLE_ROLES.get(organisation.kind, _CASEWORK)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _holds(email: str, organisation: Organisation, role: str) -> bool:
    return (
        Membership.objects.active()
        .filter(user__email__iexact=email, organisation=organisation, role=role)
        .exists()
    )


@transaction.atomic
def invite(
    actor: Any,
    organisation: Organisation,
    *,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
) -> Invitation:
    """Invite a person: refused for a role the organisation does not give, for oneself,
    for someone who already holds the role there or is already invited to it."""
    email = email.strip().lower()
    if role not in invitable_roles(organisation):
        raise ValidationError({"role": "Ce rôle ne se donne pas dans cette organisation."})
    if email == (actor.email or "").lower():
        raise PermissionDenied("On ne s'invite pas soi-même : demandez à un collègue.")
    if _holds(email, organisation, role):
        raise ValidationError({"email": "Cette personne a déjà ce rôle dans l'organisation."})
    invitation = Invitation(
        organisation=organisation,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=role,
        invited_by=actor,
    )
    try:
        with transaction.atomic():
            token = _renew(invitation)
    except IntegrityError:
        raise ValidationError(
            {"email": "Cette personne est déjà invitée à ce rôle : renvoyez l'invitation."}
        ) from None
    _audit(actor, invitation, f"Invitation envoyée à {email} : {invitation}.")
    _send(invitation, token)
    return invitation


def _renew(invitation: Invitation) -> str:
    """A new secret for the invitation, valid for :data:`INVITATION_DAYS` days."""
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _hash(token)
    invitation.expires_at = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
    invitation.full_clean()
    invitation.save()
    return token


@transaction.atomic
def resend(actor: Any, invitation: Invitation) -> Invitation:
    """Send a new link (the former one stops working)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("Cette invitation a déjà été acceptée ou annulée.")
    token = _renew(invitation)
    _audit(actor, invitation, f"Invitation renvoyée à {invitation.email} : {invitation}.")
    _send(invitation, token)
    return invitation


@transaction.atomic
def cancel(actor: Any, invitation: Invitation) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError("Cette invitation a déjà été acceptée ou annulée.")
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at", "updated_at"])
    _audit(actor, invitation, f"Invitation annulée : {invitation.email}, {invitation}.")
    return invitation


def _send(invitation: Invitation, token: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("organisations:invitation_accept", args=[token])
    inviter = invitation.invited_by.get_full_name() if invitation.invited_by else ""
    send_mail(
        f"Coparcours : invitation de {invitation.organisation}",
        f"Bonjour {invitation.first_name},\n\n"
        f"{inviter or 'Votre organisation'} vous invite à rejoindre {invitation.organisation} "
        f"sur Coparcours, comme {invitation.get_role_display().lower()}.\n\n"
        f"Pour accepter et choisir votre mot de passe, ouvrez ce lien avant le "
        f"{timezone.localtime(invitation.expires_at):%d/%m/%Y à %H:%M} :\n{link}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message.",
        None,
        [invitation.email],
    )


def pending_invitation(token: str) -> Invitation | None:
    """The invitation a link opens, if it still may be accepted."""
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending or invitation.expired:
        return None
    return invitation


def existing_account(invitation: Invitation) -> Any:
    return get_user_model().objects.filter(email__iexact=invitation.email).first()


@transaction.atomic
def accept(invitation: Invitation, *, user: Any = None, password: str = "") -> Any:
    """The invited person accepts: their account (created with the chosen password, or
    the one they are signed in with, if its address is the invitation's) joins the
    organisation in the role, from today. Returns the account."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending or invitation.expired:
        raise ValidationError("Cette invitation n'est plus valable : demandez-en une nouvelle.")
    account = existing_account(invitation)
    if account is not None and account != user:
        raise PermissionDenied("Connectez-vous avec le compte de cette adresse pour accepter.")
    if account is None:
        account = get_user_model()(
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        password_validation.validate_password(password, account)
        account.set_password(password)
        account.full_clean()
        account.save()
    membership = Membership(
        user=account,
        organisation=invitation.organisation,
        role=invitation.role,
        start_date=timezone.localdate(),
    )
    save_membership(membership, None, by=invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    _audit(account, invitation, f"Invitation acceptée par {account.email} : {invitation}.")
    return account


def _audit(actor: Any, invitation: Invitation, text: str) -> None:
    record(
        actor,
        AuditEvent.ADMIN,
        organisation=invitation.organisation,
        obj=invitation,
        reason=text,
    )


@transaction.atomic
def end_membership(actor: Any, membership: Membership) -> Membership:
    """A person stops working for the organisation: their membership ends today (they
    lose its access at once; their history and audit lines stay)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.user_id == actor.pk:
        raise PermissionDenied(
            "On ne met pas fin à son propre rattachement : demandez à un collègue."
        )
    today = timezone.localdate()
    if membership.end_date is not None and membership.end_date <= today:
        raise ValidationError("Ce rattachement a déjà pris fin.")
    before = MembershipTerms.of(membership)
    if membership.start_date >= today:
        raise ValidationError(
            "Ce rattachement commence aujourd'hui ou plus tard : annulez-le dans l'administration."
        )
    membership.end_date = today
    return save_membership(membership, before, by=actor)
