"""Read queries of the GME money: who sees and manages what, occupied days (SQL over the
housing stays), balances of invoices, the group account's ledger, what a member is owed,
and the consolidated administrative account."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    DateField,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Least

from coparcours.core.access import (
    Capability,
    Standing,
    consortia_where,
    organisations_where,
)
from coparcours.finance import rules
from coparcours.finance.models import (
    BUDGET_GROUPS,
    AccountMapping,
    DailyRate,
    ForecastBudget,
    FunctionalGroup,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Payment,
    PaymentAllocation,
    Redistribution,
    TrialBalance,
    TrialBalanceLine,
)
from coparcours.housing.models import Stay
from coparcours.organisations.models import Consortium, Organisation

ZERO = Decimal("0.00")

NOT_FINANCE = (
    "Les finances du groupement sont réservées aux responsables financiers, à la direction "
    "des membres et à la coordination."
)
NOT_MANAGER = (
    "Réservé au responsable financier ou à la coordination du membre mandataire du groupement."
)


def finance_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose money the user sees: finance officer or director of a member, or the
    coordination (coordinator in the lead member)."""
    return consortia_where(user, Capability.FINANCE)


def managed_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs whose billing and consolidation the user runs (finance officer or coordinator
    of the lead member: the mandataire receives the funds and consolidates)."""
    return consortia_where(user, Capability.FINANCE_MANAGE)


def funded_consortia(user: Any) -> QuerySet[Consortium]:
    """GMEs funded by an organisation where the user reads the funder's invoices and
    payments (and nothing else of the GME's money)."""
    return consortia_where(user, Capability.FINANCE_INVOICES, standing=Standing.GME_FUNDER)


def member_finance_ids(user: Any) -> set[int]:
    """The user's organisations whose own money they read as a GME member (finance officer
    or director)."""
    return organisations_where(user, Capability.FINANCE, standing=Standing.GME_MEMBER)


def finance_member_ids(user: Any, consortium: Consortium) -> set[int]:
    """Members of the GME in which the user is finance officer or director."""
    return set(
        consortium.members.filter(organisation_id__in=member_finance_ids(user)).values_list(
            "organisation_id", flat=True
        )
    )


def members(consortium: Consortium) -> list[Organisation]:
    return [
        m.organisation
        for m in consortium.members.select_related("organisation").order_by(
            "-is_lead", "organisation__name"
        )
    ]


# --- Occupied days --------------------------------------------------------------------------


@dataclass(frozen=True)
class StayDays:
    stay_id: int
    youth_id: int
    organisation_id: int
    kind: str
    days: int


def _stays_in(consortium_ids: Iterable[int], start: datetime.date, end: datetime.date) -> QuerySet:
    """Stays of the GMEs' sites overlapping [start, end), with their days in it (SQL)."""
    lower = Greatest(F("start_date"), Value(start, output_field=DateField()))
    upper = Least(
        Coalesce(F("end_date"), Value(end, output_field=DateField())),
        Value(end, output_field=DateField()),
    )
    return (
        Stay.objects.filter(site__consortium__in=list(consortium_ids), start_date__lt=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
        .annotate(
            span=ExpressionWrapper(upper - lower, output_field=DurationField()),
        )
    )


def occupied_days_by_line(
    consortium: Consortium, start: datetime.date, end: datetime.date, day_count: str
) -> dict[tuple[int, str], int]:
    """Occupied days of [start, end) per hosting member and kind of site (the hosting
    member is the stay's author, the borrower of a lent site)."""
    return gmes_occupied_days_by_line([consortium.pk], start, end, day_count).get(consortium.pk, {})


def gmes_occupied_days_by_line(
    consortium_ids: Iterable[int], start: datetime.date, end: datetime.date, day_count: str
) -> dict[int, dict[tuple[int, str], int]]:
    """:func:`occupied_days_by_line` of many GMEs (GME id → its lines): one aggregate query
    over the stays of all of them (a month's billing of 100 GMEs in one run)."""
    window = rules.counting_window(start, end, day_count)
    rows = (
        _stays_in(consortium_ids, *window)
        .values("site__consortium_id", "author_organisation_id", "site__kind")
        .annotate(total=Sum("span"))
    )
    lines: dict[int, dict[tuple[int, str], int]] = defaultdict(dict)
    for row in rows:
        if row["total"] and row["total"].days:
            key = (row["author_organisation_id"], row["site__kind"])
            lines[row["site__consortium_id"]][key] = row["total"].days
    return lines


def gmes_occupied_days_by_stay(
    consortium_ids: Iterable[int], start: datetime.date, end: datetime.date, day_count: str
) -> dict[int, list[StayDays]]:
    """Occupied days of [start, end) per stay, for the annex (GME id → its stays in the
    annex's order): one query for all the GMEs."""
    window = rules.counting_window(start, end, day_count)
    rows = (
        _stays_in(consortium_ids, *window)
        .order_by(
            "site__consortium_id",
            "author_organisation__name",
            "site__kind",
            "youth__last_name",
            "pk",
        )
        .values_list(
            "site__consortium_id", "pk", "youth_id", "author_organisation_id", "site__kind", "span"
        )
    )
    stays: dict[int, list[StayDays]] = defaultdict(list)
    for gme_id, pk, youth_id, org_id, kind, span in rows:
        if span.days > 0:
            stays[gme_id].append(StayDays(pk, youth_id, org_id, kind, span.days))
    return stays


def gmes_rate_periods(
    consortium_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[int, list[tuple[datetime.date, datetime.date, dict[tuple[int, str], DailyRate]]]]:
    """For each GME, [start, end) cut where one of its daily rates changes, with the rates
    in force in each piece per (member, kind): one query for all the GMEs."""
    ids = list(consortium_ids)
    rates: dict[int, list[DailyRate]] = defaultdict(list)
    for rate in DailyRate.objects.filter(consortium__in=ids, start_date__lt=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=start)
    ):
        rates[rate.consortium_id].append(rate)
    periods = {}
    for gme_id in ids:
        cuts = {start, end}
        for rate in rates[gme_id]:
            for day in (rate.start_date, rate.end_date):
                if day is not None and start < day < end:
                    cuts.add(day)
        periods[gme_id] = [
            (
                low,
                high,
                {
                    (rate.organisation_id, rate.kind): rate
                    for rate in rates[gme_id]
                    if rate.start_date <= low and (rate.end_date is None or rate.end_date > low)
                },
            )
            for low, high in itertools.pairwise(sorted(cuts))
        ]
    return periods


def rates_in_force(consortium: Consortium) -> QuerySet[DailyRate]:
    return DailyRate.objects.filter(consortium=consortium).select_related("organisation")


# --- Invoices and payments ------------------------------------------------------------------


def invoices_for(user: Any) -> QuerySet[Invoice]:
    """Invoices and credit notes the user sees: its GMEs' (finance roles) or those sent to
    its own organisation (funder)."""
    return (
        Invoice.objects.filter(
            Q(consortium__in=finance_consortia(user)) | Q(consortium__in=funded_consortia(user))
        )
        .select_related("consortium", "funder", "credits")
        .distinct()
    )


#: No payment yet, as a sum of amounts (for ``Coalesce``).
NO_AMOUNT = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))


