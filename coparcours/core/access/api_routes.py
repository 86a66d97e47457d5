"""Every API operation declares what it needs, like the HTML routes (:mod:`.routes`).

A django-ninja operation carries one declaration, written under the router's decorator
(a test enumerates the API to prove it):

* :func:`api_requires` — the capability of :mod:`.capabilities` one of the caller's
  memberships must hold, the categories of youth data the operation reads or writes, and
  whether the operation acts for one organisation (``acting=True``: its ``organisation_id``,
  in the query or the payload, is resolved by :func:`.acting.api_acting_organisation`, and
  the membership in that organisation must hold the capability);
* :func:`api_signed_in` — any authenticated caller (their own account).

The caller is ``request.auth`` (the user of a personal token or of the browser session).
A refusal is :class:`.routes.CapabilityRefused`, answered 403
``{"detail": …, "code": "capability_refused"}`` before the operation runs; the refusal of a
route of youth data is audited. The operation then still decides each youth with
``check`` and ``visible_youths``: the declaration is the gate before them.

:func:`document_statuses` writes in the OpenAPI document every status an operation can
answer, from its declaration and its parameters.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.http import HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError
from pydantic import BaseModel

from coparcours.core.access.acting import api_acting_organisation
from coparcours.core.access.capabilities import Capability, may
from coparcours.core.access.routes import (
    NEEDS_ATTRIBUTE,
    CapabilityRefused,
    RouteNeeds,
    route_needs,
)
from coparcours.core.access.youth_data import Category
from coparcours.core.audit import record_refusal
from coparcours.organisations.models import Membership

Operation = TypeVar("Operation", bound=Callable[..., Any])

_MEMBERSHIPS_KEY = "_coparcours_api_memberships"


class Error(Schema):
    """A refusal or an error: a French ``detail`` and, for a refusal of the access policy
    or an organisation to name, a stable ``code`` (``capability_refused``,
    ``organisation_required``, ``consent_not_writable``…)."""

    detail: str
    code: str | None = None


class InvalidItem(Schema):
    loc: list[str | int]
    type: str
    msg: str


class Invalid(Schema):
    """Invalid parameters, or data a business rule refused: one French message each."""

    detail: list[InvalidItem]


def invalid_parameter(
    name: str, message: str, source: str = "query", code: str = "value_error"
) -> ValidationError:
    """A parameter a rule refused, answered 422 like a parameter of the wrong type, with its
    French ``message`` and a stable ``code`` (its ``type``) where a client tells it apart."""
    return ValidationError(
        [{"loc": [source, name], "type": code, "msg": message, "ctx": {"error": message}}]
    )


def _memberships(request: HttpRequest, user: Any) -> list[Membership]:
    """The caller's memberships in force today with their standings: those the
    organisations middleware read for a browser session, else one query (kept for the
    request)."""
    cached = getattr(request, _MEMBERSHIPS_KEY, None)
    if cached is not None:
        return cached
    loaded = getattr(request, "memberships", None) or []
    if loaded and all(membership.user_id == user.pk for membership in loaded):
        memberships = list(loaded)
    else:
        memberships = list(Membership.objects.active().with_standings().filter(user=user))
    setattr(request, _MEMBERSHIPS_KEY, memberships)
    return memberships


def _named_organisation(arguments: dict[str, Any]) -> int | None:
    """The ``organisation_id`` an operation's caller named, in the query or the payload."""
    if "organisation_id" in arguments:
        return arguments["organisation_id"]
    for value in arguments.values():
        if isinstance(value, BaseModel) and "organisation_id" in type(value).model_fields:
            return value.organisation_id
    return None


def _refuse(user: Any, needs: RouteNeeds) -> CapabilityRefused:
    assert needs.capability is not None
    if needs.categories:
        record_refusal(
            user,
            category=Category.IDENTITY
            if Category.IDENTITY in needs.categories
            else min(needs.categories),
            reason=f"API : « {Capability(needs.capability).label} » refusé à ce rôle",
        )
    return CapabilityRefused(needs.capability)


def require(request: HttpRequest, needs: RouteNeeds, arguments: dict[str, Any]) -> None:
    """Enforce a declaration: one of the caller's memberships holds the capability and,
    for an operation that acts for an organisation, the membership in that one does."""
    if needs.capability is None:
        return
    user = request.auth  # type: ignore[attr-defined]
    granted = [m for m in _memberships(request, user) if may(m, needs.capability)]
    if not granted:
        raise _refuse(user, needs)
    if needs.acting:
        organisation = api_acting_organisation(request, _named_organisation(arguments))
        if not any(membership.organisation_id == organisation.pk for membership in granted):
            raise _refuse(user, needs)


def _enforced(operation: Operation, needs: RouteNeeds) -> Operation:
    @functools.wraps(operation)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        require(request, needs, kwargs)
        return operation(request, *args, **kwargs)

    setattr(guarded, NEEDS_ATTRIBUTE, needs)
    # django-ninja reads the parameters' annotations with the wrapper's globals: give it
    # them already resolved in the operation's own module.
    hints = typing.get_type_hints(operation, include_extras=True)
    signature = inspect.signature(operation)
    guarded.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            parameter.replace(annotation=hints.get(parameter.name, parameter.annotation))
            for parameter in signature.parameters.values()
        ]
    )
    return guarded  # type: ignore[return-value]


def api_requires(
    capability: str, *, categories: Iterable[str] = (), acting: bool = False
) -> Callable[[Operation], Operation]:
    """Declare and enforce the capability an API operation needs; ``acting``: it acts for
    the organisation named by its ``organisation_id`` (or the caller's chosen, or only one)."""
    needs = RouteNeeds(Capability(capability).value, frozenset(categories), acting=acting)
    return lambda operation: _enforced(operation, needs)


def api_signed_in(operation: Operation) -> Operation:
    """Declare an operation any authenticated caller may use (their own account)."""
    return _enforced(operation, RouteNeeds(None))


def api_operations(api: NinjaAPI) -> list[tuple[str, Any]]:
    """Every operation of the API as (``"METHOD /path"``, the ninja operation)."""
    found = []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    route = "/".join(part.strip("/") for part in (prefix, path) if part.strip("/"))
                    found.append((f"{method} /{route}", operation))
    return found


def _parameter_names(operation: Any) -> set[str]:
    """The names of an operation's parameters, with the fields of its schemas (payload,
    query filters)."""
    names = set(operation.signature.path_params_names)
    for parameter in operation.signature.params:
        names.add(parameter.name)
        annotation = parameter.annotation
        if typing.get_origin(annotation) is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names |= set(annotation.model_fields)
    return names


def statuses(operation: Any) -> dict[int, type[Schema]]:
    """The error statuses an operation can answer, from its declaration and parameters:
    401 always; 403 behind a capability; 400 where it acts for an organisation; 404 where
    it takes an id; 422 where it takes any input."""
    needs = route_needs(operation.view_func)
    found: dict[int, type[Schema]] = {401: Error}
    if needs is None or needs.capability is not None:
        found[403] = Error
    if needs is not None and needs.acting:
        found[400] = Error
    names = _parameter_names(operation)
    if operation.signature.path_params_names or any(
        name.endswith(("_id", "_ids")) for name in names
    ):
        found[404] = Error
    if operation.signature.params:
        found[422] = Invalid
    return found


def document_statuses(api: NinjaAPI) -> None:
    """Write every status each operation can answer in its responses (OpenAPI), beside
    those it declares itself (201, 409…)."""
    for _route, operation in api_operations(api):
        for status, schema in statuses(operation).items():
            if status not in operation.response_models:
                operation.response_models[status] = operation._create_response_model(schema)
