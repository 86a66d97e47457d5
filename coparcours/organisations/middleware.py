"""The organisation (and role) the user is working for, chosen among their memberships."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from coparcours.core.access import (
    remember_active_memberships,
    remember_memberships_with_standings,
)
from coparcours.organisations.models import Membership
from coparcours.organisations.selectors import active_memberships_of

SESSION_KEY = "current_membership_id"


def last_chosen(memberships: list[Membership]) -> Membership | None:
    """Where a person starts a new session: the membership they chose last, else the first."""
    chosen = [m for m in memberships if m.last_chosen_at is not None]
    if chosen:
        return max(chosen, key=lambda m: m.last_chosen_at)
    return memberships[0] if memberships else None


class CurrentOrganisationMiddleware:
    """Sets ``request.memberships`` and ``request.membership`` (None without membership).

    The memberships are read once per request: the access policy
    (``core.access.active_memberships``) and the second-factor rule reuse them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.memberships = []
        request.membership = None
        if request.user.is_authenticated:
            memberships = active_memberships_of(request.user)
            remember_active_memberships(request.user, memberships)
            remember_memberships_with_standings(request.user, memberships)
            chosen = request.session.get(SESSION_KEY)
            request.memberships = memberships
            request.membership = next(
                (m for m in memberships if m.pk == chosen), last_chosen(memberships)
            )
        return self.get_response(request)