def open_invoices(consortia: Iterable[Any]) -> QuerySet[Invoice]:
    """The consortia's invoices a payment may still settle: not cancelled by a credit note,
    something still due (``remaining``, the total less the payments allocated to it)."""
    return (
        Invoice.objects.filter(
            consortium__in=consortia, kind=InvoiceKind.INVOICE, credit_note__isnull=True
        )
        .annotate(remaining=F("total") - Coalesce(Sum("allocations__amount"), NO_AMOUNT))
        .filter(remaining__gt=0)
    )


def payments_for(user: Any) -> QuerySet[Payment]:
    return Payment.objects.filter(
        Q(consortium__in=finance_consortia(user)) | Q(consortium__in=funded_consortia(user))
    ).distinct()


def paid_amounts(invoice_ids: list[int]) -> dict[int, Decimal]:
    """Amounts already paid per invoice: one query."""
    rows = (
        PaymentAllocation.objects.filter(invoice_id__in=invoice_ids)
        .values("invoice_id")
        .annotate(total=Sum("amount"))
    )
    return {row["invoice_id"]: row["total"] for row in rows}


def outstanding(invoice: Invoice) -> Decimal:
    """What remains due on an invoice: nothing once cancelled by a credit note."""
    if invoice.kind != InvoiceKind.INVOICE or hasattr(invoice, "credit_note"):
        return ZERO
    paid = invoice.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    return invoice.total - paid


