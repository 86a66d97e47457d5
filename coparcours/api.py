"""The REST API (django-ninja), assembling each app's router under /api/v1/."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import SessionAuth

from coparcours.accounts.api import TokenAuth
from coparcours.accounts.api import router as accounts_router
from coparcours.organisations.api import router as organisations_router
from coparcours.youths.api import router as youths_router

api = NinjaAPI(
    title="Coparcours API",
    version="1.0.0",
    description=(
        "API de Coparcours. Authentification par jeton personnel "
        "(en-tête `Authorization: Bearer <jeton>`) ou par la session du navigateur."
    ),
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    urls_namespace="api",
)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Refusals of the access policy (already audited) become 403 with their French reason."""
    return api.create_response(request, {"detail": str(exc) or "Accès refusé."}, status=403)


api.add_router("/me", accounts_router)
api.add_router("/", organisations_router)
api.add_router("/youths", youths_router)
