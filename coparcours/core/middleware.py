"""Keeps the current request's origin at hand for the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.http import HttpRequest, HttpResponse

from coparcours.core.audit import one_listing_line, refusals_kept, request_origin


def client_address(request: HttpRequest) -> str | None:
    """The address of the person behind the request, for the audit log.

    Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (each appending the address it saw to
    ``X-Forwarded-For``), the client is the entry that many places from the right; entries
    further left are whatever the client sent and are never trusted. Without proxies, or if
    the header is missing or malformed, it is the connection's address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        if len(forwarded) >= proxies:
            candidate = forwarded[-proxies]
            try:
                validate_ipv46_address(candidate)
            except ValidationError:
                pass
            else:
                return candidate
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    """Store the client address and path of the request being served (for audit lines), and
    write the refusals met during the request even when its transaction rolled back; the
    youths listed by a page are one line of the audit log however many lists it builds.

    The path is the route without its query string: a search's words (a youth's name) would
    otherwise outlive the anonymised record in the append-only log (RGPD art. 5-1-c and
    5-1-e). Routes carry ids, not names; those carrying a secret are masked by
    :func:`coparcours.core.audit.logged_path`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_origin.set((client_address(request), request.path[:500]))
        try:
            with refusals_kept(), one_listing_line():
                return self.get_response(request)
        finally:
            request_origin.reset(token)
