"""Payments redistributed to the members under concurrent requests on
PostgreSQL: no payment passed on twice, no cent lost (the sum passed on to the members
equals the sum received), never more received than invoiced. Last-place admission and
invoice numbering have theirs beside the housing and finance tests."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Sum
from django.test import Client

from coparcours.accounts.models import APIToken
from coparcours.finance import selectors
from coparcours.finance.models import BankImport, Payment, PaymentAllocation, Redistribution
from coparcours.finance.services.bank_statements import import_bank_statement
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.payments import record_payment
from tests.finance.conftest import JANUARY_TOTAL, build_money
from tests.finance.test_concurrency import _run_together
from tests.finance.test_payments import statement

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: SQLite has no row locks (it serialises whole write transactions)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DAY = datetime.date(2025, 2, 20)


def assert_no_cent_lost() -> None:
    """Every payment is passed on once, to the cent, and allocated to the cent."""
    for payment in Payment.objects.all():
        passed_on = payment.redistributions.aggregate(total=Sum("amount"))["total"]
        allocated = payment.allocations.aggregate(total=Sum("amount"))["total"]
        assert passed_on == allocated == payment.amount, payment


def test_concurrent_payments_of_one_invoice_never_exceed_it():
    money = build_money()
    invoice = money.bill_january()
    part = Decimal("2000.01")  # four of them exceed the 7,775.50 invoiced: three fit
    outcomes = _run_together(
        [
            lambda: str(record_payment(money.manager, money.consortium, DAY, part, [invoice]).pk)
            for _ in range(4)
        ]
    )
    refused = [outcome for outcome in outcomes if "dépasse ce qui reste dû" in outcome]
    assert len(refused) == 1 and Payment.objects.count() == 3, outcomes
    assert_no_cent_lost()
    received = PaymentAllocation.objects.aggregate(total=Sum("amount"))["total"]
    assert received == 3 * part
    assert selectors.outstanding(invoice) == JANUARY_TOTAL - 3 * part
    passed_on = Redistribution.objects.aggregate(total=Sum("amount"))["total"]
    assert passed_on == received


def test_the_same_statement_imported_twice_at_once_is_passed_on_once():
    money = build_money()
    invoice = money.bill_january()
    text = (  # a partial payment: a second import would fit in what remains due
        "date;libelle;montant;factures\n"
        f"20/02/2025;VIR DEPARTEMENT DU NORD;1000,00;{invoice.number}\n"
    )
    outcomes = _run_together(
        [
            lambda: str(
                import_bank_statement(
                    money.manager, money.consortium, statement(text), "releve.csv"
                ).created
            )
            for _ in range(2)
        ]
    )
    assert sorted(outcomes)[0] == "1"
    assert "Ce relevé a déjà été importé." in sorted(outcomes)[1], outcomes
    assert BankImport.objects.count() == Payment.objects.count() == 1
    assert_no_cent_lost()
    assert selectors.outstanding(invoice) == JANUARY_TOTAL - Decimal("1000.00")


def test_payments_and_statements_over_several_invoices_at_once_lose_no_cent():
    money = build_money()
    january = money.bill_january()
    february = bill_month(money.manager, money.consortium, 2025, 2).invoice
    both = [january, february]
    amounts = [Decimal("1234.57"), Decimal("0.01"), Decimal("999.99"), Decimal("3333.33")]
    calls = [
        lambda amount=amount, order=order: str(
            record_payment(money.manager, money.consortium, DAY, amount, both[::order]).amount
        )
        for amount, order in zip(amounts, (1, -1, 1, -1))
    ]
    text = (
        "date;libelle;montant;factures\n"
        f"21/02/2025;VIR DEPARTEMENT;777,77;{january.number} {february.number}\n"
    )
    calls.append(
        lambda: str(
            import_bank_statement(
                money.manager, money.consortium, statement(text), "releve.csv"
            ).created
        )
    )
    outcomes = _run_together(calls)
    assert sorted(outcomes) == sorted([*(str(a) for a in amounts), "1"]), outcomes
    assert_no_cent_lost()
    received = sum(amounts) + Decimal("777.77")
    assert Redistribution.objects.aggregate(total=Sum("amount"))["total"] == received
    outstanding = selectors.outstanding(january) + selectors.outstanding(february)
    assert outstanding == january.total + february.total - received


def test_concurrent_api_requests_pay_each_cent_once():
    """The same through the API: four requests at once, each its own connection."""
    money = build_money()
    invoice = money.bill_january()
    _token, raw = APIToken.issue(money.manager, "Charge")
    payload = json.dumps(
        {
            "consortium_id": money.consortium.pk,
            "received_on": DAY.isoformat(),
            "amount": "2000.01",
            "invoice_ids": [invoice.pk],
        }
    )

    def post() -> str:
        response = Client().post(
            "/api/v1/finance/payments",
            payload,
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )
        return f"{response.status_code} {response.content.decode()[:200]}"

    outcomes = _run_together([post] * 4)
    assert sorted(outcome[:3] for outcome in outcomes) == ["201", "201", "201", "422"], outcomes
    assert_no_cent_lost()
    assert selectors.outstanding(invoice) == JANUARY_TOTAL - 3 * Decimal("2000.01")
