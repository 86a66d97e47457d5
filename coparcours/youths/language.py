"""The language of the youth's own space and of the texts sent to them, chosen by the youth
and remembered: on their record once their space is open, and on their phone (a cookie)
before it is. Professionals' pages stay in French; each language is a gettext catalogue
under ``coparcours/locale`` (docs/youth-space.md).
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.youths.models import Youth

#: The youth's choice in their session, once their space is open.
SESSION_LANGUAGE_KEY = "youth_space_language"
#: How long a phone remembers the language chosen on it (a year).
COOKIE_SECONDS = 365 * 24 * 60 * 60


def space_languages() -> list[tuple[str, str]]:
    """The languages the youth's space speaks, each named in itself."""
    return list(settings.LANGUAGES)


def is_space_language(code: str | None) -> bool:
    return code in {code for code, _name in settings.LANGUAGES}


def phone_language(request: HttpRequest) -> str | None:
    """The language chosen earlier on this phone, if any (never the browser's default)."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return code if is_space_language(code) else None


def request_language(request: HttpRequest) -> str:
    """The language of a youth's page: their choice in the open space, else the one chosen
    on this phone, else the browser's preferred among ours, else French."""
    chosen = request.session.get(SESSION_LANGUAGE_KEY)
    if is_space_language(chosen):
        return chosen
    return phone_language(request) or translation.get_language_from_request(request)


def remember_on_phone(response: HttpResponse, code: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=COOKIE_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def in_youth_language(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run a page of the youth's space in the youth's language (:func:`request_language`),
    saying so to caches."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        code = request_language(request)
        with translation.override(code):
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = code
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return wrapped


def choose_for_youth(youth: Youth, code: str) -> None:
    """The youth chose their language in their own space: kept on their record, for their
    next visits and the texts sent to them; audited as the youth's own act."""
    if youth.space_language == code or not is_space_language(code):
        return
    youth.space_language = code
    youth.save(update_fields=["space_language", "updated_at"])
    name = dict(settings.LANGUAGES)[code]
    record(
        None,
        AuditEvent.WRITE,
        organisation=youth.owner_organisation,
        youth_id=youth.pk,
        obj=youth,
        reason=f"Le jeune choisit la langue de son espace : {name}",
    )
