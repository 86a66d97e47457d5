"""Which consortia a user steers, and in which view (design.md, screens by role).

The coordination and the members' directors steer their GME; the partners' coordinators
and directors their CEJ-JR partnership; a funder viewer (Département, DREETS) sees the
consortia its organisation funds, masked. Dashboards hold aggregates only: no youth's
data is read, so the access policy's per-youth check is not involved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from coparcours.core.access import active_memberships
from coparcours.housing.selectors import coordinated_consortia
from coparcours.organisations.models import Consortium, ConsortiumKind, Organisation, Role

#: Roles of a member organisation that read its consortium's steering figures.
STEERING_ROLES = frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.QUALITY_DIRECTOR})

GME, CEJ, FUNDER = "groupement", "cej", "financeur"
DASHBOARDS = {GME: "Groupement (hébergement)", CEJ: "CEJ-JR", FUNDER: "Financeur"}


def _organisations(user: Any, roles: frozenset[str] | set[str]) -> set[int]:
    return {org for org, role in active_memberships(user) if role in roles}


def steered(user: Any, dashboard: str) -> QuerySet[Consortium]:
    """The consortia whose figures the user reads on ``dashboard``."""
    if dashboard == FUNDER:
        return Consortium.objects.filter(
            funder_id__in=_organisations(user, {Role.FUNDER_VIEWER})
        ).order_by("name")
    kind = ConsortiumKind.GME if dashboard == GME else ConsortiumKind.CEJ_JR
    members = Q(members__organisation_id__in=_organisations(user, STEERING_ROLES))
    if dashboard == GME:
        members |= Q(pk__in=coordinated_consortia(user).values("pk"))
    return Consortium.objects.filter(members, kind=kind).distinct().order_by("name")


def dashboards_for(user: Any) -> list[str]:
    """The dashboards the user may open (one query each)."""
    return [key for key in DASHBOARDS if steered(user, key).exists()]


def member_organisations(consortia: QuerySet[Consortium]) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(consortium_memberships__consortium__in=consortia)
        .distinct()
        .order_by("name")
    )
