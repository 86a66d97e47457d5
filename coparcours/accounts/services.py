"""Account rules: who must use a second factor, enrolment, API tokens."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from coparcours.accounts.models import APIToken, User
from coparcours.organisations.models import Membership


def requires_two_factor(user: User) -> bool:
    """Whether the user must verify a second factor (setting TWO_FACTOR_REQUIRED).

    Superusers and the roles of TWO_FACTOR_REQUIRED_ROLES (administrators and
    coordinators by default) must, when the setting is on.
    """
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.active()
        .filter(user=user, role__in=settings.TWO_FACTOR_REQUIRED_ROLES)
        .exists()
    )


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


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
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