@dataclass
class LedgerRow:
    day: datetime.date
    received: Decimal
    passed_on: Decimal
    balance: Decimal


def ledger(consortium: Consortium) -> list[LedgerRow]:
    """The group account by date: received, passed on, running balance (two queries)."""
    received = dict(
        Payment.objects.filter(consortium=consortium)
        .values("received_on")
        .annotate(total=Sum("amount"))
        .values_list("received_on", "total")
    )
    passed = dict(
        Redistribution.objects.filter(payment__consortium=consortium)
        .values("made_on")
        .annotate(total=Sum("amount"))
        .values_list("made_on", "total")
    )
    balance = ZERO
    rows = []
    for day in sorted(set(received) | set(passed)):
        balance += received.get(day, ZERO) - passed.get(day, ZERO)
        rows.append(LedgerRow(day, received.get(day, ZERO), passed.get(day, ZERO), balance))
    return rows


@dataclass
class MemberPosition:
    organisation: Organisation
    invoiced: Decimal = ZERO
    received: Decimal = ZERO
    transfers: list[Redistribution] = field(default_factory=list)

    @property
    def owed(self) -> Decimal:
        return self.invoiced - self.received


def member_positions(
    consortium: Consortium, organisation_ids: set[int] | None = None
) -> list[MemberPosition]:
    """Per member: invoiced net of credit notes, received, still owed, and each transfer
    with its date (three queries)."""
    positions = {org.pk: MemberPosition(org) for org in members(consortium)}
    if organisation_ids is not None:
        positions = {pk: p for pk, p in positions.items() if pk in organisation_ids}
    for row in (
        InvoiceLine.objects.filter(invoice__consortium=consortium, organisation_id__in=positions)
        .values("organisation_id")
        .annotate(total=Sum("amount"))
    ):
        positions[row["organisation_id"]].invoiced = row["total"]
    for transfer in Redistribution.objects.filter(
        payment__consortium=consortium, organisation_id__in=positions
    ).order_by("-made_on", "-pk"):
        position = positions[transfer.organisation_id]
        position.received += transfer.amount
        position.transfers.append(transfer)
    return list(positions.values())


# --- Administrative account -----------------------------------------------------------------


def latest_balances(consortium: Consortium, year: int) -> dict[int, TrialBalance]:
    """The latest trial balance imported by each member for the year."""
    latest: dict[int, TrialBalance] = {}
    for balance in TrialBalance.objects.filter(consortium=consortium, year=year).order_by(
        "created_at", "pk"
    ):
        latest[balance.organisation_id] = balance
    return latest


def overrides(consortium: Consortium) -> dict[str, str]:
    return dict(
        AccountMapping.objects.filter(consortium=consortium).values_list("account", "group")
    )


@dataclass
class AccountRow:
    account: str
    label: str
    group: str
    by_member: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_member.values(), ZERO)


@dataclass
class GroupRow:
    group: str
    label: str
    by_member: dict[int, Decimal]
    budget_by_member: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.by_member.values(), ZERO)

    @property
    def budget_total(self) -> Decimal:
        return sum(self.budget_by_member.values(), ZERO)

    @property
    def variance(self) -> Decimal:
        return self.total - self.budget_total


