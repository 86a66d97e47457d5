"""Steering dashboards per role (issue 9): the same tables on the page (with charts), in the
exports, in the copil PDF and in the API; the funder's view is masked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from coparcours.core.pdf import pdf_response
from coparcours.housing.models import Site
from coparcours.organisations.home import HomePanel
from coparcours.organisations.models import ConsortiumKind, Role
from coparcours.reporting import charts, indicators, selectors
from coparcours.reporting.exports import table_response
from coparcours.reporting.forms import FilterForm, default_period
from coparcours.reporting.indicators import Table


@dataclass
class Dashboard:
    key: str
    title: str
    form: FilterForm
    tables: list[Table]

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
    if key not in selectors.DASHBOARDS:
        raise Http404
    consortia = selectors.steered(user, key)
    if not consortia.exists():
        raise PermissionDenied("Ce tableau de bord n'est pas accessible à votre rôle.")
    today = timezone.localdate()
    gme_only = key == selectors.GME
    data = dict(params)
    if "start" not in data and "end" not in data:
        period = default_period(today)
        data.update(start=period.start.isoformat(), end=period.end.isoformat())
    form = FilterForm(
        data,
        consortia=consortia,
        organisations=selectors.member_organisations(consortia) if gme_only else None,
        sites=Site.objects.filter(consortium__in=consortia).order_by("name") if gme_only else None,
    )
    title = selectors.DASHBOARDS[key]
    if not form.is_valid():
        return Dashboard(key, title, form, [])
    chosen = form.cleaned_data["consortium"]
    selected = [chosen] if chosen else list(consortia)
    period = form.period
    gmes = [c for c in selected if c.kind == ConsortiumKind.GME]
    partnerships = [c for c in selected if c.kind == ConsortiumKind.CEJ_JR]
    if key == selectors.GME:
        organisation, site = form.cleaned_data["organisation"], form.cleaned_data["site"]
        tables = indicators.gme_tables(
            gmes,
            period,
            today,
            organisation_ids=[organisation.pk] if organisation else None,
            site_ids=[site.pk] if site else None,
        )
        tables = [indicators.with_total(t) for t in tables]
    elif key == selectors.CEJ:
        tables = [
            indicators.with_total(t) for t in indicators.cej_tables(partnerships, period, today)
        ]
    else:
        tables = indicators.funder_view(
            (indicators.gme_tables(gmes, period, today) if gmes else [])
            + (indicators.cej_tables(partnerships, period, today) if partnerships else [])
        )
    return Dashboard(key, title, form, tables)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The user's first dashboard."""
    found = selectors.dashboards_for(request.user)
    if not found:
        raise PermissionDenied("Aucun tableau de bord n'est accessible à votre rôle.")
    return redirect("reporting:dashboard", key=found[0])


@login_required
def dashboard(request: HttpRequest, key: str) -> HttpResponse:
    board = build(request.user, key, request.GET.dict())
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            "masked": key == selectors.FUNDER,
            "query": request.GET.urlencode(),
            "dashboards": [
                (k, selectors.DASHBOARDS[k]) for k in selectors.dashboards_for(request.user)
            ],
        },
    )


@login_required
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


@login_required
def copil_pdf(request: HttpRequest, key: str) -> HttpResponse:
    """The dashboard as a PDF for the steering committee (same charts and tables)."""
    board = build(request.user, key, request.GET.dict())
    if not board.form.is_valid():
        return render(request, "reporting/dashboard.html", {"board": board}, status=400)
    period = board.form.period
    return pdf_response(
        "reporting/copil.html",
        {"board": board, "period": period, "masked": key == selectors.FUNDER},
        f"copil-{key}-{period.start:%Y%m%d}.pdf",
    )


def _panel(request: HttpRequest) -> dict[str, Any]:
    found = selectors.dashboards_for(request.user)
    return {
        "reporting_dashboards": [(k, selectors.DASHBOARDS[k]) for k in found],
        "evaluations": selectors.GME in found,
    }


PANEL = HomePanel(
    roles=frozenset({Role.COORDINATOR, Role.DIRECTOR, Role.QUALITY_DIRECTOR, Role.FUNDER_VIEWER}),
    template="reporting/_home_panel.html",
    context=_panel,
    order=80,
)
