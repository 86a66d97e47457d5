"""Every HTML route declares what it needs (core.access.routes): a capability of the
table, any signed-in person, or public with a reason. A route added without one fails here."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from coparcours.core.access.capabilities import CAPABILITIES
from coparcours.core.access.routes import route_needs

#: Namespaces that guard themselves: the Django admin (staff only) and the API (declared
#: operation by operation in its own test).
SELF_GUARDED = {"admin", "api"}


def html_routes() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SELF_GUARDED:
                    continue
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.append((prefix + str(entry.pattern), entry.callback))

    walk(get_resolver().url_patterns, "/")
    return found


ROUTES = html_routes()


def test_the_urlconf_is_enumerated():
    assert len(ROUTES) > 100


@pytest.mark.parametrize(("route", "view"), ROUTES, ids=[route for route, _ in ROUTES])
def test_every_html_route_declares_what_it_needs(route, view):
    needs = route_needs(view)
    assert needs is not None, f"{route} declares neither requires(), signed_in nor public()"
    assert needs.capability is None or needs.capability in CAPABILITIES
    if needs.public_reason:
        assert len(needs.public_reason) > 20


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        route
        for route, view in ROUTES
        if route_needs(view) and not route_needs(view).public_reason and "<" not in route
    ],
)
def test_a_declared_route_sends_an_anonymous_visitor_to_the_login_page(route):
    answer = Client().get(route)
    assert answer.status_code == 302
    assert answer["Location"].startswith("/compte/connexion/")
