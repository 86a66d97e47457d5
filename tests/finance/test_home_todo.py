"""The lead member's finance "À traiter" blocks: the ended months not yet invoiced to the
funder, and the invoices still waiting for its payment."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coparcours.accounts.models import User
from coparcours.core.formats import euros
from coparcours.finance import selectors
from coparcours.finance.home import month_label, months_to_bill, unpaid_invoices
from coparcours.finance.models import Invoice
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.invoices import issue_credit_note
from coparcours.finance.services.payments import record_payment
from coparcours.finance.services.rates import set_daily_rate
from coparcours.housing.factories import PlacementRequestFactory, StayFactory
from coparcours.housing.models.sites import SiteKind
from coparcours.organisations.models import Membership, Role
from coparcours.organisations.todo import Tone
from coparcours.youths.factories import YouthFactory
from tests.housing.conftest import Gme, build_gme
from tests.organisations.todo_blocks import home_todo, labels


def month(back: int) -> datetime.date:
    """The first day of the month ``back`` months before the current one."""
    today = timezone.localdate()
    index = today.year * 12 + today.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _stay(gme: Gme, start: datetime.date, end: datetime.date | None = None, name: str = "Sow"):
    youth = YouthFactory(owner_organisation=gme.member_b, last_name=name)
    request = PlacementRequestFactory(consortium=gme.consortium, youth=youth)
    return StayFactory(
        youth=youth, site=gme.site_b, request=request, start_date=start, end_date=end
    )


def _gme(suffix: str = "") -> Gme:
    """A GME started six months ago, a daily rate for B's house, and a stay there from the
    fifth month back to the middle of the second month back."""
    gme = build_gme(suffix=suffix)
    gme.consortium.start_date = month(6)
    gme.consortium.save()
    manager = gme.user(gme.lead, Role.FINANCE_OFFICER)
    set_daily_rate(
        manager, gme.consortium, gme.member_b, SiteKind.MECS, month(12), Decimal("180.00"), "A"
    )
    _stay(gme, month(5), month(2) + datetime.timedelta(days=14))
    return gme


def _bill(gme: Gme, back: int, issued_on: datetime.date | None = None) -> Invoice:
    manager = gme.user(gme.lead, Role.FINANCE_OFFICER)
    start = month(back)
    return bill_month(manager, gme.consortium, start.year, start.month, issued_on).invoice


def _queries(find, user: User, organisation) -> int:
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=user.pk)
    request.membership = (
        Membership.objects.active().with_standings().get(user=user, organisation=organisation)
    )
    with CaptureQueriesContext(connection) as captured:
        find(request)
    return len(captured)


# --- Mois à facturer -----------------------------------------------------------------------


@pytest.mark.django_db
def test_ended_months_with_stays_and_no_invoice_oldest_first():
    gme = _gme()
    _stay(gme, month(1), name="Keita")  # last month is occupied too, and the current one
    invoice = _bill(gme, 4)  # the first month billed in Coparcours
    officer = gme.client(gme.lead, Role.FINANCE_OFFICER)
    block = home_todo(officer)["months_to_bill"]
    # the fifth month back precedes the first invoice; the current month has not ended
    assert labels(block) == [month_label(month(back)) for back in (3, 2, 1)]
    assert block.rows[0].detail == f"{gme.consortium.name} : 1 séjour à facturer"
    assert block.rows[2].detail == f"{gme.consortium.name} : 1 séjour à facturer"
    today = timezone.localdate()
    for row, back in zip(block.rows, (3, 2, 1), strict=True):
        waited = (today - month(back - 1)).days + 1
        assert row.badge == f"mois clos depuis {waited} jour{'s' if waited > 1 else ''}"
        assert row.tone == (Tone.LATE if waited > 30 else Tone.URGENT)
        first = month(back)
        billing = f"/finances/factures/?month={first.month}&year={first.year}#bill"
        assert (row.action, row.url) == ("Facturer", billing)

    # the act: the billing form of that page comes set on that month, issues the invoice,
    # and the month goes
    start = month(3)
    form = officer.get(block.rows[0].url).content.decode()
    assert f'<option value="{start.month}" selected>' in form
    assert f'name="year" value="{start.year}"' in form
    response = officer.post("/finances/factures/", {"month": start.month, "year": start.year})
    assert response.status_code == 302
    assert labels(home_todo(officer)["months_to_bill"]) == [
        month_label(month(back)) for back in (2, 1)
    ]
    # a month cancelled by a credit note is to bill again
    issue_credit_note(gme.user(gme.lead, Role.FINANCE_OFFICER), invoice, "Séjour mal daté.")
    assert labels(home_todo(officer)["months_to_bill"])[0] == month_label(month(4))


@pytest.mark.django_db
def test_a_gme_never_billed_counts_from_its_start():
    gme = _gme()
    officer = gme.client(gme.lead, Role.FINANCE_OFFICER)
    assert labels(home_todo(officer)["months_to_bill"]) == [
        month_label(month(back)) for back in (5, 4, 3, 2)
    ]


@pytest.mark.django_db
def test_a_stay_occupies_the_month_it_leaves_only_after_a_night_there():
    """The departure day is not a night spent: leaving on the 1st leaves that month empty."""
    gme = _gme()  # one stay from the fifth month back to the 15th of the second
    leaves_on_the_1st = month(1)
    _stay(gme, month(1) - datetime.timedelta(days=3), leaves_on_the_1st, name="Keita")
    assert labels(home_todo(gme.client(gme.lead, Role.FINANCE_OFFICER))["months_to_bill"]) == [
        month_label(month(back)) for back in (5, 4, 3, 2)
    ]
    _stay(gme, month(2) + datetime.timedelta(days=20), month(1) + datetime.timedelta(days=1))
    block = home_todo(gme.client(gme.lead, Role.FINANCE_OFFICER))["months_to_bill"]
    assert labels(block) == [month_label(month(back)) for back in (5, 4, 3, 2, 1)]
    assert [row.detail.rsplit(": ", 1)[1] for row in block.rows[3:]] == [
        "3 séjours à facturer",
        "1 séjour à facturer",
    ]


@pytest.mark.django_db
def test_months_to_bill_are_the_leads_own_gmes_only():
    gme = _gme()
    other = _gme(suffix=" bis")
    _bill(other, 5)
    for back in (4, 3, 2):
        _bill(other, back)
    coordinator = gme.client(gme.lead, Role.COORDINATOR)  # manages the billing too
    assert home_todo(coordinator)["months_to_bill"].count == 4
    other_officer = other.client(other.lead, Role.FINANCE_OFFICER)
    assert home_todo(other_officer)["months_to_bill"].count == 0  # the other GME's months
    for organisation, role in (
        (gme.member_b, Role.FINANCE_OFFICER),  # a member, not the lead
        (gme.lead, Role.DIRECTOR),
        (gme.funder, Role.FUNDER_VIEWER),
    ):
        found = home_todo(gme.client(organisation, role))
        assert "months_to_bill" not in found and "unpaid_invoices" not in found


@pytest.mark.django_db
def test_months_to_bill_cost_the_same_queries_for_more_rows():
    gme = _gme()
    officer = gme.user(gme.lead, Role.FINANCE_OFFICER)
    few = _queries(months_to_bill, officer, gme.lead)
    for n in range(5):
        _stay(gme, month(6) + datetime.timedelta(days=n), name=f"Jeune{n}")
    _bill(gme, 5)
    _bill(gme, 3)
    assert _queries(months_to_bill, officer, gme.lead) == few


# --- Factures en attente de paiement -------------------------------------------------------


@pytest.mark.django_db
def test_invoices_with_something_due_the_earliest_due_first():
    gme = _gme()
    manager = gme.user(gme.lead, Role.FINANCE_OFFICER)
    today = timezone.localdate()
    waiting = _bill(gme, 4)  # issued today: due in the payment delay
    late = _bill(gme, 3, issued_on=today - datetime.timedelta(days=40))
    paid = _bill(gme, 2)
    record_payment(manager, gme.consortium, today, Decimal("1000.00"), [late], "VIR 1")
    record_payment(manager, gme.consortium, today, paid.total, [paid], "VIR 2")

    officer = gme.client(gme.lead, Role.FINANCE_OFFICER)
    block = home_todo(officer)["unpaid_invoices"]
    assert labels(block) == [f"Facture {late.number}", f"Facture {waiting.number}"]
    first, second = block.rows
    remaining = late.total - Decimal("1000.00")
    assert first.detail == (
        f"{month_label(month(3))} : reste dû {euros(remaining)} sur {euros(late.total)}, "
        f"échéance le {late.due_on:%d/%m/%Y}"
    )
    assert (first.badge, first.tone) == ("en retard de 10 jours", Tone.LATE)
    assert (second.badge, second.tone) == ("échéance dans 30 jours", Tone.WAITING)
    assert first.action == "Voir la facture"
    response = officer.get(first.url)
    assert response.status_code == 200 and late.number in response.content.decode()

    # a cancelled invoice is due no more
    issue_credit_note(manager, waiting, "Erreur de site.")
    assert labels(home_todo(officer)["unpaid_invoices"]) == [f"Facture {late.number}"]


@pytest.mark.django_db
def test_unpaid_invoices_cost_the_same_queries_for_more_rows():
    gme = _gme()
    officer = gme.user(gme.lead, Role.FINANCE_OFFICER)
    _bill(gme, 5)
    few = _queries(unpaid_invoices, officer, gme.lead)
    for back in (4, 3, 2):
        _bill(gme, back)
    assert _queries(unpaid_invoices, officer, gme.lead) == few


# --- The demo --------------------------------------------------------------------------------


def test_the_demo_finance_officer_has_a_month_to_bill_and_an_invoice_to_be_paid(demo, login_client):
    officer = login_client(demo.users["finances"])
    found = home_todo(officer)
    assert labels(found["months_to_bill"]) == [month_label(month(1))]
    last = Invoice.objects.filter(consortium=demo.gme).order_by("-period_start").first()
    unpaid = found["unpaid_invoices"]
    assert labels(unpaid) == [f"Facture {last.number}"]
    due = selectors.outstanding(last)
    assert f"reste dû {euros(due)} sur {euros(last.total)}" in unpaid.rows[0].detail
    for key in ("months_to_bill", "unpaid_invoices"):
        assert officer.get(found[key].rows[0].url).status_code == 200
