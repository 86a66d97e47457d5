"""Every steering indicator as JSON, so a funder can pull them, with the filters, access and
masking of the web dashboards."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Schema

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires, invalid_parameter
from coparcours.reporting.views.dashboards import build

router = Router(tags=["Pilotage"])


class TableOut(Schema):
    title: str
    headers: list[str]
    rows: list[list[Any]]


class DashboardOut(Schema):
    dashboard: str
    start: datetime.date
    end: datetime.date
    masked: bool
    tables: list[TableOut]


@router.get("/{key}", response=DashboardOut, summary="Indicateurs d'un tableau de bord")
@api_requires(Capability.REPORTING)
def dashboard(
    request: HttpRequest,
    key: str,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    consortium_id: int | None = None,
    organisation_id: int | None = None,
    site_id: int | None = None,
    period: str | None = None,
) -> dict[str, Any]:
    """``key`` is ``groupement``, ``finances`` (amounts as strings, to the cent), ``cej``
    or ``financeur`` (masked aggregates). The period defaults to the last twelve months;
    ``end`` is excluded. ``organisation_id``: a member (GME, finance) or a partner (CEJ-JR);
    ``site_id``: a site (GME). ``financeur`` is published on a fixed grid only: ``period``
    an ended month (``2026-11``), quarter (``2026-T3``) or year (``2026``), or ``start`` and
    ``end`` making one exactly; any other period answers 422 ``period_off_grid``; the
    default is the last ended quarter."""
    params = {
        name: str(value)
        for name, value in {
            "start": start,
            "end": end - datetime.timedelta(days=1) if end else None,  # the form's is included
            "periode": period,
            "consortium": consortium_id,
            "organisation": organisation_id,
            "site": site_id,
        }.items()
        if value is not None
    }
    board = build(request.auth, key, params)
    if not board.form.is_valid():
        off_grid = board.form.errors.get("periode")
        if off_grid:
            raise invalid_parameter("period", " ".join(off_grid), code="period_off_grid")
        raise ValidationError(" ".join(m for ms in board.form.errors.values() for m in ms))
    return {
        "dashboard": key,
        "start": board.form.period.start,
        "end": board.form.period.end,
        "masked": key == "financeur",
        "tables": [{"title": t.title, "headers": t.headers, "rows": t.rows} for t in board.tables],
    }
