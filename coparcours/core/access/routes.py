"""What each route needs, declared on the route itself and enforced before its view runs.

Every HTML view carries one declaration (a test enumerates the URLconf to prove it):

* :func:`requires` — the capability of :mod:`.capabilities` the acting membership must
  hold, and, for pages of a youth's data, the categories the page reads or writes (the
  view still decides each youth's data with ``check``: the declaration feeds the
  generated access matrix and the documentation);
* :func:`signed_in` — any signed-in person, with or without a membership (home page,
  own account, switching organisation);
* :func:`public` — reachable without an account (login, a link sent by token), with the
  reason.

API operations declare in the same terms (:mod:`.api_routes`: ``api_requires``,
``api_signed_in``).

A refusal is :class:`CapabilityRefused`: the 403 page names the feature and offers the
person's other memberships that would grant it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from coparcours.core.access.capabilities import Capability, may

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class RouteNeeds:
    """A route's declaration: its capability (``None`` for a public route), the categories
    of youth data it shows, or why it is public; for an API operation, whether it acts for
    one organisation (:mod:`.api_routes`)."""

    capability: str | None
    categories: frozenset[str] = frozenset()
    public_reason: str = ""
    acting: bool = False


class CapabilityRefused(PermissionDenied):
    """The acting membership does not hold the capability a route needs."""

    code = "capability_refused"

    def __init__(self, capability: str):
        self.capability = capability
        super().__init__(
            f"« {Capability(capability).label} » n'est pas accessible au rôle avec lequel "
            "vous travaillez."
        )


NEEDS_ATTRIBUTE = "coparcours_route_needs"


def route_needs(view: Callable[..., Any]) -> RouteNeeds | None:
    """The declaration of a view, or ``None`` when it has none."""
    return getattr(view, NEEDS_ATTRIBUTE, None)


def _enforced(view: View, needs: RouteNeeds) -> View:
    """The view behind its declaration: signed in first, then the capability if any."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs.capability and not may(getattr(request, "membership", None), needs.capability):
            raise CapabilityRefused(needs.capability)
        return view(request, *args, **kwargs)

    setattr(guarded, NEEDS_ATTRIBUTE, needs)
    return guarded  # type: ignore[return-value]


def requires(capability: str, *, categories: Iterable[str] = ()) -> Callable[[View], View]:
    """Declare and enforce the capability an HTML view needs (login included)."""
    needs = RouteNeeds(Capability(capability).value, frozenset(categories))
    return lambda view: _enforced(view, needs)


def signed_in(view: View) -> View:
    """Declare and enforce a route any signed-in person may open (their own account)."""
    return _enforced(view, RouteNeeds(None))


def public(reason: str) -> Callable[[View], View]:
    """Declare a route reachable without an account; ``reason`` says why it is safe."""
    if not reason.strip():
        raise ValueError("a public route says why it is public")

    def decorate(view: View) -> View:
        setattr(view, NEEDS_ATTRIBUTE, RouteNeeds(None, public_reason=reason))
        return view

    return decorate
