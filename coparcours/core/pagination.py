"""API lists: django-ninja's limit/offset pagination, bounded to what a database can hold.

Without bounds, a ``limit`` or ``offset`` beyond 64 bits reached the database and failed
with a server error (found by the API fuzzing, tests/trust/test_api_fuzzing.py).
"""

from __future__ import annotations

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 2**31 - 1


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
