"""Expected answers of the HTML routes, generated from their declarations
(core.access.routes): a route refuses with 403 whoever's acting membership lacks its
capability, whatever the id asked (so an unknown id and a hidden one answer the same);
past that gate, the access matrices state what the youth-data policy answers. The API's
operations likewise (core.access.api_routes): ``declared_api_status``."""

from __future__ import annotations

import re
from urllib.parse import urlparse

from django.urls import resolve

from coparcours.api import api
from coparcours.core.access import may
from coparcours.core.access.api_routes import api_operations
from coparcours.core.access.routes import route_needs
from coparcours.organisations.middleware import last_chosen
from coparcours.organisations.selectors import active_memberships_of


def declared_status(user, url: str, granted: int) -> int:
    """403 when the user's acting membership may not use the route, else ``granted``."""
    needs = route_needs(resolve(urlparse(url).path).func)
    assert needs is not None, f"{url} has no declaration"
    if needs.capability is None:
        return granted
    return granted if may(last_chosen(active_memberships_of(user)), needs.capability) else 403


def _api_pattern(route: str) -> tuple[str, re.Pattern[str]]:
    method, path = route.split(" ", 1)
    return method, re.compile("^/api/v1" + re.sub(r"\{\w+\}", "[^/]+", path) + "/?$")


_API_ROUTES = [(*_api_pattern(route), operation) for route, operation in api_operations(api)]


def declared_api_status(user, method: str, url: str, granted: int) -> int:
    """403 when none of the user's memberships holds the capability the API operation
    declares, else ``granted`` (an operation acting for an organisation also asks the
    membership in that one: the callers here have one membership)."""
    path = urlparse(url).path
    operations = sorted(  # a literal segment before a parameter
        (
            (pattern.pattern.count("[^/]+"), operation)
            for verb, pattern, operation in _API_ROUTES
            if verb == method.upper() and pattern.match(path)
        ),
        key=lambda found: found[0],
    )
    assert operations, f"{method} {url} is no API operation"
    needs = route_needs(operations[0][1].view_func)
    assert needs is not None, f"{method} {url} has no declaration"
    if needs.capability is None:
        return granted
    memberships = active_memberships_of(user)
    return granted if any(may(m, needs.capability) for m in memberships) else 403
