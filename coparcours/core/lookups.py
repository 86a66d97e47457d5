"""Lookups the ORM lacks."""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class EqualsAny(Lookup):
    """``field = ANY(array)`` (PostgreSQL), for a value among an ``ArraySubquery``: the
    array is computed once, so the condition can sit beside other indexed conditions under
    an ``OR`` (a BitmapOr of index scans), where ``IN (subquery)`` is a semi-join the planner
    cannot combine that way."""

    lookup_name = "equals_any"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]
