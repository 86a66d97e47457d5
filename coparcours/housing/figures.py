"""A GME's housing figures kept in the cache between two changes of its housing.

The coordinator's desk and the availability search aggregate the stays and the capacity of
a whole GME: numbers of places per member and per site, the same for every reader and no
youth's data. They are computed once and kept in the ``figures`` cache under the GME's
*housing version*, which every saved or deleted stay, capacity change or site renews
(:func:`renew_on_change`, connected in ``HousingConfig.ready``): the next reader computes
them again. Renewed at once and again when the transaction commits, so a reader who read
during the transaction cannot keep the figures of before.

The ``figures`` cache is Redis when ``REDIS_URL`` is set; without Redis it keeps nothing
(Django's dummy cache) and the figures are computed on every page: a cache in the database
they are computed from would cost as many queries as it saves.

Decisions taken on the figures (placing a youth, a loan) never read them from here: the
services check the free places in their own transaction (``selectors.occupancy.free_places``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import caches
from django.db import transaction

T = TypeVar("T")

#: Entries expire after ten minutes even without a change: the bound on what a change made
#: outside the application (a restored backup, SQL by hand) may leave.
FIGURES_TIMEOUT = 10 * 60


def _cache():
    return caches["figures"]


def _version_key(consortium_id: int) -> str:
    return f"housing:{consortium_id}:version"


def housing_version(consortium_id: int) -> str:
    """The current version of a GME's housing (a new one if the cache lost it)."""
    cache, key = _cache(), _version_key(consortium_id)
    version = cache.get(key)
    if version is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        version = cache.get(key)
    return version


def renew(consortium_id: int) -> None:
    """Forget the GME's figures: the readers that follow compute them again."""
    _cache().set(_version_key(consortium_id), uuid.uuid4().hex, timeout=None)


def remembered(consortium_id: int, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this GME's housing as it is now, from the cache when it is there."""
    cache, key = _cache(), f"housing:{consortium_id}:{housing_version(consortium_id)}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=FIGURES_TIMEOUT)
    return value


def renew_on_change(sender: type, instance: Any, **kwargs: Any) -> None:
    """Signal receiver for stays, capacity changes and sites (saved or deleted)."""
    consortium_id = getattr(instance, "consortium_id", None)
    if consortium_id is None:
        consortium_id = instance.site.consortium_id
    renew(consortium_id)
    transaction.on_commit(lambda: renew(consortium_id))
