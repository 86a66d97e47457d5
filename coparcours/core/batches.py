"""Long lists of ids cut for ``__in`` lookups built in Python."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: Ids per ``__in`` query: SQLite accepts at most 32,766 parameters in one statement.
IDS_PER_QUERY = 10_000


def chunks(items: Iterable[T], size: int | None = None) -> Iterator[list[T]]:
    """Lists of at most ``size`` items (:data:`IDS_PER_QUERY` by default), in order."""
    size = size or IDS_PER_QUERY
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
