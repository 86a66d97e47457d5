"""Business operations of the GME money, called by the pages, the API, the demo and the
commands alike. Each checks who acts, validates everything, and writes in one transaction
or not at all; refusals are ``ValidationError`` with French messages (the
Département pays the group account, which passes the money on to the members at once; the
lead member consolidates the members' trial balances)."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from coparcours.core.access import (
    Capability,
    may_in_consortium,
    organisations_where,
    require_in_consortium,
)
from coparcours.finance import exports, imports, rules, selectors
from coparcours.finance.models import (
    BUDGET_GROUPS,
    AccountMapping,
    BalanceSource,
    BankImport,
    DailyRate,
    FinanceSettings,
    ForecastBudget,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoicePdf,
    InvoiceSequence,
    InvoiceStayDays,
    Payment,
    PaymentAllocation,
    Redistribution,
    TrialBalance,
    TrialBalanceLine,
)
from coparcours.housing.models import SiteKind
from coparcours.organisations.models import Consortium, Organisation

ZERO = Decimal("0.00")


def require_manager(user: Any, consortium: Consortium) -> None:
    """Billing, payments, rates and the mapping belong to the lead member's finance officer
    or coordination."""
    require_in_consortium(user, Capability.FINANCE_MANAGE, consortium, selectors.NOT_MANAGER)


def _require_member(consortium: Consortium, organisation: Organisation) -> None:
    if not consortium.members.filter(organisation=organisation).exists():
        raise ValidationError(
            {"organisation": "Cette organisation n'est pas membre du groupement."}
        )


# --- Daily rates ----------------------------------------------------------------------------


def set_daily_rate(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    kind: str,
    start_date: datetime.date,
    amount: Decimal,
    decision: str = "",
) -> DailyRate:
    """Record a daily rate from a date; the rate in force until then ends the day before
    (history kept). A rate may change mid-year (new tarification decision)."""
    require_manager(user, consortium)
    _require_member(consortium, organisation)
    if kind not in SiteKind.values:
        raise ValidationError({"kind": "Type d'accueil inconnu."})
    if amount is None or amount <= 0 or amount != amount.quantize(rules.CENT):
        raise ValidationError({"amount": "Le prix de journée est un montant positif, au centime."})
    with transaction.atomic():
        rates = DailyRate.objects.select_for_update().filter(
            consortium=consortium, organisation=organisation, kind=kind
        )
        if rates.filter(start_date__gte=start_date).exists():
            raise ValidationError(
                {
                    "start_date": "Un prix de journée commence déjà à cette date ou après : "
                    "saisissez une date postérieure au dernier prix enregistré."
                }
            )
        current = rates.filter(Q(end_date__isnull=True) | Q(end_date__gt=start_date)).first()
        if current is not None:
            current.end_date = start_date
            current.save(update_fields=["end_date", "updated_at"])
        return DailyRate.objects.create(
            consortium=consortium,
            organisation=organisation,
            kind=kind,
            start_date=start_date,
            amount=amount,
            decision=decision,
            created_by=user,
        )


# --- Invoices -------------------------------------------------------------------------------


def _next_number(consortium: Consortium, year: int) -> tuple[int, str]:
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


@dataclass
class BillingResult:
    invoice: Invoice
    created: bool


def bill_month(
    user: Any,
    consortium: Consortium,
    year: int,
    month: int,
    issued_on: datetime.date | None = None,
) -> BillingResult:
    """Issue the month's invoice to the funder: occupied days per member and kind of
    hosting (day-count rule of the settings) × the daily rate in force each day, one line
    per member, kind and rate, the annex of each youth's days, a number without gap and
    the terms and legal mentions in force, copied so that its PDF never changes. A month
    already invoiced is returned unchanged."""
    return bill_months(user, [consortium], year, month, issued_on)[0]


@dataclass
class _Draft:
    lines: list[InvoiceLine]
    annex: list[InvoiceStayDays]
    total: Decimal


def _drafts(
    consortia: Sequence[Consortium], start: datetime.date, end: datetime.date, day_count: str
) -> dict[int, _Draft]:
    """The lines and annex of each GME's invoice for [start, end): the occupied days of all
    the GMEs in one SQL aggregation (and one query for the annex) per period of rates."""
    ids = [consortium.pk for consortium in consortia]
    periods = selectors.gmes_rate_periods(ids, start, end)
    days: dict[int, dict[tuple[int, str, Decimal], int]] = defaultdict(lambda: defaultdict(int))
    annexes: dict[int, list[InvoiceStayDays]] = defaultdict(list)
    missing: dict[int, set[tuple[int, str]]] = defaultdict(set)
    # GMEs whose rates change on the same days are counted together (usually all of them).
    by_bounds: dict[tuple, list[int]] = defaultdict(list)
    for gme_id in ids:
        by_bounds[tuple((low, high) for low, high, _ in periods[gme_id])].append(gme_id)
    for bounds, gme_ids in by_bounds.items():
        for index, (low, high) in enumerate(bounds):
            by_line = selectors.gmes_occupied_days_by_line(gme_ids, low, high, day_count)
            by_stay = selectors.gmes_occupied_days_by_stay(gme_ids, low, high, day_count)
            for gme_id in gme_ids:
                in_force = periods[gme_id][index][2]
                for key, count in by_line.get(gme_id, {}).items():
                    rate = in_force.get(key)
                    if rate is None:
                        missing[gme_id].add(key)
                    else:
                        days[gme_id][(key[0], key[1], rate.amount)] += count
                for row in by_stay.get(gme_id, []):
                    rate = in_force.get((row.organisation_id, row.kind))
                    if rate is not None:
                        annexes[gme_id].append(
                            InvoiceStayDays(
                                stay_id=row.stay_id,
                                youth_id=row.youth_id,
                                organisation_id=row.organisation_id,
                                kind=row.kind,
                                days=row.days,
                                rate=rate.amount,
                                amount=(rate.amount * row.days).quantize(rules.CENT),
                            )
                        )
    organisations = Organisation.objects.in_bulk(
        {key[0] for lines in days.values() for key in lines}
        | {key[0] for keys in missing.values() for key in keys}
    )
    errors = [
        f"Aucun prix de journée pour {organisations[org]} "
        f"({SiteKind(kind).label.lower()}) en {start:%m/%Y} : saisissez-le d'abord."
        for gme_id in ids
        for org, kind in sorted(missing[gme_id])
    ]
    if errors:
        raise ValidationError(errors)
    drafts = {}
    for consortium in consortia:
        if not days[consortium.pk]:
            name = f" pour {consortium}" if len(consortia) > 1 else ""
            raise ValidationError(
                {"month": f"Aucune journée d'occupation à facturer{name} en {start:%m/%Y}."}
            )
        lines = [
            InvoiceLine(
                organisation=organisations[org],
                kind=kind,
                days=count,
                rate=rate,
                amount=(rate * count).quantize(rules.CENT),
            )
            for (org, kind, rate), count in sorted(
                days[consortium.pk].items(),
                key=lambda item: (organisations[item[0][0]].name, item[0][1:]),
            )
        ]
        total = sum((line.amount for line in lines), ZERO)
        annex = annexes[consortium.pk]
        annex_total = sum((row.amount for row in annex), ZERO)
        if annex_total != total:  # the annex details the same days at the same rates
            raise AssertionError(f"Annexe {annex_total} ≠ facture {total}")
        drafts[consortium.pk] = _Draft(lines, annex, total)
    return drafts


def _issue(
    user: Any,
    consortium: Consortium,
    start: datetime.date,
    end: datetime.date,
    issued_on: datetime.date,
    settings: FinanceSettings,
    draft: _Draft,
) -> BillingResult:
    """Number and store one GME's invoice, in its own transaction: a run killed midway
    leaves whole invoices only, and the numbering lock is held for this GME alone."""
    with transaction.atomic():
        number, label = _next_number(consortium, issued_on.year)
        existing = live_invoice(consortium, start)
        if existing is not None:  # billed meanwhile by someone else
            transaction.set_rollback(True)  # the number taken above is given back
            return BillingResult(existing, created=False)
        invoice = Invoice(
            consortium=consortium,
            funder_id=consortium.funder_id,
            kind=InvoiceKind.INVOICE,
            year=issued_on.year,
            sequence_number=number,
            number=label,
            period_start=start,
            period_end=end,
            issued_on=issued_on,
            due_on=issued_on + datetime.timedelta(days=settings.payment_days),
            total=draft.total,
            day_count=settings.day_count,
            payment_days=settings.payment_days,
            legal_mentions=settings.legal_mentions,
            issued_by=user,
        )
        invoice.save()
        for line in draft.lines:
            line.invoice = invoice
        for row in draft.annex:
            row.invoice = invoice
        InvoiceLine.objects.bulk_create(draft.lines)
        InvoiceStayDays.objects.bulk_create(draft.annex, batch_size=500)
    return BillingResult(invoice, created=True)


def bill_months(
    user: Any,
    consortia: Sequence[Consortium],
    year: int,
    month: int,
    issued_on: datetime.date | None = None,
) -> list[BillingResult]:
    """:func:`bill_month` for many GMEs in few round trips (100 GMEs, 15,000 places
    within 2 s; docs/decisions.md, section 23): the invoices already issued and the occupied days of
    every GME are read in bulk, each GME's refusals come before anything is issued, then
    each invoice is numbered and stored in its own transaction. Killed midway, the run
    leaves whole invoices only; run again, it bills the others and nothing twice."""
    consortia = list(consortia)
    managed = set(
        selectors.managed_consortia(user)
        .filter(pk__in=[consortium.pk for consortium in consortia])
        .values_list("pk", flat=True)
    )
    if any(consortium.pk not in managed for consortium in consortia):
        raise PermissionDenied(selectors.NOT_MANAGER)
    issued_on = issued_on or timezone.localdate()
    if not 1 <= month <= 12:
        raise ValidationError({"month": "Mois inconnu."})
    start, end = rules.month_bounds(year, month)
    if end > issued_on:
        raise ValidationError({"month": "Un mois se facture une fois terminé."})
    if any(start < consortium.start_date.replace(day=1) for consortium in consortia):
        raise ValidationError({"month": "Ce mois précède la création du groupement."})
    settings = FinanceSettings.in_force(start)
    issued = {
        invoice.consortium_id: invoice
        for invoice in Invoice.objects.filter(
            consortium__in=consortia,
            kind=InvoiceKind.INVOICE,
            period_start=start,
            credit_note__isnull=True,
        )
    }
    to_bill = [consortium for consortium in consortia if consortium.pk not in issued]
    drafts = _drafts(to_bill, start, end, settings.day_count) if to_bill else {}
    return [
        BillingResult(issued[consortium.pk], created=False)
        if consortium.pk in issued
        else _issue(user, consortium, start, end, issued_on, settings, drafts[consortium.pk])
        for consortium in consortia
    ]


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
        number, label = _next_number(invoice.consortium, issued_on.year)
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


# --- Payments and redistribution ------------------------------------------------------------


def _outstanding(invoices: Sequence[Invoice]) -> dict[int, Decimal]:
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


def _allocate(
    amount: Decimal, invoices: Sequence[Invoice], due: dict[int, Decimal]
) -> list[tuple[Invoice, Decimal]]:
    """Allocate a payment to the invoices in order, each up to what remains due on it."""
    total_due = sum((due[invoice.pk] for invoice in invoices), ZERO)
    if amount > total_due:
        raise ValueError(
            f"Le versement ({rules.euros(amount)}) dépasse ce qui reste dû sur "
            f"{'la facture' if len(invoices) == 1 else 'les factures'} "
            f"{', '.join(invoice.number for invoice in invoices)} ({rules.euros(total_due)})."
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


def _save_payment(
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
            allocations = _allocate(amount, ordered, _outstanding(ordered))
        except ValueError as error:
            raise ValidationError({"amount": str(error)}) from None
        return _save_payment(user, consortium, received_on, amount, allocations, label)


@dataclass
class ImportResult:
    created: int
    skipped: int


ALREADY_IMPORTED = "Ce relevé a déjà été importé."


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
        due = _outstanding(list(found.values()))
        planned = []
        for line in parsed.credits:
            unknown = [number for number in line.invoice_numbers if number not in found]
            if unknown:
                errors.add(line.line, "factures", f"facture inconnue : {', '.join(unknown)}.")
                continue
            if line.day > today:
                errors.add(line.line, "date", "date future.")
                continue
            invoices = [found[number] for number in line.invoice_numbers]
            try:
                planned.append((line, _allocate(line.amount, invoices, due)))
            except ValueError as error:
                errors.add(line.line, "montant", str(error))
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
            _save_payment(
                user, consortium, line.day, line.amount, allocations, line.label, bank_import
            )
    return ImportResult(len(planned), parsed.skipped_debits)


# --- Trial balances, mapping, budgets -------------------------------------------------------


def may_import_for(user: Any, consortium: Consortium, organisation: Organisation) -> bool:
    """A member's finance officer imports its own balance; the lead's managers any."""
    return organisation.pk in organisations_where(
        user, Capability.FINANCE_BALANCES
    ) or may_in_consortium(user, Capability.FINANCE_MANAGE, consortium)


def _file_sha256(stream: Any) -> str | None:
    """The hash of a seekable file, read in large blocks, the file then rewound."""
    if not (hasattr(stream, "seek") and hasattr(stream, "read")):
        return None
    digest = hashlib.sha256()
    stream.seek(0)
    for block in iter(lambda: stream.read(1 << 20), b""):
        digest.update(block)
    stream.seek(0)
    return digest.hexdigest()


def _refuse_twice(organisation: Organisation, sha256: str) -> None:
    previous = (
        TrialBalance.objects.filter(organisation=organisation, sha256=sha256)
        .only("created_at", "year")
        .first()
    )
    if previous is not None:
        raise ValidationError(
            f"Ce fichier a déjà été importé le {timezone.localtime(previous.created_at):%d/%m/%Y} "
            f"(exercice {previous.year}) : rien n'a été enregistré."
        )


def import_trial_balance(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    year: int,
    source: str,
    chunks: Iterable[bytes],
    file_name: str,
) -> TrialBalance:
    """Import a member's trial balance for a year from a CSV (compte, libelle, debit,
    credit) or from its FEC (LPF A.47 A-1), read as a stream. Every error is listed with
    its line and column and nothing is saved; the same file twice is refused."""
    if not may_import_for(user, consortium, organisation):
        raise PermissionDenied(
            "Seul le responsable financier du membre, ou le mandataire, importe sa balance."
        )
    _require_member(consortium, organisation)
    if not 2000 <= year <= timezone.localdate().year:
        raise ValidationError({"year": "Exercice invalide."})
    known = _file_sha256(chunks)
    if known is not None:
        _refuse_twice(organisation, known)  # before reading the whole file line by line
    if source == BalanceSource.FEC:
        parsed = imports.parse_fec(chunks, year)
    elif source == BalanceSource.CSV:
        parsed = imports.parse_trial_balance(chunks)
    else:
        raise ValidationError({"source": "Format inconnu."})
    _refuse_twice(organisation, parsed.sha256)
    if parsed.errors:
        raise imports.FileRefused(parsed.errors)
    if not parsed.accounts:
        raise ValidationError("Le fichier ne contient aucune écriture.")
    with transaction.atomic():
        balance = TrialBalance.objects.create(
            consortium=consortium,
            organisation=organisation,
            year=year,
            source=source,
            file_name=file_name[:255],
            sha256=parsed.sha256,
            line_count=parsed.line_count,
            imported_by=user,
        )
        TrialBalanceLine.objects.bulk_create(
            [
                TrialBalanceLine(
                    trial_balance=balance, account=account, label=label, debit=debit, credit=credit
                )
                for account, label, debit, credit in parsed.lines()
            ],
            batch_size=1000,
        )
    return balance


def set_account_group(user: Any, consortium: Consortium, account: str, group: str) -> None:
    """Override the default functional group of one account (lead member); choosing the
    default group again removes the override."""
    require_manager(user, consortium)
    account = account.strip()
    if not account.isdigit() or not 3 <= len(account) <= 20:
        raise ValidationError({"account": "Un numéro de compte est fait de 3 à 20 chiffres."})
    if group == rules.default_group(account):
        AccountMapping.objects.filter(consortium=consortium, account=account).delete()
        return
    AccountMapping.objects.update_or_create(
        consortium=consortium, account=account, defaults={"group": group, "changed_by": user}
    )


def set_forecast_budget(
    user: Any,
    consortium: Consortium,
    organisation: Organisation,
    year: int,
    amounts: dict[str, Decimal],
) -> None:
    """Record a member's forecast budget per functional group for a year."""
    if not may_import_for(user, consortium, organisation):
        raise PermissionDenied(
            "Seul le responsable financier du membre, ou le mandataire, saisit son budget."
        )
    _require_member(consortium, organisation)
    with transaction.atomic():
        for group in BUDGET_GROUPS:
            amount = amounts.get(group)
            if amount is None:
                continue
            if amount < 0 or amount != amount.quantize(rules.CENT):
                raise ValidationError({group: "Montant positif, au centime."})
            ForecastBudget.objects.update_or_create(
                consortium=consortium,
                organisation=organisation,
                year=year,
                group=group,
                defaults={"amount": amount},
            )
