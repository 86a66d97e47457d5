"""The finance pages: the flow of a finance officer of the lead member, French errors,
and a bounded number of SQL queries whatever the data size."""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from coparcours.core.formats import euros
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.finance.models import Invoice, Payment, Redistribution, TrialBalance
from coparcours.finance.services.billing import bill_month
from coparcours.finance.services.payments import record_payment
from coparcours.housing.factories import StayFactory
from coparcours.organisations.models import Role
from coparcours.youths.factories import YouthFactory

from .conftest import JANUARY_TOTAL, build_money


def text(response) -> str:
    """The page with its non-breaking spaces (thousands separators) as plain spaces."""
    return response.content.decode().replace("\xa0", " ").replace("\u202f", " ")


@pytest.fixture
def manager_client(money):
    return money.client(money.gme.lead, Role.FINANCE_OFFICER)


def test_bill_pay_and_see_the_redistribution(money, manager_client):
    response = manager_client.post("/finances/factures/", {"month": "1", "year": "2025"})
    invoice = Invoice.objects.get()
    assert response.status_code == 302 and response.url == f"/finances/factures/{invoice.pk}/"
    assert "7 775,50 €" in text(manager_client.get(response.url))
    again = manager_client.post("/finances/factures/", {"month": "1", "year": "2025"}, follow=True)
    said = [str(message) for message in again.context["messages"]]
    assert said == ["Ce mois est déjà facturé : la facture n'a pas changé."]  # one message
    assert Invoice.objects.count() == 1

    pdf = manager_client.get(f"/finances/factures/{invoice.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert manager_client.get(f"/finances/factures/{invoice.pk}/pdf/").content == pdf.content

    response = manager_client.post(
        "/finances/versements/",
        {
            "received_on": "2025-02-20",
            "amount": "7775,50",
            "invoices": [invoice.pk],
            "label": "CD59",
        },
    )
    payment = Payment.objects.get()
    assert response.url == f"/finances/versements/{payment.pk}/"
    detail = text(manager_client.get(response.url))
    assert money.gme.member_b.name in detail and "5 675,50" in detail
    assert Redistribution.objects.count() == 2
    ledger = manager_client.get("/finances/compte-du-groupement/").content.decode()
    assert "20/02/2025" in ledger
    members = manager_client.get("/finances/membres/").content.decode()
    assert "reçus le 20 février 2025" in members


def test_the_payment_form_offers_only_what_remains_due(money, manager_client):
    invoice = money.bill_january()
    offered = text(manager_client.get("/finances/versements/"))
    assert f"{invoice.number} — 01/2025 — reste dû 7 775,50 € sur 7 775,50 €" in offered
    manager_client.post(
        "/finances/versements/",
        {"received_on": "2025-02-20", "amount": "1000", "invoices": [invoice.pk]},
    )
    offered = text(manager_client.get("/finances/versements/"))
    assert f"{invoice.number} — 01/2025 — reste dû 6 775,50 € sur 7 775,50 €" in offered
    manager_client.post(
        "/finances/versements/",
        {"received_on": "2025-02-27", "amount": "6775,50", "invoices": [invoice.pk]},
    )
    offered = text(manager_client.get("/finances/versements/"))
    assert f'value="{invoice.pk}"' not in offered  # paid: no longer offered
    assert Payment.objects.count() == 2


def test_a_payment_larger_than_due_is_refused_in_french(money, manager_client):
    invoice = money.bill_january()
    response = manager_client.post(
        "/finances/versements/",
        {"received_on": "2025-02-20", "amount": "9000", "invoices": [invoice.pk]},
    )
    assert response.status_code == 200
    assert "dépasse ce qui reste dû" in response.content.decode()
    assert not Payment.objects.exists()


def test_a_credit_note_from_the_page(money, manager_client):
    invoice = money.bill_january()
    response = manager_client.post(
        f"/finances/factures/{invoice.pk}/avoir/", {"reason": "Erreur de dates"}
    )
    note = Invoice.objects.get(credits=invoice)
    assert response.url == f"/finances/factures/{note.pk}/"
    assert "Annule la facture" in manager_client.get(response.url).content.decode()


def test_rates_page_records_a_rate(money, manager_client):
    response = manager_client.post(
        "/finances/prix-de-journee/",
        {
            "organisation": money.gme.member_c.pk,
            "kind": "mecs",
            "start_date": "2025-07-01",
            "amount": "215,00",
            "decision": "Arrêté du 15 juin 2025",
        },
    )
    assert response.status_code == 302
    page = manager_client.get("/finances/prix-de-journee/").content.decode()
    assert "Arrêté du 15 juin 2025" in page and "01/07/2025" in page


def test_the_annex_lists_names_only_where_the_policy_allows(money):
    invoice = money.bill_january()
    # the lead's finance officer does not accompany these youths: no names
    lead = money.client(money.gme.lead, Role.FINANCE_OFFICER)
    rows = _annex_rows(lead.get(f"/finances/factures/{invoice.pk}/annexe.xlsx"))
    assert {row[3] for row in rows} == {
        f"Réf. ASE {stay.request.reference}" for stay in money.stays[:3]
    }
    # member B's finance officer accompanies its hosted youths (owner): their names show
    member_b = money.client(money.gme.member_b, Role.FINANCE_OFFICER)
    before = AuditLog.objects.filter(event=AuditEvent.READ).count()
    rows = _annex_rows(member_b.get(f"/finances/factures/{invoice.pk}/annexe.xlsx"))
    names = {row[3] for row in rows}
    assert "BENAISSA" in " ".join(names) and "DEMBELE" in " ".join(names)
    assert not any("COULIBALY" in name for name in names)  # hosted by C
    assert AuditLog.objects.filter(event=AuditEvent.READ).count() == before + 2


def _annex_rows(response):
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    return [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0] != "Total"]


