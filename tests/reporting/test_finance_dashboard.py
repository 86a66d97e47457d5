"""The finance dashboard (invoiced, paid, passed on, delays between payment and
redistribution) on known data: two months billed, paid in full then in part, passed on at
once (as the members expect) except one transfer made six days late."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from coparcours.finance.models import Invoice, Payment, PaymentAllocation, Redistribution
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.payments import record_payment
from coparcours.organisations.models import Role
from coparcours.reporting.indicators.common import Period
from coparcours.reporting.indicators.finance import (
    finance_members_table,
    finance_months_table,
    redistribution_delays_table,
)
from tests.finance.conftest import JANUARY_TOTAL, Money, build_money

from .conftest import client

pytestmark = pytest.mark.django_db

D = datetime.date
PERIOD = Period(D(2025, 1, 1), D(2025, 5, 1))
QUERY = "?start=2025-01-01&end=2025-04-30"


@pytest.fixture
def money(db) -> Money:
    found = build_money()
    january = bill_month(found.manager, found.consortium, 2025, 1, issued_on=D(2025, 2, 5)).invoice
    february = bill_month(found.manager, found.consortium, 2025, 2, issued_on=D(2025, 3, 5)).invoice
    record_payment(found.manager, found.consortium, D(2025, 2, 20), JANUARY_TOTAL, [january])
    record_payment(found.manager, found.consortium, D(2025, 3, 25), Decimal("1000.00"), [february])
    late = Payment.objects.create(
        consortium=found.consortium, received_on=D(2025, 4, 1), amount=Decimal("100.00")
    )
    PaymentAllocation.objects.create(payment=late, invoice=february, amount=Decimal("100.00"))
    Redistribution.objects.create(
        payment=late,
        organisation=found.gme.member_b,
        made_on=D(2025, 4, 7),
        amount=Decimal("100.00"),
    )
    found.february = february.total
    return found


def test_months_invoiced_paid_passed_on_and_outstanding_balance_to_the_cent(money):
    table = finance_months_table([money.consortium], PERIOD)
    feb = money.february
    assert feb == Invoice.objects.get(period_start=D(2025, 2, 1)).total > 0
    assert [row[1:] for row in table.rows] == [
        ["01/2025", Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00")],
        ["02/2025", JANUARY_TOTAL, JANUARY_TOTAL, JANUARY_TOTAL, Decimal("0.00")],
        ["03/2025", feb, Decimal("1000.00"), Decimal("1000.00"), feb - Decimal("1000.00")],
        ["04/2025", Decimal("0.00"), Decimal("100.00"), Decimal("100.00"), feb - 1100],
        ["", JANUARY_TOTAL + feb, Decimal("8875.50"), Decimal("8875.50"), None],
    ]
    assert table.rows[-1][0] == "Total"
    assert all(isinstance(cell, Decimal) for row in table.rows for cell in row[2:5])
    # the balance holds: outstanding at the end = invoiced − paid over the whole history
    invoiced, paid = table.rows[-1][2], table.rows[-1][3]
    assert table.rows[-2][5] == invoiced - paid
    # a period starting in March carries February's invoice as outstanding
    march = finance_months_table([money.consortium], Period(D(2025, 4, 1), D(2025, 5, 1)))
    assert march.rows[0][5] == feb - Decimal("1100.00")


def test_per_member_shares_add_up_to_the_group_figures(money):
    gme = money.gme
    table = finance_members_table([money.consortium], PERIOD)
    rows = {row[1]: row[2:] for row in table.rows[:-1]}
    b_january = Decimal("5675.50")
    assert rows["Association C"] == [
        Decimal("2100.00"),
        Decimal("2100.00"),
        Decimal("2100.00"),
        Decimal("0.00"),
    ]
    assert rows["Association B"] == [
        b_january + money.february,
        b_january + Decimal("1100.00"),
        b_january + Decimal("1100.00"),
        money.february - Decimal("1100.00"),
    ]
    months = finance_months_table([money.consortium], PERIOD)
    assert table.rows[-1][2:5] == months.rows[-1][2:5]  # members' totals = group totals
    only_c = finance_members_table([money.consortium], PERIOD, [gme.member_c.pk])
    assert [row[1] for row in only_c.rows] == ["Association C", ""]
    c_months = finance_months_table([money.consortium], PERIOD, [gme.member_c.pk])
    assert [row[2:] for row in c_months.rows[:-1]] == [
        [Decimal("0.00")] * 4,
        [Decimal("2100.00"), Decimal("2100.00"), Decimal("2100.00"), Decimal("0.00")],
        [Decimal("0.00")] * 4,
        [Decimal("0.00")] * 4,
    ]


def test_delays_between_a_payment_and_its_redistribution(money):
    table = redistribution_delays_table([money.consortium], PERIOD)
    assert [row[1:] for row in table.rows] == [
        ["Association B", 3, 2.0, 6.0],  # 0, 0 and 6 days
        ["Association C", 1, 0.0, 0.0],
        ["", 4, 1.5, 6.0],
    ]
    # passed on at once: no delay when the late transfer is out of the period
    march = redistribution_delays_table([money.consortium], Period(D(2025, 2, 1), D(2025, 4, 1)))
    assert [row[3:] for row in march.rows] == [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]


def test_the_lead_s_manager_reads_every_member_a_member_its_own(money):
    gme = money.gme
    manager = client(money.manager)
    page = manager.get(f"/pilotage/finances/{QUERY}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "7\u202f775,50 €" in text and 'src="data:image/svg+xml;base64,' in text
    data = manager.get(f"/api/v1/reporting/finances{QUERY}").json()
    assert data["tables"][0]["rows"][1][2] == "7775.50"  # cents exact, as a string
    members = [row[1] for row in data["tables"][1]["rows"]]
    assert members == ["Association B", "Association C", ""]

    officer_c = client(gme.user(gme.member_c, Role.FINANCE_OFFICER))
    data = officer_c.get(f"/api/v1/reporting/finances{QUERY}").json()
    assert [row[1] for row in data["tables"][1]["rows"]] == ["Association C", ""]
    assert data["tables"][0]["rows"][1][2:] == ["2100.00", "2100.00", "2100.00", "0.00"]
    refused = officer_c.get(f"/api/v1/reporting/finances{QUERY}&organisation_id={gme.member_b.pk}")
    assert refused.status_code == 422
    page = officer_c.get(f"/pilotage/finances/{QUERY}&organisation={gme.member_b.pk}")
    assert "Sélectionnez un choix valide" in page.content.decode()
    # the funder reads its invoices in finance, not the members' money here
    assert client(gme.funder_user).get("/pilotage/finances/").status_code == 403


def test_finance_tables_export_with_french_headers(money):
    manager = client(money.manager)
    response = manager.get(f"/pilotage/finances/tableau-1.csv{QUERY}")
    lines = list(
        csv.reader(
            io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert lines[0] == [
        "Groupement",
        "Membre",
        "Facturé",
        "Encaissé (part du membre)",
        "Reversé",
        "Reste dû",
    ]
    assert lines[2][:3] == ["GME test", "Association C", "2100,00"]  # a French decimal comma
    response = manager.get(f"/pilotage/finances/tableau-2.xlsx{QUERY}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][2:] == ["Reversements", "Délai moyen (jours)", "Délai maximal (jours)"]
    assert rows[1][1:] == ["Association B", 3, 2, 6]


@pytest.mark.parametrize("months", [1, 6])
def test_the_finance_dashboard_makes_a_bounded_number_of_queries(
    months, django_assert_max_num_queries
):
    found = build_money()
    for month in range(1, months + 1):
        invoice = bill_month(
            found.manager, found.consortium, 2025, month, issued_on=D(2025, month + 1, 1)
        ).invoice
        record_payment(
            found.manager, found.consortium, D(2025, month + 1, 2), invoice.total, [invoice]
        )
    manager = client(found.manager)
    with django_assert_max_num_queries(25):
        assert manager.get("/pilotage/finances/?start=2025-01-01&end=2025-12-31").status_code == 200
