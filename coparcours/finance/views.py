"""Web pages of the GME money: rates, invoices and credit notes, payments and their
redistribution, the group account's ledger, the members' positions, trial balances, the
mapping of accounts and the consolidated administrative account.

Finance officers and directors of the members and the coordination see the GME's money;
the lead member's finance officer and coordination act; the funder sees its invoices and
payments only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from coparcours.core.access import may_in_consortium
from coparcours.core.access.capabilities import Capability
from coparcours.core.access.routes import requires
from coparcours.core.formats import euros, last_day
from coparcours.core.forms import apply_service_errors
from coparcours.core.views import Confirmation, confirmation_page
from coparcours.finance import exports, rules, selectors
from coparcours.finance.forms import (
    BalanceForm,
    BillForm,
    BudgetForm,
    CreditNoteForm,
    FileForm,
    MappingForm,
    PaymentForm,
    RateForm,
)
from coparcours.finance.models import (
    BUDGET_GROUPS,
    AccountMapping,
    FunctionalGroup,
    Invoice,
    InvoiceKind,
    Payment,
    TrialBalance,
)
from coparcours.finance.services.balances import (
    import_trial_balance,
    may_import_for,
    set_account_group,
    set_forecast_budget,
)
from coparcours.finance.services.bank_statements import import_bank_statement
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.common import require_manager
from coparcours.finance.services.invoices import invoice_document, issue_credit_note
from coparcours.finance.services.payments import record_payment
from coparcours.finance.services.rates import set_daily_rate
from coparcours.organisations.models import Consortium


def _consortium(request: HttpRequest) -> Consortium:
    """The GME whose money the user sees (finance roles)."""
    consortium = selectors.finance_consortia(request.user).order_by("name").first()
    if consortium is None:
        raise PermissionDenied(selectors.NOT_FINANCE)
    return consortium


def _invoice_consortia(request: HttpRequest) -> list[int]:
    """GMEs whose invoices and payments the user sees: finance roles, or as the funder."""
    ids = set(selectors.finance_consortia(request.user).values_list("pk", flat=True))
    ids |= set(selectors.funded_consortia(request.user).values_list("pk", flat=True))
    return sorted(ids)


def _manages(request: HttpRequest, consortium: Consortium) -> bool:
    return may_in_consortium(request.user, Capability.FINANCE_MANAGE, consortium)


def _submit(
    request: HttpRequest, form: Form, action: Callable[[dict[str, Any]], Any], success: str
) -> Any:
    """Run a service on a valid form; its refusals become form errors (nothing saved). The
    ``success`` message is said when given (a caller that words it from the result passes
    none)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        apply_service_errors(form, error)
        return None
    if success:
        messages.success(request, success)
    return result or True


def _page(request: HttpRequest, template: str, consortium: Consortium | None, **context):
    manages = consortium is not None and _manages(request, consortium)
    return render(
        request,
        template,
        {"consortium": consortium, "manages": manages, **context},
    )


# --- Home -----------------------------------------------------------------------------------


@requires(Capability.FINANCE_INVOICES)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The GME's money at a glance: last invoices, the group account, the members."""
    if not selectors.finance_consortia(request.user).exists():
        return redirect("finance:invoices")  # the funder reads its invoices only
    consortium = _consortium(request)
    invoices = list(
        Invoice.objects.filter(consortium=consortium)
        .select_related("credit_note")
        .order_by("-issued_on", "-sequence_number")[:6]
    )
    paid = selectors.paid_amounts([invoice.pk for invoice in invoices])
    ledger = selectors.ledger(consortium)
    return _page(
        request,
        "finance/dashboard.html",
        consortium,
        invoices=[(invoice, paid.get(invoice.pk, 0)) for invoice in invoices],
        balance=ledger[-1].balance if ledger else 0,
        received=sum((row.received for row in ledger), 0),
        passed_on=sum((row.passed_on for row in ledger), 0),
        positions=_positions(request, consortium),
    )