@dataclass
class AdministrativeAccount:
    consortium: Consortium
    year: int
    members: list[Organisation]
    balances: dict[int, TrialBalance]
    groups: list[GroupRow]
    accounts: list[AccountRow]
    eliminated: list[AccountRow]
    redistributed: Decimal

    def group_total(self, prefix: str) -> dict[str, Any]:
        rows = [row for row in self.groups if row.group.startswith(prefix)]
        return {
            "by_member": {
                m.pk: sum((row.by_member.get(m.pk, ZERO) for row in rows), ZERO)
                for m in self.members
            },
            "total": sum((row.total for row in rows), ZERO),
            "budget": sum((row.budget_total for row in rows), ZERO),
        }

    @property
    def expenses(self) -> dict[str, Any]:
        return self.group_total("expense")

    @property
    def revenues(self) -> dict[str, Any]:
        return self.group_total("revenue")

    @property
    def result(self) -> Decimal:
        return self.revenues["total"] - self.expenses["total"]

    @property
    def balance_rows(self) -> list[tuple[Organisation, TrialBalance | None]]:
        return [(member, self.balances.get(member.pk)) for member in self.members]

    def _cells(self, by_member: dict[int, Decimal]) -> list[Decimal]:
        return [by_member.get(member.pk, ZERO) for member in self.members]

    @property
    def group_table(self) -> list[dict[str, Any]]:
        """Rows for the pages and the PDF, amounts in the order of ``members``."""
        return [
            {
                "label": row.label,
                "cells": self._cells(row.by_member),
                "total": row.total,
                "budget_cells": self._cells(row.budget_by_member),
                "budget": row.budget_total,
                "variance": row.variance,
            }
            for row in self.groups
        ]

    @property
    def result_cells(self) -> list[Decimal]:
        revenues, expenses = self.revenues["by_member"], self.expenses["by_member"]
        return [revenues[m.pk] - expenses[m.pk] for m in self.members]

    @property
    def account_table(self) -> list[dict[str, Any]]:
        return [
            {
                "account": row.account,
                "label": row.label,
                "group": FunctionalGroup(row.group).label,
                "cells": self._cells(row.by_member),
                "total": row.total,
            }
            for row in self.accounts
        ]

    @property
    def eliminated_table(self) -> list[dict[str, Any]]:
        return [
            {
                "account": row.account,
                "label": row.label,
                "cells": self._cells(row.by_member),
                "total": row.total,
            }
            for row in self.eliminated
        ]

    @property
    def eliminated_total(self) -> Decimal:
        return sum((row.total for row in self.eliminated), ZERO)


def _natural(account: str, debit: Decimal, credit: Decimal) -> Decimal:
    return debit - credit if account.startswith("6") else credit - debit


def administrative_account(consortium: Consortium, year: int) -> AdministrativeAccount:
    """The consolidated administrative account of a year (CASF R.314-49): one column per
    member and the total, by functional group and by account, compared with the forecast
    budgets. Accounts mapped to the group account's flows (what the lead member receives
    for the others and passes on) are eliminated, so that nothing is counted twice; their
    total is shown next to the redistributions recorded for the year. Five queries."""
    organisations = members(consortium)
    balances = latest_balances(consortium, year)
    mapping = overrides(consortium)
    per_account: dict[str, AccountRow] = {}
    eliminated: dict[str, AccountRow] = {}
    for row in (
        TrialBalanceLine.objects.filter(trial_balance__in=list(balances.values()))
        .values("account", "label", "trial_balance__organisation_id", "debit", "credit")
        .order_by("account")
    ):
        account = row["account"]
        group = rules.group_of(account, mapping)
        member = row["trial_balance__organisation_id"]
        if group == FunctionalGroup.EXCLUDED:
            continue
        if group == FunctionalGroup.ELIMINATED:
            target = eliminated.setdefault(account, AccountRow(account, row["label"], group, {}))
            amount = _natural(account, row["debit"], row["credit"])
        else:
            target = per_account.setdefault(account, AccountRow(account, row["label"], group, {}))
            amount = rules.net_amount(group, row["debit"], row["credit"])
        target.by_member[member] = target.by_member.get(member, ZERO) + amount
    budgets: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for group, organisation_id, amount in ForecastBudget.objects.filter(
        consortium=consortium, year=year
    ).values_list("group", "organisation_id", "amount"):
        budgets[group][organisation_id] = amount
    groups = []
    for group in BUDGET_GROUPS:
        by_member: dict[int, Decimal] = {}
        for account_row in per_account.values():
            if account_row.group == group:
                for member, amount in account_row.by_member.items():
                    by_member[member] = by_member.get(member, ZERO) + amount
        groups.append(GroupRow(group, FunctionalGroup(group).label, by_member, budgets[group]))
    redistributed = (
        Redistribution.objects.filter(payment__consortium=consortium, made_on__year=year).aggregate(
            total=Sum("amount")
        )["total"]
        or ZERO
    )
    return AdministrativeAccount(
        consortium,
        year,
        organisations,
        balances,
        groups,
        sorted(per_account.values(), key=lambda row: (row.group, row.account)),
        sorted(eliminated.values(), key=lambda row: row.account),
        redistributed,
    )
