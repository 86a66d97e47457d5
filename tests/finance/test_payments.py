"""The group account: payments, bank statement import, redistribution to the members to
the cent, ledger and member positions."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from coparcours.finance import rules, selectors
from coparcours.finance.models import BankImport, Payment, Redistribution
from coparcours.finance.services.bank_statements import import_bank_statement
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.invoices import issue_credit_note
from coparcours.finance.services.payments import record_payment
from coparcours.organisations.models import Role

from .conftest import JANUARY_TOTAL

DAY = datetime.date(2025, 2, 20)


def shares(payment):
    return {r.organisation_id: r.amount for r in payment.redistributions.all()}


def test_a_full_payment_is_passed_on_the_same_day(money):
    invoice = money.bill_january()
    payment = record_payment(
        money.manager, money.consortium, DAY, JANUARY_TOTAL, [invoice], "Virement CD59"
    )
    gme = money.gme
    assert shares(payment) == {
        gme.member_b.pk: Decimal("5675.50"),
        gme.member_c.pk: Decimal("2100.00"),
    }
    assert {r.made_on for r in payment.redistributions.all()} == {DAY}
    assert selectors.outstanding(invoice) == 0


def test_a_partial_payment_is_shared_to_the_cent(money):
    invoice = money.bill_january()
    payment = record_payment(money.manager, money.consortium, DAY, Decimal("1000.00"), [invoice])
    parts = shares(payment)
    assert sum(parts.values()) == Decimal("1000.00")
    # 5675.50 / 7775.50 × 1000 = 729.9209…, 2100 / 7775.50 × 1000 = 270.0791…: the cent
    # left goes to the larger remainder.
    assert parts == {
        money.gme.member_b.pk: Decimal("729.92"),
        money.gme.member_c.pk: Decimal("270.08"),
    }
    assert selectors.outstanding(invoice) == JANUARY_TOTAL - Decimal("1000.00")


def test_one_payment_for_several_invoices(money):
    january = money.bill_january()
    february = bill_month(money.manager, money.consortium, 2025, 2).invoice
    both = january.total + february.total
    payment = record_payment(money.manager, money.consortium, DAY, both, [january, february])
    assert [a.invoice for a in payment.allocations.order_by("invoice__period_start")] == [
        january,
        february,
    ]
    assert sum(shares(payment).values()) == both
    assert selectors.outstanding(january) == selectors.outstanding(february) == 0


def test_a_payment_larger_than_what_is_due_is_refused(money):
    invoice = money.bill_january()
    record_payment(money.manager, money.consortium, DAY, Decimal("7000.00"), [invoice])
    with pytest.raises(ValidationError) as error:
        record_payment(money.manager, money.consortium, DAY, Decimal("800.00"), [invoice])
    assert "dépasse ce qui reste dû" in str(error.value) and "775,50" in str(error.value)
    assert Payment.objects.count() == 1


def test_a_cancelled_invoice_takes_no_payment(money):
    invoice = money.bill_january()
    issue_credit_note(money.manager, invoice, "Erreur de période")
    with pytest.raises(ValidationError, match="dépasse"):
        record_payment(money.manager, money.consortium, DAY, Decimal("1.00"), [invoice])


def test_a_paid_invoice_is_not_cancelled(money):
    invoice = money.bill_january()
    record_payment(money.manager, money.consortium, DAY, Decimal("1.00"), [invoice])
    with pytest.raises(ValidationError, match="déjà reçu un versement"):
        issue_credit_note(money.manager, invoice, "Erreur")


@pytest.mark.parametrize(
    ("member", "role"),
    [("member_b", Role.FINANCE_OFFICER), ("funder", Role.FUNDER_VIEWER), ("lead", Role.DIRECTOR)],
)
def test_only_the_lead_records_payments(money, member, role):
    invoice = money.bill_january()
    user = money.gme.user(getattr(money.gme, member), role)
    with pytest.raises(PermissionDenied):
        record_payment(user, money.consortium, DAY, Decimal("1.00"), [invoice])


def test_the_ledger_balances_and_members_see_their_position(money):
    invoice = money.bill_january()
    record_payment(money.manager, money.consortium, DAY, Decimal("1000.00"), [invoice])
    record_payment(
        money.manager,
        money.consortium,
        DAY + datetime.timedelta(days=3),
        Decimal("6775.50"),
        [invoice],
    )
    rows = selectors.ledger(money.consortium)
    assert [(r.day, r.received, r.passed_on, r.balance) for r in rows] == [
        (DAY, Decimal("1000.00"), Decimal("1000.00"), 0),
        (DAY + datetime.timedelta(days=3), Decimal("6775.50"), Decimal("6775.50"), 0),
    ]
    positions = {p.organisation.pk: p for p in selectors.member_positions(money.consortium)}
    b = positions[money.gme.member_b.pk]
    assert (b.invoiced, b.received, b.owed) == (Decimal("5675.50"), Decimal("5675.50"), 0)
    assert [t.made_on for t in b.transfers] == [DAY + datetime.timedelta(days=3), DAY]
    assert positions[money.gme.lead.pk].invoiced == 0


STATEMENT = (
    "date;libelle;montant;factures\n"
    "20/02/2025;VIR DEPARTEMENT DU NORD;1000,00;{number}\n"
    "20/02/2025;VIR ASSOCIATION B;-729,92;\n"
    "25/02/2025;VIR DEPARTEMENT DU NORD;6775,50;{number}\n"
)


def statement(text: str) -> list[bytes]:
    return [line.encode() + b"\n" for line in text.splitlines()]


def test_a_bank_statement_records_payments_once(money):
    invoice = money.bill_january()
    text = STATEMENT.format(number=invoice.number)
    result = import_bank_statement(money.manager, money.consortium, statement(text), "releve.csv")
    assert (result.created, result.skipped) == (2, 1)
    assert selectors.outstanding(invoice) == 0
    assert Redistribution.objects.count() == 4
    with pytest.raises(ValidationError, match="déjà été importé"):
        import_bank_statement(money.manager, money.consortium, statement(text), "releve.csv")
    assert BankImport.objects.count() == 1


def test_a_bank_statement_with_errors_saves_nothing(money):
    invoice = money.bill_january()
    text = (
        "date;libelle;montant;factures\n"
        f"20/02/2025;VIR DEPARTEMENT;1000,00;{invoice.number}\n"
        f"31/02/2025;VIR DEPARTEMENT;12,00;{invoice.number}\n"
        f"21/02/2025;VIR DEPARTEMENT;douze;{invoice.number}\n"
        f"22/02/2025;VIR DEPARTEMENT;9000,00;{invoice.number}\n"
        "23/02/2025;VIR DEPARTEMENT;10,00;2099-99999\n"
    )
    with pytest.raises(ValidationError) as error:
        import_bank_statement(money.manager, money.consortium, statement(text), "releve.csv")
    assert error.value.messages == [
        "Ligne 3, colonne « date » : « 31/02/2025 » n'est pas une date JJ/MM/AAAA.",
        "Ligne 4, colonne « montant » : « douze » n'est pas un montant (ex. 1234,56).",
        "Ligne 5, colonne « montant » : Le versement (9\u202f000,00 €) dépasse ce qui reste dû "
        f"sur la facture {invoice.number} (6\u202f775,50 €).",
        "Ligne 6, colonne « factures » : facture inconnue : 2099-99999.",
    ]
    assert not Payment.objects.exists() and not BankImport.objects.exists()


def test_a_statement_without_its_columns_is_refused(money):
    with pytest.raises(ValidationError) as error:
        import_bank_statement(
            money.manager, money.consortium, statement("date;montant\n01/02/2025;3\n"), "r.csv"
        )
    assert error.value.messages == [
        "Ligne 1, colonne « libelle » : colonne manquante dans l'en-tête.",
        "Ligne 1, colonne « factures » : colonne manquante dans l'en-tête.",
    ]


# --- Largest remainder, property tests ------------------------------------------------------

cents = st.integers(min_value=1, max_value=10**10).map(lambda c: Decimal(c) / 100)
weights = st.dictionaries(
    st.integers(min_value=1, max_value=50),
    st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 100),
    min_size=1,
    max_size=12,
).filter(lambda w: any(v > 0 for v in w.values()))


@given(total=cents, weights=weights)
def test_shares_add_up_to_the_total_to_the_cent(total, weights):
    parts = rules.share_largest_remainder(total, weights)
    assert sum(parts.values()) == total
    assert set(parts) == set(weights)
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        assert part == part.quantize(rules.CENT) and part >= 0
        exact = total * weights[key] / weight_sum
        assert abs(part - exact) < rules.CENT  # never more than one cent from its exact share
        if weights[key] == 0:
            assert part == 0


@given(total=cents, weights=weights)
def test_shares_are_monotonic_in_the_weights(total, weights):
    parts = rules.share_largest_remainder(total, weights)
    ordered = sorted(weights, key=lambda key: weights[key])
    for smaller, larger in itertools.pairwise(ordered):
        if weights[smaller] < weights[larger]:
            assert parts[smaller] <= parts[larger]


def test_a_total_below_the_cent_is_refused():
    with pytest.raises(ValueError, match="centime"):
        rules.share_largest_remainder(Decimal("1.005"), {1: Decimal(1)})
