"""Gapless invoice numbers under concurrency: on PostgreSQL, invoices issued at the same
moment wait for the locked counter row, numbers follow without gap or duplicate, and the
same month billed twice at once gives one invoice."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection

from coparcours.finance.models import Invoice
from coparcours.finance.services.billing import bill_month

from .conftest import build_money

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite has no row locks (it serialises whole write transactions)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _run_together(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(call())
        except Exception as error:
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_months_billed_at_once_get_consecutive_numbers():
    money = build_money()
    outcomes = _run_together(
        [
            lambda month=month: (
                bill_month(money.manager, money.consortium, 2025, month).invoice.number
            )
            for month in (1, 2, 3, 4)
        ]
    )
    numbers = sorted(Invoice.objects.values_list("sequence_number", flat=True))
    assert numbers == [1, 2, 3, 4], outcomes


def test_the_same_month_billed_twice_at_once_gives_one_invoice():
    money = build_money()
    outcomes = _run_together(
        [
            lambda: str(bill_month(money.manager, money.consortium, 2025, 1).created)
            for _ in range(2)
        ]
    )
    assert sorted(outcomes) == ["False", "True"]
    assert list(Invoice.objects.values_list("sequence_number", flat=True)) == [1]
