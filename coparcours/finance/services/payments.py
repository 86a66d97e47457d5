"""The funder's payments on the group account, their allocation to invoices and their
redistribution to the members the same day."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from coparcours.core.formats import euros
from coparcours.finance import rules, selectors
from coparcours.finance.models import (
    BankImport,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Redistribution,
)
from coparcours.finance.services.common import ZERO, require_manager
from coparcours.organisations.models import Consortium


def outstanding(invoices: Sequence[Invoice]) -> dict[int, Decimal]:
    """What remains due on each invoice (cancelled ones: nothing), in two queries."""
    ids = [invoice.pk for invoice in invoices]
    cancelled = set(Invoice.objects.filter(credits_id__in=ids).values_list("credits_id", flat=True))
    paid = selectors.paid_amounts(ids)
    return {
        invoice.pk: ZERO
        if invoice.pk in cancelled or invoice.kind != InvoiceKind.INVOICE
        else invoice.total - paid.get(invoice.pk, ZERO)
        for invoice in invoices
    }


def allocate(
    amount: Decimal, invoices: Sequence[Invoice], due: dict[int, Decimal]
) -> list[tuple[Invoice, Decimal]]:
    """Allocate a payment to the invoices in order, each up to what remains due on it."""
    total_due = sum((due[invoice.pk] for invoice in invoices), ZERO)
    if amount > total_due:
        raise ValueError(
            f"Le versement ({euros(amount)}) dépasse ce qui reste dû sur "
            f"{'la facture' if len(invoices) == 1 else 'les factures'} "
            f"{', '.join(invoice.number for invoice in invoices)} ({euros(total_due)})."
        )
    allocations = []
    left = amount
    for invoice in invoices:
        part = min(left, due[invoice.pk])
        if part > 0:
            allocations.append((invoice, part))
            due[invoice.pk] -= part
            left -= part
    return allocations


def redistribution_shares(
    allocations: Iterable[tuple[Invoice, Decimal]],
) -> dict[int, Decimal]:
    """Each member's share of a payment: every allocated amount is split in proportion to
    the member's lines on that invoice, to the cent (largest remainder), so that the sum
    passed on equals the sum received exactly. One query."""
    allocations = list(allocations)
    weights: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for row in (
        InvoiceLine.objects.filter(invoice__in=[invoice for invoice, _ in allocations])
        .values("invoice_id", "organisation_id")
        .annotate(total=Sum("amount"))
        .order_by("invoice_id", "organisation__name")
    ):
        weights[row["invoice_id"]][row["organisation_id"]] = row["total"]
    shares: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for invoice, amount in allocations:
        for organisation_id, share in rules.share_largest_remainder(
            amount, weights[invoice.pk]
        ).items():
            shares[organisation_id] += share
    return {org: share for org, share in shares.items() if share > 0}


def save_payment(
    user: Any,
    consortium: Consortium,
    received_on: datetime.date,
    amount: Decimal,
    allocations: list[tuple[Invoice, Decimal]],
    label: str,
    bank_import: BankImport | None = None,
) -> Payment:
    payment = Payment.objects.create(
        consortium=consortium,
        received_on=received_on,
        amount=amount,
        label=label,
        bank_import=bank_import,
        recorded_by=user,
    )
    PaymentAllocation.objects.bulk_create(
        [
            PaymentAllocation(payment=payment, invoice=invoice, amount=part)
            for invoice, part in allocations
        ]
    )
    shares = redistribution_shares(allocations)
    if sum(shares.values(), ZERO) != amount:  # received = passed on, to the cent
        raise AssertionError("Reversements ≠ versement")
    Redistribution.objects.bulk_create(
        [
            Redistribution(payment=payment, organisation_id=org, made_on=received_on, amount=part)
            for org, part in shares.items()
        ]
    )
    return payment


def record_payment(
    user: Any,
    consortium: Consortium,
    received_on: datetime.date,
    amount: Decimal,
    invoices: Sequence[Invoice],
    label: str = "",
) -> Payment:
    """Record a payment of the funder on the group account against one or several
    invoices (in the order given, each up to what remains due: full, partial or several
    at once) and generate the same day's transfers to the members."""
    require_manager(user, consortium)
    if amount is None or amount <= 0 or amount != amount.quantize(rules.CENT):
        raise ValidationError({"amount": "Le montant est positif, au centime."})
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "La date de réception ne peut pas être future."})
    if not invoices:
        raise ValidationError({"invoices": "Choisissez la ou les factures payées."})
    if any(invoice.consortium_id != consortium.pk for invoice in invoices):
        raise ValidationError({"invoices": "Facture d'un autre groupement."})
    with transaction.atomic():
        locked = {
            invoice.pk: invoice
            for invoice in Invoice.objects.select_for_update().filter(
                pk__in=[invoice.pk for invoice in invoices]
            )
        }
        ordered = [locked[invoice.pk] for invoice in invoices]
        try:
            allocations = allocate(amount, ordered, outstanding(ordered))
        except ValueError as error:
            raise ValidationError({"amount": str(error)}) from None
        return save_payment(user, consortium, received_on, amount, allocations, label)
