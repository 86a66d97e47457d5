"""The "À traiter" blocks of the lead member's finance officer and coordination: the ended
months of their GMEs not yet invoiced to the funder, and the invoices still waiting for the
funder's payment (docs/domain-rules.md, "GME: money").

A payment is passed on to the members the day it is recorded (``services.payments``), so
no payment ever waits to be passed on; and a bank statement or trial balance with an error
saves nothing (``imports``), so no failed import waits either: neither has a block.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import BooleanField, Case, Count, Min, Value, When
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from coparcours.core.access import Capability, Standing, acting_organisation_id
from coparcours.core.formats import euros
from coparcours.finance import rules, selectors
from coparcours.finance.forms import MONTHS
from coparcours.finance.models import Invoice, InvoiceKind
from coparcours.housing.models import Stay
from coparcours.organisations.models import Consortium, consortia_with_standing
from coparcours.organisations.todo import Todo, TodoBlock, TodoRow, Tone, days_phrase, todo_of

#: A month ended longer ago than this is late to invoice.
BILLING_DAYS = 30

_LEAD_GMES = "_finance_lead_gmes"


def lead_gmes(request: HttpRequest) -> list[Consortium]:
    """The GMEs whose billing the acting organisation runs as their lead member (one query,
    once per request; the capability itself is the home page's question)."""
    found = getattr(request, _LEAD_GMES, None)
    if found is None:
        organisation_id = acting_organisation_id(request)
        found = (
            []
            if organisation_id is None
            else list(
                selectors.managed_consortia(request.user)
                .filter(consortia_with_standing(Standing.GME_LEAD, [organisation_id]))
                .order_by("name")
            )
        )
        setattr(request, _LEAD_GMES, found)
    return found


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first days of the months from ``first``'s to ``last``'s, both included."""
    months = []
    index = first.year * 12 + first.month - 1
    while True:
        day = datetime.date(index // 12, index % 12 + 1, 1)
        if day > last:
            return months
        months.append(day)
        index += 1


def _candidate_months(
    gmes: list[Consortium], today: datetime.date
) -> dict[int, list[datetime.date]]:
    """Per GME, the ended months without a live invoice, from the later of the GME's start
    and its first invoice (months before it were billed before Coparcours). Two queries."""
    ids = [gme.pk for gme in gmes]
    first_invoiced = dict(
        Invoice.objects.filter(consortium__in=ids, kind=InvoiceKind.INVOICE)
        .values("consortium_id")
        .annotate(first=Min("period_start"))
        .values_list("consortium_id", "first")
    )
    billed = set(
        Invoice.objects.filter(
            consortium__in=ids, kind=InvoiceKind.INVOICE, credit_note__isnull=True
        ).values_list("consortium_id", "period_start")
    )
    last_ended = today.replace(day=1) - datetime.timedelta(days=1)
    candidates = {}
    for gme in gmes:
        start = max(gme.start_date.replace(day=1), first_invoiced.get(gme.pk, gme.start_date))
        candidates[gme.pk] = [
            month for month in _month_starts(start, last_ended) if (gme.pk, month) not in billed
        ]
    return candidates


def _stays_by_month(
    candidates: dict[int, list[datetime.date]],
) -> dict[tuple[int, datetime.date], int]:
    """The stays occupying each candidate month, per GME (a month without any is not
    billed: ``billing`` refuses it). One query groups the stays by GME, month of arrival and
    month of departure; a stay occupies the months from its arrival's to its departure's,
    the latter only if it leaves after the 1st (the departure day is not a night spent)."""
    if not any(candidates.values()):
        return {}
    spans = (
        Stay.objects.filter(site__consortium__in=list(candidates))
        .annotate(
            arrival=TruncMonth("start_date"),
            departure=TruncMonth("end_date"),
            leaves_on_the_1st=Case(
                When(end_date__day=1, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values("site__consortium_id", "arrival", "departure", "leaves_on_the_1st")
        .annotate(stays=Count("pk"))
        .order_by()
    )
    by_gme: dict[int, list[dict]] = defaultdict(list)
    for span in spans:
        by_gme[span["site__consortium_id"]].append(span)
    found: dict[tuple[int, datetime.date], int] = {}
    for gme_id, months in candidates.items():
        for month in months:
            found[(gme_id, month)] = sum(
                span["stays"]
                for span in by_gme.get(gme_id, [])
                if span["arrival"] <= month
                and (
                    span["departure"] is None
                    or span["departure"] > month
                    or (span["departure"] == month and not span["leaves_on_the_1st"])
                )
            )
    return found


def month_label(month: datetime.date) -> str:
    """« Novembre 2026 »."""
    return f"{MONTHS[month.month - 1][1].capitalize()} {month.year}"


def months_to_bill(request: HttpRequest) -> Todo | None:
    """The ended months of the lead's GMEs with stays and no live invoice, oldest first
    (``billing.bill_month`` bills a month once it has ended). Three queries, and the
    lead's GMEs read once per request."""
    gmes = lead_gmes(request)
    if not gmes:
        return None
    today = timezone.localdate()
    candidates = _candidate_months(gmes, today)
    stays = _stays_by_month(candidates)
    names = {gme.pk: gme.name for gme in gmes}
    to_bill = sorted(
        (month, gme_id, stays[(gme_id, month)])
        for gme_id, months in candidates.items()
        for month in months
        if stays.get((gme_id, month))
    )

    def row(item: tuple[datetime.date, int, int]) -> TodoRow:
        month, gme_id, count = item
        _start, end = rules.month_bounds(month.year, month.month)
        waited = (today - end).days + 1
        return TodoRow(
            label=month_label(month),
            detail=f"{names[gme_id]} : {count} séjour{'s' if count > 1 else ''} à facturer",
            badge=f"mois clos depuis {waited} jour{'s' if waited > 1 else ''}",
            tone=Tone.LATE if waited > BILLING_DAYS else Tone.URGENT,
            url=f"{reverse('finance:invoices')}?month={month.month}&year={month.year}#bill",
            action="Facturer",
        )

    return todo_of(to_bill, row, more_url=reverse("finance:invoices"))


MONTHS_BLOCK = TodoBlock(
    key="months_to_bill",
    title="Mois à facturer",
    capability=Capability.FINANCE_MANAGE,
    find=months_to_bill,
    empty="Tous les mois terminés sont facturés au financeur.",
    order=55,
)


def unpaid_invoices(request: HttpRequest) -> Todo | None:
    """The lead's GMEs' invoices, not cancelled, on which something is still due, the
    earliest due first: two queries, and the lead's GMEs read once per request."""
    gmes = lead_gmes(request)
    if not gmes:
        return None
    today = timezone.localdate()
    invoices = selectors.open_invoices(gmes).order_by("due_on", "pk")

    def row(invoice: Invoice) -> TodoRow:
        days = (invoice.due_on - today).days
        late = days < 0
        return TodoRow(
            label=f"Facture {invoice.number}",
            detail=(
                f"{month_label(invoice.period_start)} : reste dû {euros(invoice.remaining)}"
                f" sur {euros(invoice.total)}, échéance le {invoice.due_on:%d/%m/%Y}"
            ),
            badge=days_phrase(days) if late else f"échéance {days_phrase(days)}",
            tone=Tone.LATE if late else Tone.WAITING,
            url=reverse("finance:invoice", args=[invoice.pk]),
            action="Voir la facture",
        )

    return todo_of(invoices, row, more_url=reverse("finance:invoices"))


UNPAID_BLOCK = TodoBlock(
    key="unpaid_invoices",
    title="Factures en attente de paiement",
    capability=Capability.FINANCE_MANAGE,
    find=unpaid_invoices,
    empty="Toutes les factures émises sont réglées.",
    order=56,
)
