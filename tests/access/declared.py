"""Expected answers of the HTML routes, generated from their declarations
(core.access.routes): a route refuses with 403 whoever's acting membership lacks its
capability, whatever the id asked (so an unknown id and a hidden one answer the same);
past that gate, the access matrices state what the youth-data policy answers."""

from __future__ import annotations

from urllib.parse import urlparse

from django.urls import resolve

from coparcours.core.access import may
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
