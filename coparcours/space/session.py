"""The youth's session, opened by their link for two hours: which youth and which link.
Every page of the space checks the link again, so that closing the access closes them all
(docs/youth-space.md)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coparcours.space import links
from coparcours.space.models import YouthLink
from coparcours.youths import language

YOUTH_SESSION_KEY = "space_youth"
YOUTH_LINK_SESSION_KEY = "space_link"
#: What went wrong with the youth's last act (a file refused), said once on their page.
ERROR_SESSION_KEY = "space_error"


def open_session(request: HttpRequest, link: YouthLink) -> None:
    """A new session for the youth of the link just used, in their language."""
    request.session.cycle_key()
    request.session[YOUTH_SESSION_KEY] = link.youth_id
    request.session[YOUTH_LINK_SESSION_KEY] = link.pk
    if link.youth.space_language:
        request.session[language.SESSION_LANGUAGE_KEY] = link.youth.space_language
    request.session.set_expiry(links.YOUTH_SESSION_SECONDS)


def session_link(request: HttpRequest) -> YouthLink | None:
    """The link that opened the youth's session; ``None`` once the session expired or its
    access was closed by a referent (the session is then ended)."""
    youth_id = request.session.get(YOUTH_SESSION_KEY)
    if youth_id is None:
        return None
    link = links.link_of_session(youth_id, request.session.get(YOUTH_LINK_SESSION_KEY))
    if link is None:
        request.session.flush()
    return link


def expired(request: HttpRequest) -> HttpResponse:
    """The page saying the youth's link or session has expired."""
    return render(request, "space/expired.html", status=403)
