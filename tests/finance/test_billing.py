"""Daily rates and monthly billing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from coparcours.finance.models import (
    DailyRate,
    DayCount,
    FinanceSettings,
    ImmutableError,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceSequence,
    InvoiceStayDays,
)
from coparcours.finance.services.billing import bill_month, bill_months
from coparcours.finance.services.invoices import invoice_document, issue_credit_note
from coparcours.finance.services.rates import set_daily_rate
from coparcours.housing.models import Stay
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role

from .conftest import JANUARY, JANUARY_TOTAL, build_money


def lines_of(invoice):
    return [
        (line.organisation.name, line.kind, line.days, line.rate, line.amount)
        for line in invoice.lines.select_related("organisation").order_by(
            "organisation__name", "kind"
        )
    ]


def test_a_month_is_billed_per_member_and_kind(money):
    invoice = money.bill_january()
    gme = money.gme
    assert lines_of(invoice) == [
        (gme.member_b.name, SiteKind.DIFFUSE, 1, Decimal("95.50"), Decimal("95.50")),
        (gme.member_b.name, SiteKind.MECS, 31, Decimal("180.00"), Decimal("5580.00")),
        (gme.member_c.name, SiteKind.MECS, 10, Decimal("210.00"), Decimal("2100.00")),
    ]
    assert invoice.total == JANUARY_TOTAL == sum(line.amount for line in invoice.lines.all())
    assert invoice.number == f"{datetime.date.today().year}-00001"
    assert invoice.funder == gme.funder
    document = invoice_document(invoice)
    assert document.startswith(b"%PDF") and invoice_document(invoice) == document
    annex = {(row.youth.last_name, row.days) for row in invoice.stay_days.select_related("youth")}
    assert annex == {("Benaissa", 31), ("Coulibaly", 10), ("Dembele", 1)}


def test_billing_a_month_again_changes_nothing(money):
    first = money.bill_january()
    again = bill_month(money.manager, money.consortium, *JANUARY)
    assert again.invoice.pk == first.pk and not again.created
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get().last_number == 1  # no number lost


def test_the_exit_day_rule_is_a_setting(money):
    FinanceSettings.objects.create(valid_from=datetime.date(2020, 1, 1), day_count=DayCount.EXIT)
    invoice = money.bill_january()
    days = {(row.youth.last_name): row.days for row in invoice.stay_days.select_related("youth")}
    # exit day counted, entry day not: Amrani's exit on 1 January is billed, Dembele's entry
    # on 31 January is not, Coulibaly keeps 10 days (11 to 20 January).
    assert days == {"Benaissa": 31, "Coulibaly": 10, "Amrani": 1}
    assert invoice.day_count == DayCount.EXIT


def test_a_rate_changing_mid_month_splits_the_line(money):
    set_daily_rate(
        money.manager,
        money.consortium,
        money.gme.member_b,
        SiteKind.MECS,
        datetime.date(2025, 1, 16),
        Decimal("190.00"),
    )
    invoice = money.bill_january()
    b_mecs = [
        (line.days, line.rate)
        for line in invoice.lines.filter(organisation=money.gme.member_b, kind=SiteKind.MECS)
    ]
    assert sorted(b_mecs) == [(15, Decimal("180.00")), (16, Decimal("190.00"))]
    assert invoice.total == JANUARY_TOTAL + 16 * Decimal("10.00")
    history = DailyRate.objects.filter(organisation=money.gme.member_b, kind=SiteKind.MECS)
    assert [(r.start_date, r.end_date) for r in history.order_by("start_date")] == [
        (datetime.date(2024, 1, 1), datetime.date(2025, 1, 16)),
        (datetime.date(2025, 1, 16), None),
    ]


def test_a_rate_cannot_start_before_the_last_one(money):
    with pytest.raises(ValidationError) as error:
        set_daily_rate(
            money.manager,
            money.consortium,
            money.gme.member_b,
            SiteKind.MECS,
            datetime.date(2023, 6, 1),
            Decimal("150.00"),
        )
    assert "date postérieure" in str(error.value)


def test_a_missing_rate_refuses_the_whole_invoice(money):
    DailyRate.objects.filter(organisation=money.gme.member_c).delete()
    with pytest.raises(ValidationError) as error:
        money.bill_january()
    assert f"Aucun prix de journée pour {money.gme.member_c.name}" in str(error.value)
    assert not Invoice.objects.exists()
    assert not InvoiceSequence.objects.filter(last_number__gt=0).exists()  # no number taken


def test_an_unfinished_month_is_not_billed(money):
    today = datetime.date.today()
    with pytest.raises(ValidationError, match="une fois terminé"):
        bill_month(money.manager, money.consortium, today.year, today.month)


def test_issued_invoices_are_immutable(money):
    invoice = money.bill_january()
    invoice.total = Decimal("1.00")
    with pytest.raises(ImmutableError):
        invoice.save()
    with pytest.raises(ImmutableError):
        invoice.delete()
    line = invoice.lines.first()
    with pytest.raises(ImmutableError):
        line.save()


def test_a_credit_note_cancels_and_the_month_is_billed_again(money):
    invoice = money.bill_january()
    note = issue_credit_note(money.manager, invoice, "Sortie de Dembele mal datée")
    assert note.kind == InvoiceKind.CREDIT_NOTE and note.credits == invoice
    assert note.total == -invoice.total
    assert sum(line.amount for line in note.lines.all()) == note.total
    assert note.number.endswith("-00002")
    Stay.objects.filter(pk=money.stays[2].pk).update(start_date=datetime.date(2025, 2, 1))
    again = bill_month(money.manager, money.consortium, *JANUARY)
    assert again.created and again.invoice.total == JANUARY_TOTAL - Decimal("95.50")
    assert again.invoice.number.endswith("-00003")  # numbers follow without gap
    with pytest.raises(ValidationError, match="déjà annulée"):
        issue_credit_note(money.manager, invoice, "encore")
    with pytest.raises(ValidationError, match="Un avoir ne s'annule pas"):
        issue_credit_note(money.manager, note, "avoir d'avoir")
    with pytest.raises(ValidationError, match="motif"):
        issue_credit_note(money.manager, again.invoice, "  ")


@pytest.mark.parametrize(
    ("member", "role"),
    [
        ("lead", Role.DIRECTOR),
        ("member_b", Role.FINANCE_OFFICER),
        ("funder", Role.FUNDER_VIEWER),
        ("lead", Role.REFERENT),
    ],
)
def test_only_the_lead_members_managers_bill(money, member, role):
    user = money.gme.user(getattr(money.gme, member), role)
    with pytest.raises(PermissionDenied):
        bill_month(user, money.consortium, *JANUARY)
    with pytest.raises(PermissionDenied):
        set_daily_rate(
            user,
            money.consortium,
            money.gme.member_b,
            SiteKind.MECS,
            datetime.date(2025, 6, 1),
            Decimal("1.00"),
        )


def test_the_coordinator_of_the_lead_bills(money):
    result = bill_month(money.gme.coordinator, money.consortium, *JANUARY)
    assert result.created


# --- The billing run of many GMEs (docs/decisions.md, section 23) ----------------------------


class Killed(Exception):
    """Stands for the process being killed: nothing after it runs."""


def gmes_and_their_manager(count: int):
    """``count`` GMEs, and one finance officer of all their lead members."""
    gmes = [build_money(suffix=f" {n}") for n in range(count)]
    manager = gmes[0].manager
    for money in gmes[1:]:
        MembershipFactory(
            user=manager,
            organisation=money.gme.lead,
            role=Role.FINANCE_OFFICER,
            start_date=datetime.date(2020, 1, 1),
        )
    return gmes, type(manager).objects.get(pk=manager.pk)  # its memberships read afresh


def invoice_as_billed_alone(money):
    invoice = Invoice.objects.get(consortium=money.consortium)
    annex = sorted((row.stay_id, row.days, row.rate, row.amount) for row in invoice.stay_days.all())
    return invoice.sequence_number, invoice.total, lines_of(invoice), annex


@pytest.mark.django_db
def test_billing_many_gmes_at_once_issues_what_each_would_alone():
    gmes, manager = gmes_and_their_manager(3)
    DailyRate.objects.filter(
        consortium=gmes[1].consortium, organisation=gmes[1].gme.member_b
    ).filter(kind=SiteKind.MECS).update(end_date=datetime.date(2025, 1, 16))
    set_daily_rate(
        gmes[1].manager,
        gmes[1].consortium,
        gmes[1].gme.member_b,
        SiteKind.MECS,
        datetime.date(2025, 1, 16),
        Decimal("190.00"),
        "Arrêté 2025",
    )
    with transaction.atomic():  # issued invoices cannot be deleted: rolled back instead
        results = bill_months(manager, [m.consortium for m in gmes], *JANUARY)
        assert [result.created for result in results] == [True, True, True]
        together = [invoice_as_billed_alone(money) for money in gmes]
        transaction.set_rollback(True)
    assert not Invoice.objects.exists()
    for money in gmes:
        bill_month(money.manager, money.consortium, *JANUARY)
    assert together == [invoice_as_billed_alone(money) for money in gmes]
    assert together[0][1] == JANUARY_TOTAL
    assert together[1][1] == JANUARY_TOTAL + 16 * Decimal("10.00")  # 16 days at 190
    assert len(together[1][2]) == 4  # the rate change splits member B's MECS line


@pytest.mark.django_db
def test_the_billing_run_reads_the_days_of_all_gmes_at_once(django_assert_max_num_queries):
    gmes, manager = gmes_and_their_manager(4)
    consortia = [money.consortium for money in gmes]
    # Bulk reads (rights, settings, invoices issued, rates, days by line and by stay,
    # members) then, per GME: lock and take the number (creating the year's sequence),
    # check it is still unbilled, store the invoice, its lines and its annex.
    with django_assert_max_num_queries(8 + 4 * 12):
        results = bill_months(manager, consortia, *JANUARY)
    assert all(result.created for result in results)
    with django_assert_max_num_queries(4):  # already billed: read once, nothing locked
        again = bill_months(manager, consortia, *JANUARY)
    assert [result.created for result in again] == [False] * 4


@pytest.mark.django_db
def test_a_billing_run_killed_inside_the_second_invoice_is_resumed(monkeypatch):
    gmes, manager = gmes_and_their_manager(3)
    consortia = [money.consortium for money in gmes]
    real = InvoiceStayDays.objects.bulk_create
    calls = 0

    def dying(*args, **kwargs):
        nonlocal calls
        calls += 1
        if calls == 2:
            raise Killed
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(InvoiceStayDays.objects, "bulk_create", dying)
        with pytest.raises(Killed):
            bill_months(manager, consortia, *JANUARY)
    assert list(Invoice.objects.values_list("consortium", flat=True)) == [consortia[0].pk]
    assert not InvoiceLine.objects.exclude(invoice__consortium=consortia[0]).exists()
    results = bill_months(manager, consortia, *JANUARY)
    assert [result.created for result in results] == [False, True, True]
    for money in gmes:
        invoice = Invoice.objects.get(consortium=money.consortium)
        assert (invoice.sequence_number, invoice.total) == (1, JANUARY_TOTAL)
        assert invoice.stay_days.count() == 3
    assert [r.created for r in bill_months(manager, consortia, *JANUARY)] == [False] * 3


@pytest.mark.django_db
def test_a_billing_run_over_a_gme_the_user_does_not_manage_is_refused():
    gmes, manager = gmes_and_their_manager(2)
    other = build_money(suffix=" autre")
    with pytest.raises(PermissionDenied):
        bill_months(manager, [m.consortium for m in [*gmes, other]], *JANUARY)
    assert not Invoice.objects.exists()


@pytest.mark.django_db
def test_a_missing_rate_in_one_gme_refuses_the_run_before_any_invoice():
    gmes, manager = gmes_and_their_manager(2)
    DailyRate.objects.filter(organisation=gmes[1].gme.member_c).delete()
    with pytest.raises(ValidationError) as error:
        bill_months(manager, [m.consortium for m in gmes], *JANUARY)
    assert f"Aucun prix de journée pour {gmes[1].gme.member_c.name}" in str(error.value)
    assert not Invoice.objects.exists()
    assert not InvoiceSequence.objects.filter(last_number__gt=0).exists()
