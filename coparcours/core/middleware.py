"""Keeps the current request's origin at hand for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from coparcours.core.audit import refusals_kept, request_origin


class RequestContextMiddleware:
    """Store the client address and path of the request being served (for audit lines), and
    write the refusals met during the request even when its transaction rolled back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_origin.set(
            (request.META.get("REMOTE_ADDR") or None, request.get_full_path()[:500])
        )
        try:
            with refusals_kept():
                return self.get_response(request)
        finally:
            request_origin.reset(token)
