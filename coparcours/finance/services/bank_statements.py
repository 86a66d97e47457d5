"""Import of the group account's bank statement: each credit is a payment of the funder."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coparcours.core.tabular import FileErrors
from coparcours.finance import imports
from coparcours.finance.models import BankImport, Invoice
from coparcours.finance.services.common import require_manager
from coparcours.finance.services.payments import allocate, outstanding, save_payment
from coparcours.organisations.models import Consortium


@dataclass
class ImportResult:
    created: int
    skipped: int


ALREADY_IMPORTED = "Ce relevé a déjà été importé."


def _plan_payments(
    credits: list[imports.BankLine],
    found: dict[str, Invoice],
    today: datetime.date,
    errors: FileErrors,
) -> list[tuple[imports.BankLine, list[tuple[Invoice, Decimal]]]]:
    """Allocate each credit of the statement to the invoices it names, noting the errors."""
    due = outstanding(list(found.values()))
    planned = []
    for line in credits:
        unknown = [number for number in line.invoice_numbers if number not in found]
        if unknown:
            errors.add(line.line, "factures", f"facture inconnue : {', '.join(unknown)}.")
            continue
        if line.day > today:
            errors.add(line.line, "date", "date future.")
            continue
        invoices = [found[number] for number in line.invoice_numbers]
        try:
            planned.append((line, allocate(line.amount, invoices, due)))
        except ValueError as error:
            errors.add(line.line, "montant", str(error))
    return planned


def import_bank_statement(
    user: Any, consortium: Consortium, chunks: Iterable[bytes], file_name: str
) -> ImportResult:
    """Import the group account's statement (CSV): each credit is a payment of the funder
    against the invoices it names. The whole file is checked first; a file with an error,
    or imported before, saves nothing."""
    require_manager(user, consortium)
    parsed = imports.parse_bank_statement(chunks)
    errors = parsed.errors
    if BankImport.objects.filter(consortium=consortium, sha256=parsed.sha256).exists():
        raise ValidationError(ALREADY_IMPORTED)
    numbers = {number for line in parsed.credits for number in line.invoice_numbers}
    today = timezone.localdate()
    with transaction.atomic():
        found = {
            invoice.number: invoice
            for invoice in Invoice.objects.select_for_update().filter(
                consortium=consortium, number__in=numbers
            )
        }
        planned = _plan_payments(parsed.credits, found, today, errors)
        if errors:
            raise ValidationError(errors.messages())
        if not planned:
            raise ValidationError("Le relevé ne contient aucun versement à enregistrer.")
        try:
            with transaction.atomic():
                bank_import = BankImport.objects.create(
                    consortium=consortium,
                    file_name=file_name[:255],
                    sha256=parsed.sha256,
                    line_count=parsed.line_count,
                    imported_by=user,
                )
        except IntegrityError:  # imported meanwhile by a concurrent request (bank_import_once)
            raise ValidationError(ALREADY_IMPORTED) from None
        for line, allocations in planned:
            save_payment(
                user, consortium, line.day, line.amount, allocations, line.label, bank_import
            )
    return ImportResult(len(planned), parsed.skipped_debits)
