"""Paginated lists: django-ninja's limit/offset pagination bounded to what a database can
hold, and lists whose rows are decided a page at a time.

Without bounds, a ``limit`` or ``offset`` beyond 64 bits reached the database and failed
with a server error (found by the API fuzzing, tests/trust/test_api_fuzzing.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class PageConverted:
    """A queryset seen as a list whose slices are converted a page at a time.

    Counting and slicing query the database; only the rows of the requested page are
    loaded and handed to ``convert`` together (e.g. to decide their access in bulk), so a
    page costs the same number of queries whatever the size of the list. Django's
    ``Paginator`` and django-ninja's pagination both accept it.
    """

    def __init__(self, queryset: QuerySet, convert: Callable[[list[Any]], list[Any]]):
        self.queryset = queryset
        self.convert = convert

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[Any]:
        return self.convert(list(self.queryset[window]))

    def map(self, function: Callable[[Any], Any]) -> PageConverted:
        """The same list, each converted row passed through ``function``."""
        return PageConverted(
            self.queryset, lambda rows: [function(row) for row in self.convert(rows)]
        )
