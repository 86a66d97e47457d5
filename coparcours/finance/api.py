"""GME money over the REST API: rates, invoices and credit notes, payments and their
redistribution, the consolidated administrative account, under the same rules as the
pages (the funder sees its invoices and payments only)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from coparcours.core.access import Capability
from coparcours.core.access.api_routes import api_requires
from coparcours.core.api_files import FileInvalid, refused_items
from coparcours.core.tabular import FileRefused
from coparcours.finance import selectors
from coparcours.finance.models import (
    BalanceSource,
    DailyRate,
    Invoice,
    Payment,
    Redistribution,
)
from coparcours.finance.services import balances
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.invoices import issue_credit_note
from coparcours.finance.services.payments import record_payment
from coparcours.finance.services.rates import set_daily_rate
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Consortium, Organisation

router = Router(tags=["Finances"])


def _one(consortia: QuerySet[Consortium], consortium_id: int | None, refusal: str) -> Consortium:
    if consortium_id is not None:
        found = consortia.filter(pk=consortium_id).first()
        if found is None:
            raise PermissionDenied(refusal)
        return found
    found = list(consortia[:2])
    if len(found) != 1:
        raise PermissionDenied(refusal)
    return found[0]


def _finance(request: HttpRequest, consortium_id: int | None) -> Consortium:
    return _one(selectors.finance_consortia(request.auth), consortium_id, selectors.NOT_FINANCE)


def _managed(request: HttpRequest, consortium_id: int | None) -> Consortium:
    return _one(selectors.managed_consortia(request.auth), consortium_id, selectors.NOT_MANAGER)


class RateIn(Schema):
    consortium_id: int | None = None
    organisation_id: int
    kind: SiteKind
    start_date: datetime.date
    amount: Decimal
    decision: str = ""


class RateOut(Schema):
    id: int
    organisation_id: int
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    amount: Decimal
    decision: str


@router.get("/rates", response=list[RateOut], summary="Prix de journée et leur historique")
@paginate
@api_requires(Capability.FINANCE)
def list_rates(request: HttpRequest, consortium_id: int | None = None):
    return selectors.rates_in_force(_finance(request, consortium_id)).order_by("pk")


@router.post("/rates", response={201: RateOut}, summary="Enregistrer un prix de journée")
@api_requires(Capability.FINANCE_MANAGE)
def create_rate(request: HttpRequest, payload: RateIn):
    consortium = _managed(request, payload.consortium_id)
    organisation = get_object_or_404(Organisation, pk=payload.organisation_id)
    rate: DailyRate = set_daily_rate(
        request.auth,
        consortium,
        organisation,
        payload.kind,
        payload.start_date,
        payload.amount,
        payload.decision,
    )
    return Status(201, rate)


class LineOut(Schema):
    organisation_id: int
    kind: str
    days: int
    rate: Decimal
    amount: Decimal


class InvoiceOut(Schema):
    id: int
    consortium_id: int
    kind: str
    number: str
    period_start: datetime.date
    period_end: datetime.date
    issued_on: datetime.date
    due_on: datetime.date
    total: Decimal
    credits_id: int | None


class InvoiceDetailOut(InvoiceOut):
    lines: list[LineOut]
    paid: Decimal
    outstanding: Decimal

    @staticmethod
    def resolve_lines(obj: Invoice) -> list:
        return list(obj.lines.all())

    @staticmethod
    def resolve_paid(obj: Invoice) -> Decimal:
        return selectors.paid_amounts([obj.pk]).get(obj.pk, Decimal("0.00"))

    @staticmethod
    def resolve_outstanding(obj: Invoice) -> Decimal:
        return selectors.outstanding(obj)


def _invoices(request: HttpRequest) -> QuerySet[Invoice]:
    return selectors.invoices_for(request.auth)


@router.get("/invoices", response=list[InvoiceOut], summary="Factures et avoirs visibles")
@paginate
@api_requires(Capability.FINANCE_INVOICES)
def list_invoices(request: HttpRequest):
    return _invoices(request).order_by("-issued_on", "-sequence_number")


@router.get("/invoices/{invoice_id}", response=InvoiceDetailOut, summary="Une facture")
@api_requires(Capability.FINANCE_INVOICES)
def get_invoice(request: HttpRequest, invoice_id: int):
    return get_object_or_404(_invoices(request), pk=invoice_id)


class BillIn(Schema):
    consortium_id: int | None = None
    year: int = Field(ge=1900, le=2100)
    month: int = Field(ge=1, le=12)


@router.post(
    "/invoices",
    response={200: InvoiceOut, 201: InvoiceOut},
    summary="Facturer un mois (201 si émise, 200 si le mois était déjà facturé)",
)
@api_requires(Capability.FINANCE_MANAGE)
def bill(request: HttpRequest, payload: BillIn):
    consortium = _managed(request, payload.consortium_id)
    result = bill_month(request.auth, consortium, payload.year, payload.month)
    return Status(201 if result.created else 200, result.invoice)


class CreditNoteIn(Schema):
    reason: str


@router.post(
    "/invoices/{invoice_id}/credit-note",
    response={201: InvoiceOut},
    summary="Annuler une facture par un avoir",
)
@api_requires(Capability.FINANCE_MANAGE)
def credit_note(request: HttpRequest, invoice_id: int, payload: CreditNoteIn):
    invoice = get_object_or_404(_invoices(request), pk=invoice_id)
    return Status(201, issue_credit_note(request.auth, invoice, payload.reason))


class AllocationOut(Schema):
    invoice_id: int
    amount: Decimal


class PaymentOut(Schema):
    id: int
    consortium_id: int
    received_on: datetime.date
    amount: Decimal
    label: str
    allocations: list[AllocationOut]

    @staticmethod
    def resolve_allocations(obj: Payment) -> list:
        return list(obj.allocations.all())


class PaymentIn(Schema):
    consortium_id: int | None = None
    received_on: datetime.date
    amount: Decimal
    invoice_ids: list[int]
    label: str = ""


@router.get("/payments", response=list[PaymentOut], summary="Versements reçus visibles")
@paginate
@api_requires(Capability.FINANCE_INVOICES)
def list_payments(request: HttpRequest):
    return (
        selectors.payments_for(request.auth)
        .prefetch_related("allocations")
        .order_by("-received_on", "-pk")
    )


@router.post(
    "/payments",
    response={201: PaymentOut},
    summary="Enregistrer un versement (reversé le jour même aux membres)",
)
@api_requires(Capability.FINANCE_MANAGE)
def create_payment(request: HttpRequest, payload: PaymentIn):
    consortium = _managed(request, payload.consortium_id)
    found = Invoice.objects.filter(consortium=consortium).in_bulk(payload.invoice_ids)
    if len(found) != len(set(payload.invoice_ids)):
        raise Http404("Facture inconnue.")
    invoices = [found[pk] for pk in payload.invoice_ids]
    payment = record_payment(
        request.auth, consortium, payload.received_on, payload.amount, invoices, payload.label
    )
    return Status(201, payment)


class RedistributionOut(Schema):
    id: int
    payment_id: int
    organisation_id: int
    organisation: str
    made_on: datetime.date
    amount: Decimal

    @staticmethod
    def resolve_organisation(obj: Redistribution) -> str:
        return obj.organisation.name


@router.get(
    "/redistributions", response=list[RedistributionOut], summary="Reversements aux membres"
)
@paginate
@api_requires(Capability.FINANCE)
def list_redistributions(request: HttpRequest, consortium_id: int | None = None):
    consortium = _finance(request, consortium_id)
    return (
        Redistribution.objects.filter(payment__consortium=consortium)
        .select_related("organisation")
        .order_by("-made_on", "pk")
    )


class GroupOut(Schema):
    group: str
    label: str
    by_member: dict[int, Decimal]
    total: Decimal
    budget: Decimal
    variance: Decimal


class AccountLineOut(Schema):
    account: str
    label: str
    group: str
    by_member: dict[int, Decimal]
    total: Decimal


class AdministrativeAccountOut(Schema):
    consortium_id: int
    year: int
    members: dict[int, str]
    groups: list[GroupOut]
    accounts: list[AccountLineOut]
    eliminated: list[AccountLineOut]
    eliminated_total: Decimal
    redistributed: Decimal
    result: Decimal


@router.get(
    "/administrative-account",
    response=AdministrativeAccountOut,
    summary="Compte administratif consolidé d'un exercice",
)
@api_requires(Capability.FINANCE)
def administrative_account(
    request: HttpRequest, year: int = Query(..., ge=1900, le=2100), consortium_id: int | None = None
):
    account = selectors.administrative_account(_finance(request, consortium_id), year)
    return {
        "consortium_id": account.consortium.pk,
        "year": account.year,
        "members": {member.pk: member.name for member in account.members},
        "groups": [
            {
                "group": row.group,
                "label": row.label,
                "by_member": row.by_member,
                "total": row.total,
                "budget": row.budget_total,
                "variance": row.variance,
            }
            for row in account.groups
        ],
        "accounts": [{**vars(row), "total": row.total} for row in account.accounts],
        "eliminated": [{**vars(row), "total": row.total} for row in account.eliminated],
        "eliminated_total": account.eliminated_total,
        "redistributed": account.redistributed,
        "result": account.result,
    }


# --- Trial balances ------------------------------------------------------------------------


class TrialBalanceOut(Schema):
    id: int
    consortium_id: int
    organisation_id: int
    year: int
    source: BalanceSource
    file_name: str
    line_count: int


@router.post(
    "/trial-balances",
    response={201: TrialBalanceOut, 422: FileInvalid},
    summary="Importer la balance d'un membre (CSV ou FEC)",
)
@api_requires(Capability.FINANCE)
def import_trial_balance(
    request: HttpRequest,
    organisation_id: Form[int],
    year: Form[int],
    source: Form[BalanceSource],
    file: File[UploadedFile],
    consortium_id: Form[int | None] = None,
):
    """A member's trial balance for a year, from a CSV (compte, libelle, debit, credit) or
    its FEC (LPF A.47 A-1), as on the balances page: the member's finance officer or the
    lead's managers; all or nothing, every error listed with its line and column; the
    same file twice is refused."""
    consortium = _finance(request, consortium_id)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    try:
        balance = balances.import_trial_balance(
            request.auth, consortium, organisation, year, source, file, file.name or ""
        )
    except FileRefused as refused:
        return Status(422, {"detail": refused_items(refused.file_errors)})
    return Status(201, balance)
