"""Who sees and does what with the GME's money: every role in the lead member, another
member, the funder and an outside association, against every finance page and API route
(docs/conventions.md, "Screens by role": finance officers, directors and the coordination
see the money; the lead
member's finance officer and coordination act; the funder sees its invoices and payments)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import get_resolver

from coparcours.api import api
from coparcours.finance.models import DailyRate, Invoice, Payment
from coparcours.finance.services.payments import record_payment
from coparcours.organisations.models import Role
from tests.access.declared import declared_api_status

from .conftest import build_money

PLACES = ["lead", "member", "funder", "outsider"]
CASES = [(role, place) for role in Role.values for place in PLACES]


def sees(role: str, place: str) -> bool:
    return (role in {Role.FINANCE_OFFICER, Role.DIRECTOR} and place in {"lead", "member"}) or (
        role == Role.COORDINATOR and place == "lead"
    )


def manages(role: str, place: str) -> bool:
    return place == "lead" and role in {Role.FINANCE_OFFICER, Role.COORDINATOR}


def funder(role: str, place: str) -> bool:
    return place == "funder" and role == Role.FUNDER_VIEWER


FINANCE_PAGES = [
    "/finances/prix-de-journee/",
    "/finances/compte-du-groupement/",
    "/finances/membres/",
    "/finances/balances/",
    "/finances/affectations/",
    "/finances/compte-administratif/?annee=2025",
    "/finances/compte-administratif.xlsx?annee=2025",
    "/finances/compte-administratif.pdf?annee=2025",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "place"), CASES)
def test_finance_pages_and_api_follow_the_roles(role, place):
    money = build_money()
    invoice = money.bill_january()
    payment = record_payment(
        money.manager, money.consortium, datetime.date(2025, 2, 20), Decimal("100.00"), [invoice]
    )
    organisation = {
        "lead": money.gme.lead,
        "member": money.gme.member_b,
        "funder": money.gme.funder,
        "outsider": money.gme.outsider,
    }[place]
    client = money.client(organisation, role)
    finance, manager, its_funder = sees(role, place), manages(role, place), funder(role, place)
    visible = finance or its_funder
    scoped = finance or its_funder  # may list, so a hidden one is "not found"
    hidden = 404 if scoped else 403

    for url in FINANCE_PAGES:
        assert client.get(url).status_code == (200 if finance else 403), url
    home = client.get("/finances/")
    # a funder viewer of an organisation funding no GME has no GME money to see
    assert home.status_code == (200 if finance else 302 if its_funder else 403)
    for url in ("/finances/factures/", "/finances/versements/"):
        response = client.get(url)
        assert response.status_code == (200 if finance or its_funder else 403)
        if response.status_code == 200:
            assert (invoice.number in response.content.decode()) == visible, url
    for url in (
        f"/finances/factures/{invoice.pk}/",
        f"/finances/factures/{invoice.pk}/pdf/",
        f"/finances/factures/{invoice.pk}/annexe.xlsx",
        f"/finances/versements/{payment.pk}/",
    ):
        assert client.get(url).status_code == (200 if visible else hidden), url
    if visible:  # the funder sees the payment, not the transfers to the members
        detail = client.get(f"/finances/versements/{payment.pk}/").content.decode()
        assert ("Reversements aux membres, le" in detail) == finance

    # writes: only the lead's managers; a refused write saves nothing
    response = client.post("/finances/factures/", {"month": "2", "year": "2025"})
    assert response.status_code == (302 if manager else 403)
    response = client.post(
        f"/finances/factures/{invoice.pk}/avoir/", {"reason": "Erreur"}
    )  # refused by the rules for the manager (the invoice has a payment), saying why
    assert response.status_code == (200 if manager else 403 if visible else hidden)
    if manager:
        assert "a déjà reçu un versement" in response.content.decode()
    response = client.post(
        "/finances/versements/",
        {"received_on": "2025-02-21", "amount": "1,00", "invoices": [invoice.pk]},
    )
    assert response.status_code == (302 if manager else 403)
    response = client.post(
        "/finances/prix-de-journee/",
        {
            "organisation": money.gme.member_c.pk,
            "kind": "mecs",
            "start_date": "2025-07-01",
            "amount": "1,00",
        },
    )
    assert response.status_code == (302 if manager else 403)
    response = client.post("/finances/affectations/", {"account": "658800", "group": "eliminated"})
    assert response.status_code == (302 if manager else 403)
    expected_invoices = 2 if manager else 1
    assert Invoice.objects.count() == expected_invoices
    assert Payment.objects.count() == (2 if manager else 1)
    assert DailyRate.objects.count() == (5 if manager else 4)

    # API: past its declaration (403 whatever the id without the capability), the same rules
    user = money.gme.user(organisation, role)

    def api(method: str, url: str, granted: int) -> int:
        return declared_api_status(user, method, url, granted)

    listed = client.get("/api/v1/finance/invoices")
    if api("GET", "/api/v1/finance/invoices", 200) == 200:
        assert (invoice.pk in [item["id"] for item in listed.json()["items"]]) == visible
    else:
        assert listed.status_code == 403 and not visible
    url = f"/api/v1/finance/invoices/{invoice.pk}"
    assert client.get(url).status_code == api("GET", url, 200 if visible else 404)
    listed = client.get("/api/v1/finance/payments")
    if api("GET", "/api/v1/finance/payments", 200) == 200:
        assert (payment.pk in [item["id"] for item in listed.json()["items"]]) == visible
    else:
        assert listed.status_code == 403 and not visible
    for url in (
        "/api/v1/finance/rates",
        "/api/v1/finance/redistributions",
        "/api/v1/finance/administrative-account?year=2025",
    ):
        assert client.get(url).status_code == (200 if finance else 403), url
    response = client.post(
        "/api/v1/finance/invoices", {"year": 2025, "month": 1}, content_type="application/json"
    )
    assert response.status_code == (200 if manager else 403)  # already billed: unchanged
    response = client.post(
        "/api/v1/finance/rates",
        {
            "organisation_id": money.gme.member_b.pk,
            "kind": "mecs",
            "start_date": "2025-08-01",
            "amount": "-1",
        },
        content_type="application/json",
    )
    assert response.status_code == (422 if manager else 403)
    response = client.post(
        "/api/v1/finance/payments",
        {"received_on": "2025-02-21", "amount": "999999.00", "invoice_ids": [invoice.pk]},
        content_type="application/json",
    )
    assert response.status_code == (422 if manager else 403)
    url = f"/api/v1/finance/invoices/{invoice.pk}/credit-note"
    response = client.post(url, {"reason": "Erreur"}, content_type="application/json")
    assert response.status_code == api("POST", url, 422 if manager else 403 if visible else 404)
    assert Invoice.objects.count() == expected_invoices


#: Every finance web route and API operation is exercised above or in test_views.py.
COVERED_ROUTES = {
    "dashboard",
    "rates",
    "invoices",
    "invoice",
    "invoice_pdf",
    "invoice_annex",
    "invoice_credit_note",
    "payments",
    "bank_import",
    "payment",
    "ledger",
    "members",
    "balances",
    "budget",
    "mapping",
    "account",
    "account_xlsx",
    "account_pdf",
}
COVERED_OPERATIONS = {
    ("GET", "/api/v1/finance/rates"),
    ("POST", "/api/v1/finance/rates"),
    ("GET", "/api/v1/finance/invoices"),
    ("POST", "/api/v1/finance/invoices"),
    ("GET", "/api/v1/finance/invoices/{invoice_id}"),
    ("POST", "/api/v1/finance/invoices/{invoice_id}/credit-note"),
    ("GET", "/api/v1/finance/payments"),
    ("POST", "/api/v1/finance/payments"),
    ("GET", "/api/v1/finance/redistributions"),
    ("GET", "/api/v1/finance/administrative-account"),
    ("POST", "/api/v1/finance/trial-balances"),  # test_trial_balances: test_the_api_import_*
}


def test_every_finance_route_is_covered():
    namespace = get_resolver().namespace_dict["finance"][1]
    assert {p.name for p in namespace.url_patterns} == COVERED_ROUTES
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "Finances" in operation.get("tags", [])
    }
    assert operations == COVERED_OPERATIONS
