from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection
from django.forms import Form
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from coparcours.core.access.routes import public
from coparcours.core.tasks import HEARTBEAT_KEY


@public("Liveness probe for the load balancer: it shows no data.")
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: database, cache, and the worker's last beat."""
    status = {"database": "ok", "cache": "ok", "worker_last_beat": None}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        status["database"] = "error"
    try:
        status["worker_last_beat"] = cache.get(HEARTBEAT_KEY)
    except Exception:
        status["cache"] = "error"
    healthy = status["database"] == "ok" and status["cache"] == "ok"
    return JsonResponse(status, status=200 if healthy else 503)


@dataclass(frozen=True)
class Confirmation:
    """What a destructive act will do, asked before it is done (docs/conventions.md,
    "Confirmations"): the question, its consequences in plain French, the button that does
    it, and where "Annuler" leads back. ``facts`` describe the object acted on (label,
    value); ``form`` holds what the act needs (a reason, a date), shown above the buttons."""

    title: str
    consequences: list[str]
    confirm: str
    cancel_url: str
    parent: str = ""  # the name of the page "Annuler" returns to, for the breadcrumb
    context: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)
    form: Form | None = None


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The confirmation step of a destructive act: its page posts back to the same URL."""
    return render(request, "confirm.html", {"confirmation": confirmation})
