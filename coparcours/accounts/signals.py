"""Security events written to the audit log: logins, failures, lockouts, logouts; the
session's note of whether its user has an authenticator (accounts.services); and the
sign-in times (the previous one tells the home page what is new)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from coparcours.accounts.services import remember_enrolment
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent


@receiver(user_logged_in)
def remember_sign_in(sender, request, user, **kwargs) -> None:
    """Keep the previous sign-in beside the current one (instead of Django's
    ``update_last_login``, disconnected in ``AccountsConfig.ready``)."""
    user.previous_login = user.last_login
    user.last_login = timezone.now()
    user.save(update_fields=["previous_login", "last_login"])


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs) -> None:
    record(user, AuditEvent.LOGIN)


@receiver(user_logged_in)
def note_enrolment(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        remember_enrolment(request, user)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(user, AuditEvent.LOGOUT)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(None, AuditEvent.LOGIN_FAILED, email=str(credentials.get("username", "")))


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    record(None, AuditEvent.LOCKED_OUT, email=str(username or ""))