FEC_HEADER = (
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
    "ValidDate\tMontantdevise\tIdevise\n"
)


def fec_line(num, day, account, label, debit, credit):
    return (
        f"BQ\tBanque\t{num}\t{day}\t{account}\t{label}\t\t\tP{num}\t{day}\tEcriture {num}\t"
        f"{debit}\t{credit}\t\t\t{day}\t\t\n"
    )


def test_import_a_fec_and_open_the_administrative_account(money, manager_client):
    fec = FEC_HEADER + fec_line(1, "20240131", "641100", "Salaires", "1000,00", "0,00")
    fec += fec_line(1, "20240131", "512000", "Banque", "0,00", "1000,00")
    fec += fec_line(2, "20240215", "512000", "Banque", "1500,00", "0,00")
    fec += fec_line(2, "20240215", "731100", "Produits de la tarification", "0,00", "1500,00")
    upload = SimpleUploadedFile("FEC2024.txt", fec.encode())
    response = manager_client.post(
        "/finances/balances/",
        {"organisation": money.gme.lead.pk, "year": "2024", "source": "fec", "file": upload},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert TrialBalance.objects.get().lines.count() == 3
    page = text(manager_client.get("/finances/compte-administratif/?annee=2024"))
    assert "Dépenses — groupe II : personnel" in page and "1 000,00" in page
    assert "500,00" in page  # result
    xlsx = manager_client.get("/finances/compte-administratif.xlsx?annee=2024")
    sheet = load_workbook(BytesIO(xlsx.content))["Par groupe"]
    assert sheet["A1"].value == "Groupe fonctionnel"
    pdf = manager_client.get("/finances/compte-administratif.pdf?annee=2024")
    assert pdf.content.startswith(b"%PDF")
    # the same file again
    upload = SimpleUploadedFile("FEC2024.txt", fec.encode())
    response = manager_client.post(
        "/finances/balances/",
        {"organisation": money.gme.lead.pk, "year": "2024", "source": "fec", "file": upload},
    )
    assert "déjà été importé" in response.content.decode()


def test_budget_and_mapping_pages(money, manager_client):
    response = manager_client.post(
        "/finances/balances/budget/",
        {"organisation": money.gme.member_b.pk, "year": "2024", "expense_2": "900,00"},
    )
    assert response.status_code == 302
    response = manager_client.post(
        "/finances/affectations/", {"account": "706800", "group": "eliminated"}
    )
    assert response.status_code == 302
    assert "706800" in manager_client.get("/finances/affectations/").content.decode()
    page = manager_client.get("/finances/compte-administratif/?annee=2024").content.decode()
    assert "900,00" in page


def _grow(money, youths: int) -> None:
    """More stays, invoices and payments (a larger GME)."""
    for n in range(youths):
        youth = YouthFactory(owner_organisation=money.gme.member_b, last_name=f"Nom{n}")
        StayFactory(youth=youth, site=money.gme.site_b, start_date=datetime.date(2024, 11, 1))
    for month in (1, 2, 3):
        invoice = bill_month(money.manager, money.consortium, 2025, month).invoice
        record_payment(
            money.manager,
            money.consortium,
            datetime.date(2025, month + 1, 10),
            Decimal("100.00"),
            [invoice],
        )


PAGES = [
    "/finances/",
    "/finances/prix-de-journee/",
    "/finances/factures/",
    "/finances/versements/",
    "/finances/compte-du-groupement/",
    "/finances/membres/",
    "/finances/balances/",
    "/finances/affectations/",
    "/finances/compte-administratif/?annee=2025",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_make_a_bounded_number_of_queries(db, url, django_assert_max_num_queries):
    small = build_money()
    large = build_money(suffix=" grand")
    _grow(small, 1)
    _grow(large, 20)
    for money in (small, large):
        client = money.client(money.gme.lead, Role.FINANCE_OFFICER)
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200


def test_invoice_and_payment_pages_are_bounded(money, django_assert_max_num_queries):
    _grow(money, 20)
    client = money.client(money.gme.lead, Role.FINANCE_OFFICER)
    invoice = Invoice.objects.order_by("pk").first()
    payment = Payment.objects.first()
    for url in (f"/finances/factures/{invoice.pk}/", f"/finances/versements/{payment.pk}/"):
        client.get(url)
        with django_assert_max_num_queries(14):
            assert client.get(url).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(f"/finances/factures/{invoice.pk}/annexe.xlsx").status_code == 200
    assert JANUARY_TOTAL


def test_bank_statement_page(money, manager_client):
    invoice = money.bill_january()
    good = (
        "date;libelle;montant;factures\n"
        f"20/02/2025;VIR DEPARTEMENT;7775,50;{invoice.number}\n"
        "20/02/2025;VIR ASSOCIATION B;-5675,50;\n"
    )
    bad = good.replace("20/02/2025;VIR DEPARTEMENT", "32/02/2025;VIR DEPARTEMENT")
    response = manager_client.post(
        "/finances/versements/releve/",
        {"file": SimpleUploadedFile("releve.csv", bad.encode())},
    )
    assert response.status_code == 200
    assert "Ligne 2, colonne « date »" in response.content.decode()
    assert not Payment.objects.exists()
    response = manager_client.post(
        "/finances/versements/releve/",
        {"file": SimpleUploadedFile("releve.csv", good.encode())},
        follow=True,
    )
    assert "1 versement(s) enregistré(s)" in response.content.decode()
    assert Payment.objects.get().amount == JANUARY_TOTAL
    director = money.client(money.gme.member_b, Role.DIRECTOR)
    response = director.post(
        "/finances/versements/releve/", {"file": SimpleUploadedFile("r.csv", good.encode())}
    )
    assert response.status_code == 403


def test_a_credit_note_is_confirmed_with_its_consequences(money, manager_client):
    invoice = money.bill_january()
    url = f"/finances/factures/{invoice.pk}/avoir/"
    detail = manager_client.get(f"/finances/factures/{invoice.pk}/").content.decode()
    assert f'href="{url}">Annuler par un avoir…</a>' in detail

    page = manager_client.get(url).content.decode()
    assert f"Annuler la facture {invoice.number} par un avoir ?" in page
    assert f"Un avoir de {euros(-invoice.total)} est émis" in page
    assert "pourra être facturée de nouveau" in page
    assert not Invoice.objects.filter(credits=invoice).exists()

    empty = manager_client.post(url, {"reason": "  "})
    assert empty.status_code == 200
    assert "Rien n'a été enregistré" in empty.content.decode()
    assert 'href="#id_reason">Motif de l&#x27;avoir' in empty.content.decode()
    assert not Invoice.objects.filter(credits=invoice).exists()
