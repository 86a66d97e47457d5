"""Finance steering tables on the group account: invoiced, paid, passed on and
outstanding, per month and per member, and the delays of the transfers to the members."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Q, Sum
from django.db.models.functions import TruncMonth

from coparcours.finance.models import InvoiceLine, Payment, Redistribution
from coparcours.organisations.models import Consortium
from coparcours.reporting.indicators.common import Period, as_date, month_starts
from coparcours.reporting.tables import Table

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def _money(amount: Decimal | None) -> Decimal:
    """An aggregated amount to the cent (SQLite's sums drop trailing zeros)."""
    return (amount or ZERO).quantize(CENT)


def _by_month(rows: Iterable[tuple[int, datetime.date, Decimal | None]]) -> dict:
    """``(consortium id, month) → amount`` from aggregate rows."""
    return {(c, as_date(month)): _money(amount) for c, month, amount in rows}


def finance_months_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """The group account per month: invoiced, paid, passed on, outstanding at month end.

    Definitions (the Département pays the invoices on the group account, which passes them
    on at once to the members): invoiced = invoices issued in the month net
    of the credit notes issued in it (their lines, so that a member's share can be read);
    paid = the funder's payments received in the month; passed on = the transfers to the
    members made in the month; outstanding = everything invoiced up to the month's end
    minus everything paid up to it. For chosen members: their lines, their shares of the
    payments (by date received) and their transfers. Amounts are ``Decimal``, to the cent.
    Three aggregate queries (the history before the period is summed for the outstanding).
    """
    ids = list(organisation_ids) if organisation_ids is not None else None
    lines = InvoiceLine.objects.filter(
        invoice__consortium__in=consortia, invoice__issued_on__lt=period.end
    )
    transfers = Redistribution.objects.filter(payment__consortium__in=consortia)
    if ids is not None:
        lines = lines.filter(organisation_id__in=ids)
        transfers = transfers.filter(organisation_id__in=ids)
        paid_rows = (
            transfers.filter(payment__received_on__lt=period.end)
            .annotate(month=TruncMonth("payment__received_on"))
            .values("payment__consortium_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("payment__consortium_id", "month", "total")
        )
    else:
        paid_rows = (
            Payment.objects.filter(consortium__in=consortia, received_on__lt=period.end)
            .annotate(month=TruncMonth("received_on"))
            .values("consortium_id", "month")
            .annotate(total=Sum("amount"))
            .values_list("consortium_id", "month", "total")
        )
    invoiced = _by_month(
        lines.annotate(month=TruncMonth("invoice__issued_on"))
        .values("invoice__consortium_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("invoice__consortium_id", "month", "total")
    )
    paid = _by_month(paid_rows)
    passed = _by_month(
        transfers.filter(made_on__gte=period.start.replace(day=1), made_on__lt=period.end)
        .annotate(month=TruncMonth("made_on"))
        .values("payment__consortium_id", "month")
        .annotate(total=Sum("amount"))
        .values_list("payment__consortium_id", "month", "total")
    )
    months = month_starts(period)
    rows = []
    for consortium in consortia:
        owed = sum(
            (v for (c, m), v in invoiced.items() if c == consortium.pk and m < months[0]), ZERO
        ) - sum((v for (c, m), v in paid.items() if c == consortium.pk and m < months[0]), ZERO)
        for month in months:
            key = (consortium.pk, month)
            owed += invoiced.get(key, ZERO) - paid.get(key, ZERO)
            rows.append(
                [
                    consortium.name,
                    month.strftime("%m/%Y"),
                    invoiced.get(key, ZERO),
                    paid.get(key, ZERO),
                    passed.get(key, ZERO),
                    owed,
                ]
            )
    total = ["Total", "", *(sum((row[i] for row in rows), ZERO) for i in (2, 3, 4)), None]
    return Table(
        "Facturé, encaissé et reversé par mois (€)",
        ["Groupement", "Mois", "Facturé", "Encaissé", "Reversé", "Reste dû en fin de mois"],
        [*rows, total] if rows else rows,
        chart=[2, 3, 4],
    )


def finance_members_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Per member over the period: invoiced, its share of the payments received, passed
    on to it, and what the funder still owes it at the period's end.

    Definitions: a member's invoiced amount is its lines on the invoices and
    credit notes issued in the period; its share of a payment is the transfer made from
    it (finance's largest-remainder split of each payment); still owed = its lines issued
    before the period's end minus its shares of the payments received before it. Two
    aggregate queries.
    """
    in_period = Q(invoice__issued_on__gte=period.start, invoice__issued_on__lt=period.end)
    lines = InvoiceLine.objects.filter(
        invoice__consortium__in=consortia, invoice__issued_on__lt=period.end
    )
    transfers = Redistribution.objects.filter(payment__consortium__in=consortia)
    if organisation_ids is not None:
        lines = lines.filter(organisation_id__in=list(organisation_ids))
        transfers = transfers.filter(organisation_id__in=list(organisation_ids))
    figures: dict[tuple[str, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for row in lines.values("invoice__consortium__name", "organisation__name").annotate(
        period=Sum("amount", filter=in_period), before_end=Sum("amount")
    ):
        key = (row["invoice__consortium__name"], row["organisation__name"])
        figures[key][0] = _money(row["period"])
        figures[key][3] += _money(row["before_end"])
    received = Q(payment__received_on__gte=period.start, payment__received_on__lt=period.end)
    for row in transfers.values("payment__consortium__name", "organisation__name").annotate(
        received=Sum("amount", filter=received),
        passed=Sum("amount", filter=Q(made_on__gte=period.start, made_on__lt=period.end)),
        before_end=Sum("amount", filter=Q(payment__received_on__lt=period.end)),
    ):
        key = (row["payment__consortium__name"], row["organisation__name"])
        figures[key][1] = _money(row["received"])
        figures[key][2] = _money(row["passed"])
        figures[key][3] -= _money(row["before_end"])
    rows = [[*key, *values] for key, values in sorted(figures.items())]
    total = ["Total", "", *(sum((row[i] for row in rows), ZERO) for i in (2, 3, 4, 5))]
    return Table(
        "Facturé, encaissé et reversé par membre (€)",
        ["Groupement", "Membre", "Facturé", "Encaissé (part du membre)", "Reversé", "Reste dû"],
        [*rows, total] if rows else rows,
        chart=[2, 4, 5],
    )


def redistribution_delays_table(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> Table:
    """Days between a payment received on the group account and its transfer to each
    member, over the transfers made in the period: how many, mean and longest delay.

    Definition (the payments are passed on to the members at once, so the expected delay
    is 0 day): delay = transfer date − payment date,
    averaged and maximised in SQL per member, then over all (two aggregate queries).
    """
    transfers = Redistribution.objects.filter(
        payment__consortium__in=consortia, made_on__gte=period.start, made_on__lt=period.end
    ).annotate(
        delay=ExpressionWrapper(
            F("made_on") - F("payment__received_on"), output_field=DurationField()
        )
    )
    if organisation_ids is not None:
        transfers = transfers.filter(organisation_id__in=list(organisation_ids))
    figures = {"n": Count("id"), "mean": Avg("delay"), "longest": Max("delay")}
    rows = [
        [
            row["payment__consortium__name"],
            row["organisation__name"],
            row["n"],
            _days(row["mean"]),
            _days(row["longest"]),
        ]
        for row in transfers.values("payment__consortium__name", "organisation__name")
        .annotate(**figures)
        .order_by("payment__consortium__name", "organisation__name")
    ]
    if rows:
        overall = transfers.aggregate(**figures)
        rows.append(["Total", "", overall["n"], _days(overall["mean"]), _days(overall["longest"])])
    return Table(
        "Délais entre l'encaissement et le reversement aux membres",
        ["Groupement", "Membre", "Reversements", "Délai moyen (jours)", "Délai maximal (jours)"],
        rows,
        chart=[3, 4],
    )


def _days(delay: datetime.timedelta | None) -> float | None:
    return None if delay is None else round(delay.total_seconds() / 86400, 1)


def finance_tables(
    consortia: Sequence[Consortium],
    period: Period,
    organisation_ids: Iterable[int] | None = None,
) -> list[Table]:
    """All the finance dashboard's tables, in its order (``organisation_ids``: the members
    read, ``None`` for the whole group account)."""
    return [
        finance_months_table(consortia, period, organisation_ids),
        finance_members_table(consortia, period, organisation_ids),
        redistribution_delays_table(consortia, period, organisation_ids),
    ]
