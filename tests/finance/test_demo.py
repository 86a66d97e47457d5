"""The Nord demo's money: three months billed and paid, passed on to the cent, last
year's balances consolidated; loading the demo again changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum

from coparcours.demo.nord import load_nord_demo
from coparcours.finance import selectors
from coparcours.finance.models import (
    DailyRate,
    Invoice,
    Payment,
    Redistribution,
    TrialBalance,
)


def test_the_demo_bills_pays_and_consolidates(demo):
    invoices = Invoice.objects.filter(consortium=demo.gme).order_by("period_start")
    assert invoices.count() == 3 and all(invoice.total > 0 for invoice in invoices)
    received = Payment.objects.aggregate(total=Sum("amount"))["total"]
    passed_on = Redistribution.objects.aggregate(total=Sum("amount"))["total"]
    assert received == passed_on
    assert selectors.ledger(demo.gme)[-1].balance == 0
    assert selectors.outstanding(invoices.last()) > 0  # the last one is paid in part
    year = datetime.date.today().year - 1
    account = selectors.administrative_account(demo.gme, year)
    assert len(account.balances) == 3
    assert account.eliminated_total == Decimal("2508600.00")
    assert account.result != 0

    counts = (DailyRate.objects.count(), Invoice.objects.count(), TrialBalance.objects.count())
    load_nord_demo()
    assert (
        DailyRate.objects.count(),
        Invoice.objects.count(),
        TrialBalance.objects.count(),
    ) == counts
