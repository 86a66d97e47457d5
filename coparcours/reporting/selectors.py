"""Which consortia a user steers, and in which view (docs/conventions.md, "Screens by role").

Each dashboard opens with a capability of the access policy (``reporting_gme``,
``reporting_cej``, ``reporting_finance``, ``reporting_funder``; docs/access.md): the
coordination and the members' directors steer their GME; the partners' coordinators and
directors their CEJ-JR partnership; a funder viewer (Département, DREETS) sees the
consortia its organisation funds, masked; the finance officers and directors of a GME's
members and its coordination read the finance dashboard, the lead's managers every
member, the others their own member; funders read no finance dashboard (they see their
invoices and payments in finance).
Dashboards hold aggregates only: no youth's data is read, so the access policy's
per-youth check is not involved.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from coparcours.core.access import Capability, consortia_where
from coparcours.finance import selectors as finance
from coparcours.organisations.models import Consortium, Organisation
from coparcours.reporting.models import CopilReport

GME, CEJ, FINANCE, FUNDER = "groupement", "cej", "finances", "financeur"
DASHBOARDS = {
    GME: "Groupement (hébergement)",
    FINANCE: "Finances du groupement",
    CEJ: "CEJ-JR",
    FUNDER: "Financeur",
}


#: The capability of the access policy that opens each dashboard (docs/access.md).
DASHBOARD_CAPABILITIES = {
    GME: Capability.REPORTING_GME,
    FINANCE: Capability.REPORTING_FINANCE,
    CEJ: Capability.REPORTING_CEJ,
    FUNDER: Capability.REPORTING_FUNDER,
}


def steered(user: Any, dashboard: str) -> QuerySet[Consortium]:
    """The consortia whose figures the user reads on ``dashboard``: those in which one of
    their memberships holds the dashboard's capability."""
    return consortia_where(user, DASHBOARD_CAPABILITIES[dashboard]).order_by("name")


def dashboards_for(user: Any) -> list[str]:
    """The dashboards the user may open (one query each)."""
    return [key for key in DASHBOARDS if steered(user, key).exists()]


def member_organisations(consortia: QuerySet[Consortium]) -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(consortium_memberships__consortium__in=consortia)
        .distinct()
        .order_by("name")
    )


def finance_members(user: Any, consortia: QuerySet[Consortium]) -> list[int] | None:
    """The members whose money the user reads on the finance dashboard: ``None`` (all of
    them) for the lead's managers of every consortium shown, else the user's own members
    (finance's rule for the members' positions)."""
    if not consortia.exclude(pk__in=finance.managed_consortia(user).values("pk")).exists():
        return None
    own = finance.member_finance_ids(user)
    return sorted(
        Organisation.objects.filter(pk__in=own, consortium_memberships__consortium__in=consortia)
        .values_list("pk", flat=True)
        .distinct()
    )


def copil_reports(user: Any, dashboard: str, pk: int | None = None) -> list[CopilReport]:
    """Past copil reports of ``dashboard`` the user may read (only report ``pk`` if given):
    every consortium a report covers is one the user steers there, and (finance) every
    member it shows is one the user reads. One query for the reports and their consortia."""
    steered_ids = set(steered(user, dashboard).values_list("pk", flat=True))
    reports = CopilReport.objects.filter(pk=pk) if pk is not None else CopilReport.objects.all()
    reports = (
        reports.filter(dashboard=dashboard, consortia__in=steered_ids)
        .exclude(consortia__in=Consortium.objects.exclude(pk__in=steered_ids))
        .select_related("created_by")
        .distinct()
    )
    if dashboard != FINANCE:
        return list(reports)
    scope = finance_members(user, Consortium.objects.filter(pk__in=steered_ids))
    return [
        report
        for report in reports
        if scope is None
        or (report.member_scope is not None and set(report.member_scope) <= set(scope))
    ]
