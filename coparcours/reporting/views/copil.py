"""The copil report of a dashboard: comments per table, the PDF generated and stored, the
history of past reports and their download."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.reporting import selectors, services
from coparcours.reporting.forms.copil import CopilCommentsForm
from coparcours.reporting.views.dashboards import build, require_steering

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


@requires(Capability.REPORTING)
def copil_history(request: HttpRequest, key: str) -> HttpResponse:
    """Past copil reports of the dashboard that the user may read (who, when, period), the
    latest first, a page at a time."""
    require_steering(request.user, key)
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
    require_steering(request.user, key)
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
