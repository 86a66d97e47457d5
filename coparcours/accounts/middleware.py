"""Session middleware: idle timeout, and holding back sessions that need a second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware

from coparcours.accounts.services import must_verify_second_factor, session_enrolment

LAST_ACTIVITY_KEY = "last_activity"


class SessionActivityMiddleware:
    """Idle timeout: a session expires SESSION_COOKIE_AGE seconds after its last activity.

    The session is re-saved (pushing its expiry back) when the last recorded activity is
    older than SESSION_ACTIVITY_RESOLUTION_SECONDS, not on every request: one write a
    minute per active user instead of one per page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = int(time.time())
            last = session.get(LAST_ACTIVITY_KEY, 0)
            if now - last >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
                session[LAST_ACTIVITY_KEY] = now
        return response


# Views an unverified session may still reach: leaving, verifying, enrolling, resetting.
OPEN_VIEWS = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:otp_verify",
        "accounts:otp_setup",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "admin:logout",
        "health",
    }
)


#: When the session last found its verifying device still there (seconds since the epoch).
DEVICE_CHECKED_KEY = "otp_device_checked"


class SessionOTPMiddleware(OTPMiddleware):
    """django-otp's ``OTPMiddleware`` without a query on every request.

    A session is verified once a code was accepted in it: ``django_otp.login`` keeps the
    device's id in the session, and a logout or another user's login flushes it. The
    device is read again at most once every SESSION_ACTIVITY_RESOLUTION_SECONDS (the idle
    timeout's cadence), not on every page: a device an administrator deleted (a lost
    phone) unverifies the sessions verified with it within that time (docs/decisions.md,
    section 21).
    """

    def _verify_user_sync(self, request: HttpRequest, user):
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        if not (persistent_id and user.is_authenticated):
            return user
        now = int(time.time())
        checked = request.session.get(DEVICE_CHECKED_KEY, 0)
        if now - checked < settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
            user.otp_device = SimpleLazyObject(
                partial(self._device_from_persistent_id, persistent_id)
            )
            return user
        device = self._device_from_persistent_id(persistent_id)
        user.otp_device = self._finalize_device(request, user, device)
        if user.otp_device is not None:
            request.session[DEVICE_CHECKED_KEY] = now
        return user


class TwoFactorEnforcementMiddleware:
    """Send users who must verify a code (services.must_verify_second_factor) to do so.

    Web pages, the Django admin included, redirect to the verification page. The API
    does not redirect: an unverified session simply does not authenticate there, so only
    a personal token (issued from a verified session) opens it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: tuple, view_kwargs: dict
    ) -> HttpResponse | None:
        match = request.resolver_match
        user = request.user
        if (
            match.view_name in OPEN_VIEWS
            or not user.is_authenticated
            or user.is_verified()
            or not must_verify_second_factor(
                user, request.memberships, enrolled=session_enrolment(request)
            )
        ):
            return None
        if "api" in match.namespaces:
            request.user = AnonymousUser()
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('accounts:otp_verify')}?{query}")