def _positions(request: HttpRequest, consortium: Consortium) -> list:
    """All members for the lead's managers and the coordination; else the user's own."""
    if _manages(request, consortium):
        return selectors.member_positions(consortium)
    return selectors.member_positions(
        consortium, selectors.finance_member_ids(request.user, consortium)
    )


# --- Daily rates ----------------------------------------------------------------------------


@requires(Capability.FINANCE)
def rates(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    members = selectors.members(consortium)
    form = RateForm(request.POST or None, members=members)
    if request.method == "POST":
        require_manager(request.user, consortium)
    done = _submit(
        request,
        form,
        lambda data: set_daily_rate(
            request.user,
            consortium,
            data["organisation"],
            data["kind"],
            data["start_date"],
            data["amount"],
            data["decision"],
        ),
        "Prix de journée enregistré.",
    )
    if done:
        return redirect("finance:rates")
    return _page(
        request,
        "finance/rates.html",
        consortium,
        rates=selectors.rates_in_force(consortium),
        form=form,
        today=timezone.localdate(),
    )


# --- Invoices -------------------------------------------------------------------------------


@requires(Capability.FINANCE_INVOICES)
def invoices(request: HttpRequest) -> HttpResponse:
    consortium_ids = _invoice_consortia(request)
    finance = selectors.finance_consortia(request.user).order_by("name").first()
    form = BillForm(request.POST or None, chosen=request.GET)
    if request.method == "POST":
        if finance is None:
            raise PermissionDenied(selectors.NOT_MANAGER)
        require_manager(request.user, finance)
        result = _submit(
            request,
            form,
            lambda data: bill_month(request.user, finance, data["year"], data["month"]),
            "",
        )
        if result:
            if result.created:
                messages.success(request, "Facture émise.")
            else:
                messages.info(request, "Ce mois est déjà facturé : la facture n'a pas changé.")
            return redirect("finance:invoice", pk=result.invoice.pk)
    listed = list(
        Invoice.objects.filter(consortium_id__in=consortium_ids)
        .select_related("funder", "credits", "credit_note")
        .order_by("-issued_on", "-sequence_number")
    )
    paid = selectors.paid_amounts([invoice.pk for invoice in listed])
    return _page(
        request,
        "finance/invoices.html",
        finance,
        invoices=[(invoice, paid.get(invoice.pk, 0)) for invoice in listed],
        form=form,
    )


def _invoice(request: HttpRequest, pk: int) -> Invoice:
    return get_object_or_404(
        Invoice.objects.select_related("consortium", "funder", "credits"),
        pk=pk,
        consortium_id__in=_invoice_consortia(request),
    )


@requires(Capability.FINANCE_INVOICES)
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    note = Invoice.objects.filter(credits=invoice).first()
    allocations = invoice.allocations.select_related("payment").order_by("payment__received_on")
    paid = sum((a.amount for a in allocations), 0)
    return _page(
        request,
        "finance/invoice_detail.html",
        invoice.consortium,
        invoice=invoice,
        note=note,
        lines=invoice.lines.select_related("organisation"),
        allocations=allocations,
        paid=paid,
        due=invoice.total - paid if invoice.kind == InvoiceKind.INVOICE and not note else 0,
    )


@requires(Capability.FINANCE_INVOICES)
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The invoice's PDF, always the same bytes once rendered (kept in the database)."""
    invoice = _invoice(request, pk)
    response = HttpResponse(invoice_document(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="facture-{invoice.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.FINANCE_INVOICES)
def invoice_annex(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = _invoice(request, pk)
    response = HttpResponse(exports.annex_xlsx(request.user, invoice), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="annexe-{invoice.number}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.FINANCE_MANAGE)
def invoice_credit_note(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel an invoice by a credit note, after saying what it cancels and what follows."""
    invoice = _invoice(request, pk)
    require_manager(request.user, invoice.consortium)
    form = CreditNoteForm(request.POST or None)
    note = _submit(
        request,
        form,
        lambda data: issue_credit_note(request.user, invoice, data["reason"]),
        "Avoir émis : la facture est annulée.",
    )
    if note:
        return redirect("finance:invoice", pk=note.pk)
    period = f"du {invoice.period_start:%d/%m/%Y} au {last_day(invoice.period_end):%d/%m/%Y}"
    return confirmation_page(
        request,
        Confirmation(
            title=f"Annuler la facture {invoice.number} par un avoir ?",
            context=f"{invoice.funder} — {euros(invoice.total)}, période {period}",
            consequences=[
                f"Un avoir de {euros(-invoice.total)} est émis, numéroté à la suite : il annule "
                "toute la facture. Une facture émise ne se modifie ni ne se supprime.",
                f"La période {period} pourra être facturée de nouveau, à partir des "
                "séjours corrigés.",
                "L'avoir est définitif : il figure dans la comptabilité et les exports du "
                "groupement.",
            ],
            confirm="Émettre l'avoir",
            parent=f"Facture {invoice.number}",
            cancel_url=reverse("finance:invoice", args=[invoice.pk]),
            form=form,
        ),
    )


# --- Payments -------------------------------------------------------------------------------


def _open_invoices(consortium: Consortium):
    """The invoices a payment may settle (``remaining`` due), oldest period first."""
    return selectors.open_invoices([consortium]).order_by("period_start")


@requires(Capability.FINANCE_INVOICES)
def payments(request: HttpRequest) -> HttpResponse:
    consortium_ids = _invoice_consortia(request)
    finance = selectors.finance_consortia(request.user).order_by("name").first()
    manages = finance is not None and _manages(request, finance)
    form = PaymentForm(
        request.POST or None,
        invoices=_open_invoices(finance) if finance else Invoice.objects.none(),
    )
    if request.method == "POST":
        if not manages:
            raise PermissionDenied(selectors.NOT_MANAGER)
        payment = _submit(
            request,
            form,
            lambda data: record_payment(
                request.user,
                finance,
                data["received_on"],
                data["amount"],
                sorted(data["invoices"], key=lambda invoice: invoice.period_start),
                data["label"],
            ),
            "Versement enregistré et reversé aux membres.",
        )
        if payment:
            return redirect("finance:payment", pk=payment.pk)
    listed = (
        Payment.objects.filter(consortium_id__in=consortium_ids)
        .prefetch_related("allocations__invoice")
        .order_by("-received_on", "-pk")
    )
    return _page(
        request,
        "finance/payments.html",
        finance,
        payments=listed,
        form=form,
        bank_form=FileForm(),
    )


@requires(Capability.FINANCE_MANAGE)
@require_POST
def bank_import(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    require_manager(request.user, consortium)
    form = FileForm(request.POST, request.FILES)
    result = _submit(
        request,
        form,
        lambda data: import_bank_statement(
            request.user, consortium, data["file"], data["file"].name
        ),
        "Relevé importé.",
    )
    if result:
        messages.info(
            request,
            f"{result.created} versement(s) enregistré(s) et reversé(s) ; "
            f"{result.skipped} ligne(s) de débit ignorée(s) (reversements déjà suivis).",
        )
        return redirect("finance:payments")
    return _page(
        request,
        "finance/payments.html",
        consortium,
        payments=Payment.objects.filter(consortium=consortium).prefetch_related(
            "allocations__invoice"
        ),
        form=PaymentForm(invoices=_open_invoices(consortium)),
        bank_form=form,
    )


@requires(Capability.FINANCE_INVOICES)
def payment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    payment = get_object_or_404(
        Payment.objects.select_related("consortium"),
        pk=pk,
        consortium_id__in=_invoice_consortia(request),
    )
    finance = selectors.finance_consortia(request.user).filter(pk=payment.consortium_id).exists()
    return _page(
        request,
        "finance/payment_detail.html",
        payment.consortium,
        payment=payment,
        allocations=payment.allocations.select_related("invoice"),
        redistributions=payment.redistributions.select_related("organisation") if finance else [],
        finance=finance,
    )


@requires(Capability.FINANCE)
def ledger(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    return _page(request, "finance/ledger.html", consortium, rows=selectors.ledger(consortium))


@requires(Capability.FINANCE)
def member_positions(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    return _page(
        request, "finance/members.html", consortium, positions=_positions(request, consortium)
    )


# --- Trial balances, budgets, mapping -------------------------------------------------------


def _importable_members(request: HttpRequest, consortium: Consortium) -> list:
    return [
        member
        for member in selectors.members(consortium)
        if may_import_for(request.user, consortium, member)
    ]


@requires(Capability.FINANCE)
def balances(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    members = _importable_members(request, consortium)
    form = BalanceForm(request.POST or None, request.FILES or None, members=members)
    if request.method == "POST":
        if not members:
            raise PermissionDenied("Seuls les responsables financiers importent une balance.")
        balance = _submit(
            request,
            form,
            lambda data: import_trial_balance(
                request.user,
                consortium,
                data["organisation"],
                data["year"],
                data["source"],
                data["file"],
                data["file"].name,
            ),
            "Balance importée.",
        )
        if balance:
            return redirect("finance:balances")
    return _balances_page(request, consortium, form, BudgetForm(members=members), bool(members))


def _balances_page(
    request: HttpRequest,
    consortium: Consortium,
    form: BalanceForm,
    budget_form: BudgetForm,
    may_import: bool,
) -> HttpResponse:
    """The trial balances page, with the import form and the budget form."""
    return _page(
        request,
        "finance/balances.html",
        consortium,
        balances=TrialBalance.objects.filter(consortium=consortium).select_related(
            "organisation", "imported_by"
        ),
        form=form,
        budget_form=budget_form,
        may_import=may_import,
    )


@requires(Capability.FINANCE_BALANCES)
@require_POST
def budget(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    members = _importable_members(request, consortium)
    if not members:
        raise PermissionDenied("Seuls les responsables financiers saisissent un budget.")
    form = BudgetForm(request.POST, members=members)
    done = _submit(
        request,
        form,
        lambda data: set_forecast_budget(
            request.user,
            consortium,
            data["organisation"],
            data["year"],
            {group: data.get(group) for group in BUDGET_GROUPS},
        ),
        "Budget prévisionnel enregistré.",
    )
    if done:
        return redirect("finance:balances")
    return _balances_page(request, consortium, BalanceForm(members=members), form, True)


@requires(Capability.FINANCE)
def mapping(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    form = MappingForm(request.POST or None)
    if request.method == "POST":
        require_manager(request.user, consortium)
    done = _submit(
        request,
        form,
        lambda data: set_account_group(request.user, consortium, data["account"], data["group"]),
        "Affectation enregistrée.",
    )
    if done:
        return redirect("finance:mapping")
    overrides = [
        (row, FunctionalGroup(rules.default_group(row.account)).label)
        for row in AccountMapping.objects.filter(consortium=consortium)
    ]
    defaults = sorted(
        (prefix, FunctionalGroup(group).label) for prefix, group in rules.DEFAULT_MAPPING.items()
    )
    return _page(
        request,
        "finance/mapping.html",
        consortium,
        overrides=overrides,
        defaults=defaults,
        form=form,
    )


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("annee", ""))
    except ValueError:
        return timezone.localdate().year - 1


@requires(Capability.FINANCE)
def administrative_account(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    year = _year(request)
    account = selectors.administrative_account(consortium, year)
    return _page(
        request,
        "finance/administrative_account.html",
        consortium,
        account=account,
        year=year,
        years=range(timezone.localdate().year, consortium.start_date.year - 1, -1),
    )


@requires(Capability.FINANCE)
def administrative_account_xlsx(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    year = _year(request)
    account = selectors.administrative_account(consortium, year)
    response = HttpResponse(exports.account_xlsx(account), content_type=exports.XLSX)
    response["Content-Disposition"] = f'attachment; filename="compte-administratif-{year}.xlsx"'
    return response


@requires(Capability.FINANCE)
def administrative_account_pdf(request: HttpRequest) -> HttpResponse:
    consortium = _consortium(request)
    year = _year(request)
    account = selectors.administrative_account(consortium, year)
    response = HttpResponse(exports.account_pdf(account), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="compte-administratif-{year}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
