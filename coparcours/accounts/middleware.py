"""Sends users who must use a second factor to enrolment or verification first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from coparcours.accounts.services import requires_two_factor

ALLOWED_PREFIXES = ("/compte/", "/static/", "/sante/")


class TwoFactorEnforcementMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and requires_two_factor(user)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)
