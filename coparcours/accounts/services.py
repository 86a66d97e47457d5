"""Account rules: lockout key, who must use a second factor, enrolment, API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from coparcours.accounts.models import APIToken, User
from coparcours.organisations.models import Membership


def normalise_email(value: str | None) -> str:
    """E-mail addresses are compared without case or surrounding spaces (see User.save)."""
    return (value or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The key django-axes counts failures under (setting AXES_USERNAME_CALLABLE).

    Logins are case-insensitive, so the lockout must be too: otherwise "Nadia@…" and
    "nadia@…" would each get their own five tries, and a successful login (which axes
    resets under the stored, lower-case address) would leave the typed variant's
    failures in place.
    """
    if credentials is not None:
        typed = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        typed = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return normalise_email(typed)


def reset_lockout(user: User) -> None:
    """Forget the failed logins of an account, e.g. once its owner has set a new password."""
    axes_reset(username=normalise_email(user.email))


def requires_two_factor(user: User, memberships: Iterable[Membership] | None = None) -> bool:
    """Whether the user must verify a second factor (setting TWO_FACTOR_REQUIRED).

    Superusers and the roles of TWO_FACTOR_REQUIRED_ROLES (administrators and
    coordinators by default) must, when the setting is on. ``memberships``: the user's
    active memberships when already loaded (the request's), else they are queried.
    """
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if memberships is not None:
        return any(m.role in settings.TWO_FACTOR_REQUIRED_ROLES for m in memberships)
    return (
        Membership.objects.active()
        .filter(user=user, role__in=settings.TWO_FACTOR_REQUIRED_ROLES)
        .exists()
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    """The user's enrolled authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def must_verify_second_factor(
    user: User,
    memberships: Iterable[Membership] | None = None,
    enrolled: bool | None = None,
) -> bool:
    """Whether the session must be verified with a code before the application opens.

    Required users must (``requires_two_factor``); so must anyone who enrolled an
    authenticator of their own accord, since a factor that is never asked for protects
    nothing. ``enrolled``: whether the user has an authenticator, when already known (the
    session's, ``remember_enrolment``), else it is queried.
    """
    if not user.is_authenticated:
        return False
    if requires_two_factor(user, memberships):
        return True
    return enrolled if enrolled is not None else confirmed_device(user) is not None


#: Whether the session's user had an authenticator when they logged in (or enrolled).
ENROLLED_SESSION_KEY = "second_factor_enrolled"


def remember_enrolment(request: HttpRequest, user: User) -> bool:
    """Note in the session whether the user has an authenticator, read once at login
    rather than on every request; an enrolment in another session is asked for from the
    next login (as django-otp's verification, the state lives in the session)."""
    enrolled = confirmed_device(user) is not None
    request.session[ENROLLED_SESSION_KEY] = enrolled
    return enrolled


def session_enrolment(request: HttpRequest) -> bool:
    """The session's note of ``remember_enrolment``, read and noted if missing."""
    enrolled = request.session.get(ENROLLED_SESSION_KEY)
    return remember_enrolment(request, request.user) if enrolled is None else enrolled


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being enrolled: one unconfirmed device per user, made on demand."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name="Application d'authentification", confirmed=False
    )


@transaction.atomic
def confirm_device(device: TOTPDevice) -> None:
    """Make an enrolled device the user's only one."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])


def revoke_token(token: APIToken) -> None:
    """Revoke a token for good (it stays listed, with its revocation date)."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
