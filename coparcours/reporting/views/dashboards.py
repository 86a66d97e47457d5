"""Steering dashboards per role: the same tables on the page (with charts), in the
exports, in the copil PDF and in the API; the funder's view is masked. Also the home page's
panel listing the user's dashboards."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.models import Site
from coparcours.organisations.home import HomePanel
from coparcours.organisations.models import Consortium, ConsortiumKind
from coparcours.reporting import charts, grids, publication, selectors
from coparcours.reporting.exports import table_response
from coparcours.reporting.forms.dashboards import FilterForm, FunderFilterForm, default_period
from coparcours.reporting.indicators.cej import cej_tables
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.finance import finance_tables
from coparcours.reporting.indicators.gme import gme_tables
from coparcours.reporting.indicators.needs import FLOW_TITLE, flow_table, needs_tables
from coparcours.reporting.tables import Table, mask_table, with_total


@dataclass
class Dashboard:
    key: str
    title: str
    form: FilterForm
    tables: list[Table]
    consortia: list[Consortium] = field(default_factory=list)
    member_scope: list[int] | None = None  # finance: the members read (None: all)

    @property
    def figures(self) -> list[tuple[Table, str | None]]:
        return [
            (table, charts.table_chart(table, table.charted, table.label_columns))
            for table in self.tables
        ]


def build(user: Any, key: str, params: dict[str, Any]) -> Dashboard:
    """The filtered tables of one dashboard for the user (``PermissionDenied`` when the user
    steers nothing there). An invalid filter leaves the tables empty and the form's French
    errors to show."""
    require_steering(user, key)
    consortia = selectors.steered(user, key)
    today = timezone.localdate()
    data = dict(params)
    scope = selectors.finance_members(user, consortia) if key == selectors.FINANCE else None
    form = _filter_form(key, data, consortia, scope, today)
    title = selectors.DASHBOARDS[key]
    if not form.is_valid():
        return Dashboard(key, title, form, [])
    chosen = form.cleaned_data["consortium"]
    selected = [chosen] if chosen else list(consortia)
    organisation = form.cleaned_data.get("organisation")
    members = [organisation.pk] if organisation else None
    tables = _tables(key, form, consortia, selected, members, scope, today)
    finance_scope = (members or scope) if key == selectors.FINANCE else None
    return Dashboard(key, title, form, tables, selected, finance_scope)


def _filter_form(
    key: str,
    data: dict[str, Any],
    consortia: QuerySet[Consortium],
    scope: list[int] | None,
    today: datetime.date,
) -> FilterForm | FunderFilterForm:
    """Bind the dashboard's filter form: a funder's on the grid, the others' on the last
    twelve months when no date is given."""
    if key == selectors.FUNDER:
        return FunderFilterForm(_on_grid(data, today), consortia=consortia, today=today)
    if "start" not in data and "end" not in data:
        period = default_period(today)
        last_day = period.end - datetime.timedelta(days=1)  # the form's end is included
        data.update(start=period.start.isoformat(), end=last_day.isoformat())
    return FilterForm(data, consortia=consortia, **_filters(key, consortia, scope))


def _tables(
    key: str,
    form: FilterForm | FunderFilterForm,
    consortia: QuerySet[Consortium],
    selected: list[Consortium],
    members: list[int] | None,
    scope: list[int] | None,
    today: datetime.date,
) -> list[Table]:
    """Compute the dashboard's tables for the valid filter, over the selected consortia."""
    period = form.period
    site = form.cleaned_data.get("site")
    gmes = [c for c in selected if c.kind == ConsortiumKind.GME]
    partnerships = [c for c in selected if c.kind == ConsortiumKind.CEJ_JR]
    if key == selectors.GME:
        tables = gme_tables(gmes, period, today, members, site_ids=[site.pk] if site else None)
        tables = [
            with_total(t)
            for t in tables + ([] if site else needs_tables(gmes, period, today, members))
        ]
    elif key == selectors.CEJ:
        tables = cej_tables(partnerships, period, today, members) + needs_tables(
            partnerships, period, today, members
        )
        tables = [with_total(t) for t in tables]
    elif key == selectors.FINANCE:
        tables = finance_tables(gmes, period, members or scope)
    else:  # the funder: the year's publication, audited over every period and consortium
        tables = publication.funder_tables(
            list(consortia), form.cleaned_data["consortium"], form.cleaned_data["periode"], today
        )
    return tables


