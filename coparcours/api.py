"""The REST API (django-ninja), assembling each app's router under /api/v1/.

Every operation declares what it needs (``core.access.api_routes``: ``api_requires``,
``api_signed_in``), enforced before it runs. Errors answer in French with the shape
django-ninja uses: ``{"detail": "...", "code": "..."}`` (400, 401, 403, 404, 409), or for
invalid parameters ``{"detail": [{"loc": [...], "type": "...", "msg": "..."}]}`` (422);
each operation documents every status it can answer (``document_statuses``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RuleViolation
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError
from ninja.security import SessionAuth

from coparcours.accounts.api import TokenAuth
from coparcours.accounts.api import router as accounts_router
from coparcours.cej.api import (  # noqa: F401 (each registers its operations on the router)
    allowances,
    committee,
    contacts,
    dossier,
    eligibility,
    follow_up,
    hours,
    pathways,
    plan,
    programme,
    reviews,
)
from coparcours.cej.api.router import router as cej_router
from coparcours.core.access import OrganisationRequired
from coparcours.core.access.api_routes import document_statuses
from coparcours.directory.api import router as directory_router
from coparcours.finance.api import router as finance_router
from coparcours.housing.api import router as housing_router
from coparcours.housing.api.incidents import router as incidents_router
from coparcours.imports.api import router as imports_router
from coparcours.needs.api import router as needs_router
from coparcours.organisations.api import router as organisations_router
from coparcours.orientations.api import router as orientations_router
from coparcours.reporting.api import router as reporting_router
from coparcours.youths.api import router as youths_router

api = NinjaAPI(
    title="Coparcours API",
    version="1.0.0",
    description=(
        "API de Coparcours. Authentification par jeton personnel "
        "(en-tête `Authorization: Bearer <jeton>`) ou par la session du navigateur. "
        "Les listes sont paginées par `limit` et `offset` et répondent "
        '`{"items": [...], "count": n}`.'
    ),
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    urls_namespace="api",
)
api.add_router("/me", accounts_router)
api.add_router("/", organisations_router)
api.add_router("/youths", youths_router)
api.add_router("/housing", housing_router)
api.add_router("/housing", incidents_router)
api.add_router("/cej", cej_router)
api.add_router("/directory", directory_router)
api.add_router("/needs", needs_router)
api.add_router("/finance", finance_router)
api.add_router("/reporting", reporting_router)
api.add_router("/imports", imports_router)
api.add_router("/", orientations_router)
document_statuses(api)

# French messages for the pydantic error types met in query and path parameters.
_FRENCH_ERRORS = {
    "missing": "Ce paramètre est obligatoire.",
    "int_parsing": "Un nombre entier est attendu.",
    "int_type": "Un nombre entier est attendu.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "enum": "Valeur inconnue : valeurs possibles {expected}.",
    "date_from_datetime_parsing": "Date attendue au format AAAA-MM-JJ.",
    "date_parsing": "Date attendue au format AAAA-MM-JJ.",
    "json_invalid": "Le corps de la requête n'est pas un JSON valide.",
    "string_too_short": "Ce texte est trop court (au moins {min_length} caractère).",
    "string_too_long": "Ce texte est trop long (au plus {max_length} caractères).",
    "string_type": "Un texte est attendu.",
    "bool_parsing": "Vrai ou faux attendu (true ou false).",
    "bool_type": "Vrai ou faux attendu (true ou false).",
    "datetime_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM.",
    "datetime_from_date_parsing": "Date et heure attendues au format AAAA-MM-JJTHH:MM.",
    "decimal_parsing": "Un nombre décimal est attendu.",
    "list_type": "Une liste est attendue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
}


def _french(error: dict[str, Any]) -> str:
    context = error.get("ctx") or {}
    if "error" in context and error.get("type") not in _FRENCH_ERRORS:
        return str(context["error"])  # our validators' and rules' own French message
    template = _FRENCH_ERRORS.get(error.get("type", ""), "Valeur invalide.")
    return template.format(**{key: str(value).replace("'", "") for key, value in context.items()})


@api.exception_handler(ValidationError)
def invalid_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"loc": error.get("loc", []), "type": error.get("type", ""), "msg": _french(error)}
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Authentification requise : jeton personnel valide ou session ouverte."},
        status=401,
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Ressource introuvable."}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """Refusals of the access policy (already audited) become 403 with their French reason,
    and the refusal's stable ``code`` when it has one."""
    body = {"detail": str(exc) or "Accès refusé."}
    if getattr(exc, "code", ""):
        body["code"] = exc.code
    return api.create_response(request, body, status=403)


@api.exception_handler(OrganisationRequired)
def organisation_required(request: HttpRequest, exc: OrganisationRequired) -> HttpResponse:
    """A caller with several organisations must say which one the call acts for."""
    return api.create_response(request, {"detail": str(exc), "code": exc.code}, status=400)


@api.exception_handler(OverflowError)
def identifier_out_of_range(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    """An identifier beyond what the database stores (SQLite refuses it) names nothing."""
    errors = [
        {
            "loc": ["body"],
            "type": "overflow",
            "msg": "Un identifiant dépasse les valeurs possibles.",
        }
    ]
    return api.create_response(request, {"detail": errors}, status=422)


@api.exception_handler(RuleViolation)
def rule_violation(request: HttpRequest, exc: RuleViolation) -> HttpResponse:
    """A business rule refused the data: same shape as invalid parameters, nothing saved."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": ["body", field], "type": "rule", "msg": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": ["body"], "type": "rule", "msg": message} for message in exc.messages]
    return api.create_response(request, {"detail": errors}, status=422)
