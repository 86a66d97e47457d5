"""Steering dashboards per role: the same tables on the page (with charts), in the
exports, in the copil PDF and in the API; the funder's view is masked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.housing.models import Site
from coparcours.organisations.home import HomePanel
from coparcours.organisations.models import Consortium, ConsortiumKind
from coparcours.reporting import charts, grids, indicators, publication, selectors, services
from coparcours.reporting.exports import table_response
from coparcours.reporting.forms import (
    CopilCommentsForm,
    FilterForm,
    FunderFilterForm,
    default_period,
)
from coparcours.reporting.indicators import Period, Table


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
    _require_steering(user, key)
    consortia = selectors.steered(user, key)
    today = timezone.localdate()
    data = dict(params)
    scope = selectors.finance_members(user, consortia) if key == selectors.FINANCE else None
    form: FilterForm | FunderFilterForm
    if key == selectors.FUNDER:
        form = FunderFilterForm(_on_grid(data, today), consortia=consortia, today=today)
    else:
        if "start" not in data and "end" not in data:
            period = default_period(today)
            data.update(start=period.start.isoformat(), end=period.end.isoformat())
        form = FilterForm(data, consortia=consortia, **_filters(key, consortia, scope))
    title = selectors.DASHBOARDS[key]
    if not form.is_valid():
        return Dashboard(key, title, form, [])
    chosen = form.cleaned_data["consortium"]
    selected = [chosen] if chosen else list(consortia)
    period = form.period
    organisation = form.cleaned_data.get("organisation")
    members = [organisation.pk] if organisation else None
    site = form.cleaned_data.get("site")
    gmes = [c for c in selected if c.kind == ConsortiumKind.GME]
    partnerships = [c for c in selected if c.kind == ConsortiumKind.CEJ_JR]
    if key == selectors.GME:
        tables = indicators.gme_tables(
            gmes, period, today, members, site_ids=[site.pk] if site else None
        )
        tables = [indicators.with_total(t) for t in tables]
    elif key == selectors.CEJ:
        tables = [
            indicators.with_total(t)
            for t in indicators.cej_tables(partnerships, period, today, members)
        ]
    elif key == selectors.FINANCE:
        tables = indicators.finance_tables(gmes, period, members or scope)
    else:  # the funder: the year's publication, audited over every period and consortium
        tables = publication.funder_tables(
            list(consortia), chosen, form.cleaned_data["periode"], today
        )
    finance_scope = (members or scope) if key == selectors.FINANCE else None
    return Dashboard(key, title, form, tables, selected, finance_scope)


def _on_grid(data: dict[str, Any], today: datetime.date) -> dict[str, Any]:
    """A funder's period: the grid period asked (``periode``), the one that a ``start`` and
    an ``end`` make exactly, or the last ended quarter; dates off the grid stay as written,
    for the form to refuse them naming the grids."""
    if data.get("periode") or not (data.get("start") or data.get("end")):
        return {**data, "periode": data.get("periode") or grids.default(today).key}
    start, end = data.get("start", ""), data.get("end", "")
    try:
        period = Period(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
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


COPIL_HISTORY_PAGE_SIZE = 25

#: The filter fields a copil report carries from the dashboard to its history.
FILTER_FIELDS = ("start", "end", "periode", "consortium", "organisation", "site")


@requires(Capability.REPORTING)
def copil(request: HttpRequest, key: str) -> HttpResponse:
    """Prepare the copil report of the dashboard as filtered: a comment per table, then
    generate the PDF (same charts and tables), stored in the report history."""
    source = request.POST if request.method == "POST" else request.GET
    board = build(request.user, key, {k: source[k] for k in FILTER_FIELDS if source.get(k)})
    comments = CopilCommentsForm(
        request.POST if request.method == "POST" else None,
        titles=[table.title for table in board.tables],
    )
    if request.method == "POST" and board.form.is_valid() and comments.is_valid():
        report = services.generate_copil(request.user, board, comments.comments())
        messages.success(
            request,
            f"Rapport de copil enregistré ({report.start:%d/%m/%Y} – {report.end:%d/%m/%Y}).",
        )
        return redirect(f"{reverse('reporting:copil_history', args=[key])}#rapport-{report.pk}")
    invalid = request.method == "POST" or not board.form.is_valid()
    return render(
        request,
        "reporting/copil_form.html",
        {
            "board": board,
            "comments": comments,
            "filters": {k: board.form.data.get(k) for k in FILTER_FIELDS if board.form.data.get(k)},
        },
        status=400 if invalid else 200,
    )


def _require_steering(user: Any, key: str) -> None:
    if key not in selectors.DASHBOARDS:
        raise Http404
    if not selectors.steered(user, key).exists():
        raise PermissionDenied("Ce tableau de bord n'est pas accessible à votre rôle.")


@requires(Capability.REPORTING)
def copil_history(request: HttpRequest, key: str) -> HttpResponse:
    """Past copil reports of the dashboard that the user may read (who, when, period), the
    latest first, a page at a time."""
    _require_steering(request.user, key)
    reports = selectors.copil_reports(request.user, key)
    page = Paginator(reports, COPIL_HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "reporting/copil_history.html",
        {"key": key, "title": selectors.DASHBOARDS[key], "reports": page, "page": page},
    )


@requires(Capability.REPORTING)
def copil_download(request: HttpRequest, key: str, pk: int) -> FileResponse:
    """A past copil report's PDF, as generated, under the dashboard's access rule."""
    _require_steering(request.user, key)
    found = selectors.copil_reports(request.user, key, pk=pk)
    if not found:
        raise Http404
    report = found[0]
    response = FileResponse(
        report.pdf.open("rb"),
        content_type="application/pdf",
        filename=f"copil-{key}-{report.start:%Y%m%d}-{report.pk}.pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


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
