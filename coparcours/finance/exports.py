"""Documents of the GME money: the invoice PDF (rendered once, at issue, and kept), the
XLSX annex of each youth's days (names only where the access policy allows), and the
administrative account in XLSX and PDF for the funder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from coparcours.core.access import Action, Category, active_memberships, decide
from coparcours.core.audit import entry, record_many
from coparcours.core.exports import workbook_bytes
from coparcours.core.models import AuditEvent
from coparcours.core.pdf import render_pdf
from coparcours.organisations.models import Organisation

if TYPE_CHECKING:
    from coparcours.finance.models import Invoice, InvoiceLine
    from coparcours.finance.selectors import AdministrativeAccount

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = '#,##0.00 "€"'


def invoice_pdf(invoice: Invoice, lines: Sequence[InvoiceLine]) -> bytes:
    """The invoice or credit note as issued, with its legal mentions (CGI art. 242 nonies
    A: number, date, parties, quantities, unit prices, total, payment terms)."""
    consortium = invoice.consortium
    lead = consortium.members.select_related("organisation").get(is_lead=True).organisation
    return render_pdf(
        "finance/pdf/invoice.html",
        {
            "invoice": invoice,
            "lines": lines,
            "lead": lead,
            "consortium": consortium,
            "members": [m.organisation for m in consortium.members.select_related("organisation")],
        },
    )


def _sheet(workbook: Workbook, title: str, header: list[str], first: bool = False):
    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return sheet


def _widths(sheet, widths: list[int]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def annex_xlsx(user: Any, invoice: Invoice) -> bytes:
    """Each youth's billed days. A youth's name shows only if the access policy lets the
    user read that youth's identity (each such read is audited); otherwise the funder's
    own ASE reference of the placement request, or a number."""
    from coparcours.finance.models import InvoiceStayDays
    from coparcours.youths.models.records import access_facts_for

    rows = list(
        InvoiceStayDays.objects.filter(invoice=invoice)
        .select_related("youth", "organisation", "stay__site", "stay__request")
        .order_by("organisation__name", "kind", "youth__last_name", "youth__first_names", "pk")
    )
    day = timezone.localdate()
    facts = access_facts_for({row.youth_id: row.youth.owner_organisation_id for row in rows}, day)
    memberships = active_memberships(user, day)
    granted: dict[int, Any] = {}
    for youth_id, youth_facts in facts.items():
        grant = decide(memberships, youth_facts, Category.IDENTITY, Action.READ)
        if grant is not None:
            granted[youth_id] = grant
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "Journées par jeune",
        [
            "Membre",
            "Type d'accueil",
            "Site",
            "Jeune",
            "Date de naissance",
            "Entrée",
            "Sortie",
            "Journées",
            "Prix de journée",
            "Montant",
        ],
        first=True,
    )
    for row in rows:
        youth = row.youth
        if row.youth_id in granted:
            name, birth = str(youth), youth.birth_date
        else:
            request = row.stay.request
            name = f"Réf. ASE {request.reference}" if request else f"Jeune n° {row.youth_id}"
            birth = None
        sheet.append(
            [
                row.organisation.name,
                row.get_kind_display(),
                row.stay.site.name,
                name,
                birth,
                row.stay.start_date,
                row.stay.end_date,
                row.days,
                row.rate,
                row.amount,
            ]
        )
    for cells in sheet.iter_rows(min_row=2):
        for index in (4, 5, 6):
            cells[index].number_format = "DD/MM/YYYY"
        cells[8].number_format = EURO_FORMAT
        cells[9].number_format = EURO_FORMAT
    total_row = len(rows) + 2
    sheet.cell(total_row, 1, "Total").font = Font(bold=True)
    sheet.cell(total_row, 8, sum(row.days for row in rows))
    total = sheet.cell(total_row, 10, sum((row.amount for row in rows), invoice.total * 0))
    total.number_format = EURO_FORMAT
    _widths(sheet, [22, 26, 34, 30, 14, 12, 12, 10, 14, 14])
    organisations = Organisation.objects.only("id", "name").in_bulk(
        {grant.organisation_id for grant in granted.values()}
    )
    record_many(
        [
            entry(
                user,
                AuditEvent.READ,
                organisation=organisations[grant.organisation_id],
                youth_id=youth_id,
                category=Category.IDENTITY,
                reason=f"Annexe de la facture {invoice.number}",
            )
            for youth_id, grant in granted.items()
        ]
    )
    return workbook_bytes(workbook)


def account_xlsx(account: AdministrativeAccount) -> bytes:
    """The administrative account: by group (with the forecast budget), by account, and
    the eliminated flows of the group account."""
    names = [member.name for member in account.members]
    workbook = Workbook()
    sheet = _sheet(
        workbook,
        "Par groupe",
        ["Groupe fonctionnel", *names, "Consolidé", "Budget prévisionnel", "Écart"],
        first=True,
    )
    for row in account.groups:
        sheet.append(
            [
                row.label,
                *[row.by_member.get(m.pk, 0) for m in account.members],
                row.total,
                row.budget_total,
                row.variance,
            ]
        )
    sheet.append(
        [
            "Résultat (recettes − dépenses)",
            *[
                account.revenues["by_member"][m.pk] - account.expenses["by_member"][m.pk]
                for m in account.members
            ],
            account.result,
        ]
    )
    detail = _sheet(workbook, "Par compte", ["Compte", "Libellé", "Groupe", *names, "Consolidé"])
    for row in account.accounts:
        detail.append(
            [
                row.account,
                row.label,
                row.group,
                *[row.by_member.get(m.pk, 0) for m in account.members],
                row.total,
            ]
        )
    eliminated = _sheet(workbook, "Éliminations", ["Compte", "Libellé", *names, "Total éliminé"])
    for row in account.eliminated:
        eliminated.append(
            [
                row.account,
                row.label,
                *[row.by_member.get(m.pk, 0) for m in account.members],
                row.total,
            ]
        )
    eliminated.append(
        ["", "Reversements enregistrés dans Coparcours", *[""] * len(names), account.redistributed]
    )
    for ws, first_money in ((sheet, 2), (detail, 4), (eliminated, 3)):
        for cells in ws.iter_rows(min_row=2):
            for cell in cells[first_money - 1 :]:
                cell.number_format = EURO_FORMAT
        _widths(ws, [40, *[18] * (len(names) + 4)])
    return workbook_bytes(workbook)


def account_pdf(account: AdministrativeAccount) -> bytes:
    return render_pdf(
        "finance/pdf/administrative_account.html",
        {"account": account, "today": timezone.localdate()},
    )
