"""Monthly billing of the funder: occupied days × daily rates, one invoice per GME, many
GMEs in few round trips."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from coparcours.finance import rules, selectors
from coparcours.finance.models import (
    DailyRate,
    FinanceSettings,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStayDays,
)
from coparcours.finance.selectors import StayDays
from coparcours.finance.services.common import ZERO
from coparcours.finance.services.invoices import live_invoice, next_number
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Consortium, Organisation


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


@dataclass
class _Counts:
    """What a billing run counted, per GME: occupied days per (member, kind, rate), the
    annex rows, and the (member, kind) pairs occupied without a rate in force."""

    days: dict[int, dict[tuple[int, str, Decimal], int]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    annexes: dict[int, list[InvoiceStayDays]] = field(default_factory=lambda: defaultdict(list))
    missing: dict[int, set[tuple[int, str]]] = field(default_factory=lambda: defaultdict(set))


def _drafts(
    consortia: Sequence[Consortium], start: datetime.date, end: datetime.date, day_count: str
) -> dict[int, _Draft]:
    """The lines and annex of each GME's invoice for [start, end): the occupied days of all
    the GMEs in one SQL aggregation (and one query for the annex) per period of rates."""
    ids = [consortium.pk for consortium in consortia]
    counts = _count_days(ids, start, end, day_count)
    organisations = _members_with_rates(ids, counts, start)
    return {
        consortium.pk: _draft(consortium, len(consortia) > 1, counts, organisations, start)
        for consortium in consortia
    }


def _count_days(
    ids: list[int], start: datetime.date, end: datetime.date, day_count: str
) -> _Counts:
    """Count the GMEs' occupied days period of rates by period of rates, two queries each."""
    periods = selectors.gmes_rate_periods(ids, start, end)
    counts = _Counts()
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
                _count_lines(counts, gme_id, by_line.get(gme_id, {}), in_force)
                _count_annex(counts, gme_id, by_stay.get(gme_id, []), in_force)
    return counts


def _count_lines(
    counts: _Counts,
    gme_id: int,
    by_line: dict[tuple[int, str], int],
    in_force: dict[tuple[int, str], DailyRate],
) -> None:
    """Add a GME's days of one period to its lines at the rate in force, or note the
    (member, kind) pairs without a rate."""
    for key, count in by_line.items():
        rate = in_force.get(key)
        if rate is None:
            counts.missing[gme_id].add(key)
        else:
            counts.days[gme_id][(key[0], key[1], rate.amount)] += count


def _count_annex(
    counts: _Counts,
    gme_id: int,
    by_stay: list[StayDays],
    in_force: dict[tuple[int, str], DailyRate],
) -> None:
    """Add a GME's days of one period, stay by stay, to its annex at the rate in force."""
    for row in by_stay:
        rate = in_force.get((row.organisation_id, row.kind))
        if rate is not None:
            counts.annexes[gme_id].append(
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


def _members_with_rates(
    ids: list[int], counts: _Counts, start: datetime.date
) -> dict[int, Organisation]:
    """The members counted, by id; refuse the run if one was occupied without a rate."""
    organisations = Organisation.objects.in_bulk(
        {key[0] for lines in counts.days.values() for key in lines}
        | {key[0] for keys in counts.missing.values() for key in keys}
    )
    errors = [
        f"Aucun prix de journée pour {organisations[org]} "
        f"({SiteKind(kind).label.lower()}) en {start:%m/%Y} : saisissez-le d'abord."
        for gme_id in ids
        for org, kind in sorted(counts.missing[gme_id])
    ]
    if errors:
        raise ValidationError(errors)
    return organisations


def _draft(
    consortium: Consortium,
    several: bool,
    counts: _Counts,
    organisations: dict[int, Organisation],
    start: datetime.date,
) -> _Draft:
    """One GME's invoice lines, sorted by member, and its annex, which must add up the same."""
    days = counts.days[consortium.pk]
    if not days:
        name = f" pour {consortium}" if several else ""
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
            days.items(),
            key=lambda item: (organisations[item[0][0]].name, item[0][1:]),
        )
    ]
    total = sum((line.amount for line in lines), ZERO)
    annex = counts.annexes[consortium.pk]
    annex_total = sum((row.amount for row in annex), ZERO)
    if annex_total != total:  # the annex details the same days at the same rates
        raise AssertionError(f"Annexe {annex_total} ≠ facture {total}")
    return _Draft(lines, annex, total)


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
        number, label = next_number(consortium, issued_on.year)
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
