"""The REST API (django-ninja), assembling each app's router under /api/v1/."""

from ninja import NinjaAPI
from ninja.security import SessionAuth

from coparcours.accounts.api import TokenAuth
from coparcours.accounts.api import router as accounts_router
from coparcours.organisations.api import router as organisations_router

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
api.add_router("/me", accounts_router)
api.add_router("/", organisations_router)
