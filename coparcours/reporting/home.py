"""The funder's "À traiter" block: its last copil report, and the last period of its
masked figures published on the fixed grid (docs/decisions.md, « Funders' figures on a
fixed grid »). Aggregates only: no youth's data is read."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone
from coparcours.reporting import grids, selectors

_KIND_ORDER = {grids.MONTH: 0, grids.QUARTER: 1, grids.YEAR: 2}


def last_published(today: datetime.date) -> grids.GridPeriod:
    """The grid period that ended last (the widest of those ending the same day: a year's
    December makes its fourth quarter and the year)."""
    return max(grids.published(today), key=lambda grid: (grid.end, _KIND_ORDER[grid.kind]))


def _is_new(request: HttpRequest, day: datetime.date) -> bool:
    previous = getattr(request.user, "previous_login", None)
    return previous is None or day > timezone.localtime(previous).date()


def funder_reports(request: HttpRequest) -> Todo | None:
    """The funder's last copil report (its PDF, as generated) and its last published
    figures; ``None`` when the user's organisations fund no consortium. Three queries."""
    user = request.user
    if not selectors.steered(user, selectors.FUNDER).exists():
        return None
    key = selectors.FUNDER
    rows = []
    reports = selectors.copil_reports(user, key)
    if reports:
        report = max(reports, key=lambda found: (found.created_at, found.pk))
        generated = timezone.localtime(report.created_at)
        rows.append(
            TodoRow(
                label=f"Rapport de copil du {report.start:%d/%m/%Y} au "
                f"{report.end - datetime.timedelta(days=1):%d/%m/%Y}",
                detail=f"Généré le {generated:%d/%m/%Y}",
                badge="nouveau" if _is_new(request, generated.date()) else "",
                tone=Tone.NEW,
                url=reverse("reporting:copil_download", args=[key, report.pk]),
                action="Télécharger le PDF",
            )
        )
    grid = last_published(timezone.localdate())
    rows.append(
        TodoRow(
            label=f"Chiffres publiés : {grid.label}",
            detail=f"Tableau de bord du financeur, chiffres masqués, "
            f"publiés le {grid.end:%d/%m/%Y}",
            badge="nouveau" if _is_new(request, grid.end) else "",
            tone=Tone.NEW,
            url=f"{reverse('reporting:dashboard', args=[key])}?{urlencode({'periode': grid.key})}",
            action="Ouvrir",
        )
    )
    return Todo(len(rows), rows, reverse("reporting:copil_history", args=[key]))


REPORTS_BLOCK = TodoBlock(
    key="funder_reports",
    title="Dernier rapport du copil",
    capability=Capability.REPORTING_FUNDER,
    find=funder_reports,
    empty="Aucun rapport publié pour l'instant.",
    order=60,
)
