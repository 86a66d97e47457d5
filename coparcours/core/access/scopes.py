"""Where a capability holds: the consortia and organisations in which a person's memberships
hold it, for acts on one GME or one partnership (docs/access.md, "Scoped acts").

A route's declaration asks whether the acting membership holds a capability at all; an act
on one GME (billing it, ending a stay on one of its sites, publishing a guide of a
partnership) also asks whether the person holds it *in that consortium*. Both read the same
table (:data:`.capabilities.CAPABILITIES`) and the same standings (a current member, its
lead, or its funder): nothing else compares roles.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from coparcours.core.access.capabilities import CAPABILITIES, Capability, holds_row, may
from coparcours.core.access.youth_data import remember_active_memberships
from coparcours.organisations.models import Consortium, Membership, consortia_with_standing

_STANDING_MEMBERSHIPS_KEY = "_coparcours_memberships_with_standings"


def memberships_with_standings(user: Any) -> list[Membership]:
    """The user's memberships in force today with their standings (one query, kept on the
    user for the request; the organisations middleware gives those it already read)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, _STANDING_MEMBERSHIPS_KEY, None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .with_standings()
            .filter(user=user)
            .select_related("organisation")
        )
        remember_memberships_with_standings(user, cached)
        remember_active_memberships(user, cached)  # the policy's other questions reuse them
    return cached


def remember_memberships_with_standings(user: Any, memberships: list[Membership]) -> None:
    """Keep the request's memberships (read with their standings) for the scoped questions."""
    setattr(user, _STANDING_MEMBERSHIPS_KEY, memberships)


def organisations_where(user: Any, capability: str, *, standing: str | None = None) -> set[int]:
    """The user's organisations through whose membership the capability is held (only
    through ``standing`` when given: as a GME member, say)."""
    return {
        m.organisation_id
        for m in memberships_with_standings(user)
        if may(m, capability, standing=standing)
    }


def members_who_may(organisation_id: int, capability: str) -> list[Membership]:
    """The organisation's people (memberships in force, their users read) holding the
    capability there: who a job notifies for that organisation."""
    memberships = (
        Membership.objects.active()
        .with_standings()
        .filter(organisation_id=organisation_id)
        .select_related("user", "organisation")
    )
    return [membership for membership in memberships if may(membership, capability)]


def consortia_where(
    user: Any, capability: str, *, standing: str | None = None
) -> QuerySet[Consortium]:
    """The consortia in which one of the user's memberships holds the capability (only
    through ``standing`` when given: the GMEs a funder funds, say)."""
    memberships = memberships_with_standings(user)
    conditions = []
    for holder in CAPABILITIES[Capability(capability)]:
        if standing is not None and holder.standing != standing:
            continue
        organisations = {
            m.organisation_id
            for m in memberships
            if holds_row(m.role, holder, capability, m.capability_overrides)
        }
        if organisations:
            conditions.append(consortia_with_standing(holder.standing, organisations))
    if not conditions:
        return Consortium.objects.none()
    return Consortium.objects.filter(functools.reduce(operator.or_, conditions))


def may_in_consortium(user: Any, capability: str, consortium: Consortium | int) -> bool:
    """Whether one of the user's memberships holds the capability in this consortium."""
    consortium_id = consortium if isinstance(consortium, int) else consortium.pk
    return consortia_where(user, capability).filter(pk=consortium_id).exists()


def require_in_consortium(
    user: Any, capability: str, consortium: Consortium | int, refusal: str
) -> None:
    """:func:`may_in_consortium`, refused with the French ``refusal`` (403) otherwise."""
    if not may_in_consortium(user, capability, consortium):
        raise PermissionDenied(refusal)