def _on_grid(data: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """A funder's period: the grid period asked (``periode``), the one that a ``start`` and
    an ``end`` (its last day, included) make exactly, or the last ended quarter; dates off
    the grid stay as written, for the form to refuse them naming the grids."""
    if data.get("periode") or not (data.get("start") or data.get("end")):
        return {**data, "periode": data.get("periode") or grids.default(today).key}
    start, end = data.get("start", ""), data.get("end", "")
    try:
        period = Period(
            datetime.date.fromisoformat(start),
            datetime.date.fromisoformat(end) + datetime.timedelta(days=1),
        )
        return {**data, "periode": grids.of_period(period, today).key}
    except ValueError:  # a date unreadable, or off the grid (grids.OffGrid)
        return {**data, "periode": f"du {start} au {end}"}


def _filters(key: str, consortia: QuerySet[Consortium], scope: list[int] | None) -> dict:
    """The dashboard's own filters beside the period and the consortium: member and site
    (GME), partner (CEJ-JR), member among those the user reads (finance). The funder has
    its own form (``FunderFilterForm``): figures aggregated per consortium."""
    if key == selectors.GME:
        return {
            "organisations": selectors.member_organisations(consortia),
            "sites": Site.objects.filter(consortium__in=consortia).order_by("name"),
        }
    if key == selectors.CEJ:
        return {
            "organisations": selectors.member_organisations(consortia),
            "organisation_label": "Partenaire",
        }
    members = selectors.member_organisations(consortia)  # finance
    return {"organisations": members if scope is None else members.filter(pk__in=scope)}


@requires(Capability.REPORTING)
def index(request: HttpRequest) -> HttpResponse:
    """The user's first dashboard."""
    found = selectors.dashboards_for(request.user)
    if not found:
        raise PermissionDenied("Aucun tableau de bord n'est accessible à votre rôle.")
    return redirect("reporting:dashboard", key=found[0])


@requires(Capability.REPORTING)
def dashboard(request: HttpRequest, key: str) -> HttpResponse:
    board = build(request.user, key, request.GET.dict())
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            "masked": key == selectors.FUNDER,
            "needs_title": FLOW_TITLE,
            "query": request.GET.urlencode(),
            "dashboards": [
                (k, selectors.DASHBOARDS[k]) for k in selectors.dashboards_for(request.user)
            ],
        },
    )


@requires(Capability.REPORTING)
def export(
    request: HttpRequest, key: str, index: int, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """One table of the dashboard as CSV or XLSX, with the same filter and masking."""
    board = build(request.user, key, request.GET.dict())
    if not board.form.is_valid():
        return render(request, "reporting/dashboard.html", {"board": board}, status=400)
    if not 0 <= index < len(board.tables):
        raise Http404
    return table_response(board.tables[index], fmt)


@requires(Capability.REPORTING)
def needs_for_partners(
    request: HttpRequest, key: str, fmt: str
) -> HttpResponse | StreamingHttpResponse:
    """The register's needs noticed and answered, as the dashboard filters them, with small
    counts masked and their complements suppressed (``mask_table``): the copy a GME's or a
    partnership's steering sends to partners such as the SIAO or the ARS."""
    if key not in (selectors.GME, selectors.CEJ):
        raise Http404
    board = build(request.user, key, request.GET.dict())
    if not board.form.is_valid():
        return render(request, "reporting/dashboard.html", {"board": board}, status=400)
    organisation = board.form.cleaned_data.get("organisation")
    table = flow_table(
        board.consortia, board.form.period, [organisation.pk] if organisation else None
    )
    return table_response(mask_table(table), fmt)


def require_steering(user: Any, key: str) -> None:
    """Refuse a dashboard that does not exist (404) or that the user steers nothing in."""
    if key not in selectors.DASHBOARDS:
        raise Http404
    if not selectors.steered(user, key).exists():
        raise PermissionDenied("Ce tableau de bord n'est pas accessible à votre rôle.")


def _panel(request: HttpRequest) -> dict[str, Any]:
    found = selectors.dashboards_for(request.user)
    return {
        "reporting_dashboards": [(k, selectors.DASHBOARDS[k]) for k in found],
        "evaluations": selectors.GME in found,
    }


PANEL = HomePanel(
    capability=Capability.REPORTING,
    template="reporting/_home_panel.html",
    context=_panel,
    order=80,
)
