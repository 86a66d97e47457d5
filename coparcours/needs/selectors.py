"""Read queries of the register: a youth's needs as far as the reader may read each one
(its dimension's category, its author), and the referrals that may be linked to one."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from coparcours.core.access import (
    Action,
    Category,
    Grant,
    active_memberships,
    check_categories,
    decide,
)
from coparcours.directory.models import Referral
from coparcours.needs.models import DIMENSION_CATEGORIES, UnmetNeed
from coparcours.youths.models import Youth

CATEGORIES = sorted(set(DIMENSION_CATEGORIES.values()))


def _needs(youth: Youth) -> QuerySet[UnmetNeed]:
    return (
        UnmetNeed.objects.filter(youth=youth)
        .select_related("author_organisation")
        .prefetch_related(
            Prefetch("referrals", queryset=Referral.objects.select_related("service__structure"))
        )
        .order_by("status", "since", "pk")
    )


def _readable(
    user: Any, needs: list[UnmetNeed], grants: dict[str, Grant | None]
) -> list[UnmetNeed]:
    """The needs the grants cover, each with ``tried``: its referrals as far as the reader
    sees them (those its own organisations sent, as on the orientation page)."""
    own = {organisation for organisation, _role in active_memberships(user)}
    found = [
        need
        for need in needs
        if (grant := grants.get(need.category)) is not None
        and grant.covers_author(need.author_organisation_id)
    ]
    for need in found:
        need.tried = [r for r in need.referrals.all() if r.author_organisation_id in own]
    return found


def needs_for_youth(user: Any, youth: Youth) -> list[UnmetNeed]:
    """The youth's needs the user may read, the open ones first; the read of the youth's
    identity and of each category that holds a need is audited (``check_categories``)."""
    needs = list(_needs(youth))
    present = sorted({need.category for need in needs} - {Category.IDENTITY})
    grants = check_categories(user, youth, [Category.IDENTITY, *present], Action.READ)
    return _readable(user, needs, grants)


def needs_glimpse(user: Any, youth: Youth) -> list[UnmetNeed]:
    """The same list for the panel of the record page, whose categories that page has
    audited already: the policy's pure decision."""
    needs = list(_needs(youth))
    day = timezone.localdate()
    memberships = active_memberships(user, day)
    facts = youth.access_facts(day)
    grants = {
        category: decide(memberships, facts, category, Action.READ)
        for category in {need.category for need in needs}
    }
    return _readable(user, needs, grants)


def linkable_referrals(youth: Youth, organisation_id: int) -> QuerySet[Referral]:
    """The youth's referrals an organisation sent, which it may link to its needs."""
    return (
        Referral.objects.filter(youth=youth, author_organisation_id=organisation_id)
        .select_related("service__structure")
        .order_by("-created_at", "-pk")
    )


def tried(user: Any, need: UnmetNeed) -> list[Referral]:
    """The referrals tried for a need, as far as the reader sees them (those its own
    organisations sent)."""
    own = {organisation for organisation, _role in active_memberships(user)}
    return [
        referral
        for referral in need.referrals.select_related("service__structure")
        if referral.author_organisation_id in own
    ]
