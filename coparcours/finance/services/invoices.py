"""Invoice numbering without gap, the month's live invoice, credit notes and the
invoice's PDF rendered once."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coparcours.finance import exports
from coparcours.finance.models import (
    FinanceSettings,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoicePdf,
    InvoiceSequence,
    InvoiceStayDays,
)
from coparcours.finance.services.common import require_manager
from coparcours.organisations.models import Consortium


def next_number(consortium: Consortium, year: int) -> tuple[int, str]:
    """Take the next number of the year under a row lock: two invoices issued at once wait
    for each other, and a rolled-back issue gives its number back (no gap)."""
    sequences = InvoiceSequence.objects.select_for_update().filter(consortium=consortium, year=year)
    sequence = sequences.first()  # two round trips in the usual case (billing many GMEs at once)
    if sequence is None:  # the year's first invoice
        try:
            with transaction.atomic():
                InvoiceSequence.objects.create(consortium=consortium, year=year)
        except IntegrityError:
            pass  # created at the same moment by another transaction
        sequence = sequences.get()
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, f"{year}-{sequence.last_number:05d}"


def live_invoice(consortium: Consortium, period_start: datetime.date) -> Invoice | None:
    """The month's invoice not cancelled by a credit note, if any."""
    return Invoice.objects.filter(
        consortium=consortium,
        kind=InvoiceKind.INVOICE,
        period_start=period_start,
        credit_note__isnull=True,
    ).first()


def issue_credit_note(
    user: Any, invoice: Invoice, reason: str, issued_on: datetime.date | None = None
) -> Invoice:
    """Cancel an invoice by a credit note of the same lines with the opposite sign (never
    by an edit); the month can then be billed again from corrected housing data. An
    invoice that has received a payment is not cancelled."""
    require_manager(user, invoice.consortium)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Indiquez le motif de l'avoir."})
    issued_on = issued_on or timezone.localdate()
    with transaction.atomic():
        number, label = next_number(invoice.consortium, issued_on.year)
        invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError("Un avoir ne s'annule pas.")
        if Invoice.objects.filter(credits=invoice).exists():
            raise ValidationError("Cette facture est déjà annulée par un avoir.")
        if invoice.allocations.exists():
            raise ValidationError(
                "Cette facture a déjà reçu un versement : elle ne peut plus être annulée."
            )
        lines = [
            InvoiceLine(
                organisation=line.organisation,
                kind=line.kind,
                days=-line.days,
                rate=line.rate,
                amount=-line.amount,
            )
            for line in invoice.lines.select_related("organisation")
        ]
        note = Invoice(
            consortium=invoice.consortium,
            funder=invoice.funder,
            kind=InvoiceKind.CREDIT_NOTE,
            year=issued_on.year,
            sequence_number=number,
            number=label,
            period_start=invoice.period_start,
            period_end=invoice.period_end,
            issued_on=issued_on,
            due_on=issued_on,
            total=-invoice.total,
            day_count=invoice.day_count,
            credits=invoice,
            reason=reason,
            payment_days=0,
            legal_mentions=FinanceSettings.in_force(issued_on).legal_mentions,
            issued_by=user,
        )
        note.save()
        for line in lines:
            line.invoice = note
        InvoiceLine.objects.bulk_create(lines)
        InvoiceStayDays.objects.bulk_create(
            [
                InvoiceStayDays(
                    invoice=note,
                    stay_id=row.stay_id,
                    youth_id=row.youth_id,
                    organisation_id=row.organisation_id,
                    kind=row.kind,
                    days=-row.days,
                    rate=row.rate,
                    amount=-row.amount,
                )
                for row in invoice.stay_days.all()
            ],
            batch_size=500,
        )
    return note


def invoice_document(invoice: Invoice) -> bytes:
    """The invoice's PDF: rendered the first time from the invoice's immutable data (out of
    the numbering lock, which billing holds only for a moment), then always the same bytes."""
    document = InvoicePdf.objects.filter(invoice=invoice).first()
    if document is not None:
        return bytes(document.data)
    lines = list(invoice.lines.select_related("organisation"))
    data = exports.invoice_pdf(invoice, lines)
    try:
        with transaction.atomic():
            InvoicePdf.objects.create(
                invoice=invoice, data=data, sha256=hashlib.sha256(data).hexdigest()
            )
    except IntegrityError:  # rendered at the same moment by another request: keep the first
        return bytes(InvoicePdf.objects.get(invoice=invoice).data)
    return data
