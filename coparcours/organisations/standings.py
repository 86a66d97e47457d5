"""Organisations' standings kept in the cache between two changes of the consortia.

Every signed-in request reads the person's memberships with their organisations' standings
(lead or member of a GME, porteur or partner of a CEJ-JR partnership, funder), which the
capability table needs for the menus. Computed in SQL they are six ``EXISTS`` subqueries on
every request (a few milliseconds); they change only when a consortium or its members do.
So the standings a person's memberships had are kept in the ``standings`` cache, per person
and day, under the *consortia version* that every saved or deleted consortium or member
renews (renewed again when the transaction commits): a request whose person and version
are in the cache reads its memberships without the subqueries, in the same single query.

Without Redis the ``standings`` cache keeps nothing (Django's dummy cache): the subqueries
run on every request, as before, with the same number of queries (docs/decisions.md, 26).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.cache import caches
from django.db import transaction
from django.utils import timezone

from coparcours.organisations.models import Membership, Standing

VERSION_KEY = "organisations:consortia:version"
#: A day's entry of a person expires at most after a day (the key names the day too).
TIMEOUT = 24 * 60 * 60
#: The standings a membership can have beside ``any`` (the annotations' names).
_STANDINGS = [standing for standing in Standing.values if standing != Standing.ANY]


def _cache():
    return caches["standings"]


def _person_key(user_id: int) -> str:
    return f"organisations:standings:{user_id}:{timezone.localdate().isoformat()}"


def remembered_standings(user_id: int) -> tuple[str | None, dict[int, list[str]] | None]:
    """The current consortia version, and the standings of the person's organisations if
    they were computed under it today (one cache round trip). The version is read before
    the standings are computed again, so that a change made meanwhile is never hidden."""
    found = _cache().get_many([VERSION_KEY, _person_key(user_id)])
    version, entry = found.get(VERSION_KEY), found.get(_person_key(user_id))
    if version is None:
        return _new_version(), None
    if entry is None or entry[0] != version:
        return version, None
    return version, entry[1]


def _new_version() -> str | None:
    """A version where the cache had none (``None`` for a cache that keeps nothing)."""
    cache = _cache()
    cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return cache.get(VERSION_KEY)


def remember_standings(user_id: int, version: str | None, memberships: list[Membership]) -> None:
    """Keep the standings the memberships were read with (``with_standings``) under the
    version read before they were computed."""
    if version is None:
        return  # a cache that keeps nothing
    by_organisation = {
        membership.organisation_id: [s for s in _STANDINGS if getattr(membership, f"_stands_{s}")]
        for membership in memberships
    }
    _cache().set(_person_key(user_id), (version, by_organisation), timeout=TIMEOUT)


def attach_standings(memberships: list[Membership], by_organisation: dict[int, list[str]]) -> bool:
    """Give each membership its organisation's remembered standings, as ``with_standings``
    would; ``False`` (nothing attached) when one of the organisations is not remembered."""
    if any(membership.organisation_id not in by_organisation for membership in memberships):
        return False
    for membership in memberships:
        held = set(by_organisation[membership.organisation_id])
        for standing in _STANDINGS:
            setattr(membership, f"_stands_{standing}", standing in held)
    return True


def renew() -> None:
    """Forget every remembered standing: the requests that follow read them again."""
    _cache().set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def renew_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    """Signal receiver for consortia and their members (saved or deleted)."""
    renew()
    transaction.on_commit(renew)
