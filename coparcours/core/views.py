from __future__ import annotations

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

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
