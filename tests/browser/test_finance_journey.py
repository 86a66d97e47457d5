"""End-to-end journey of the GME money, on a phone: the lead member's finance officer bills
last month from its home page, records the Département's payment, sees it passed on to the
members, imports a FEC and opens the consolidated administrative account; each page
checked on the phone and a desktop."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from coparcours.finance.imports import FEC_COLUMNS
from coparcours.finance.models import Invoice, Redistribution
from tests.browser.screens import open_section
from tests.browser.test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
]  # fmt: skip


def _fec(year: int) -> bytes:
    lines = ["\t".join(FEC_COLUMNS)]
    for number, (account, label, amount) in enumerate(
        [("641100", "Salaires", "650000,00"), ("731100", "Prix de journée", "1100000,00")],
        start=1,
    ):
        day = f"{year}0630"
        debit, credit = (amount, "0,00") if account.startswith("6") else ("0,00", amount)
        head = f"BQ\tBanque\t{number}\t{day}"
        tail = f"\t\t\tP{number}\t{day}\t{label}"
        lines.append(f"{head}\t{account}\t{label}{tail}\t{debit}\t{credit}\t\t\t{day}\t\t")
        lines.append(f"{head}\t512000\tBanque{tail}\t{credit}\t{debit}\t\t\t{day}\t\t")
    return ("\n".join(lines) + "\n").encode()


def test_bill_pay_redistribute_import_and_consolidate(page, live_demo, screenshot, screens):
    today = datetime.date.today()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    log_in(page, "finances")
    screens.check(page)

    # bill last month, from the home page's « À traiter »: the form opens on that month
    with page.expect_navigation():
        page.locator("[data-todo=months_to_bill]").get_by_role(
            "link", name=f"Facturer — {MONTHS[last_month.month - 1].capitalize()} {last_month.year}"
        ).click()
    assert page.get_by_label("Mois").input_value() == str(last_month.month)
    assert page.get_by_label("Année").input_value() == str(last_month.year)
    screens.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Émettre la facture").click()
    invoice = Invoice.objects.get(period_start=last_month.replace(day=1))
    assert page.get_by_role("heading", level=1).inner_text() == f"Facture {invoice.number}"
    total = page.locator("[data-total]").inner_text().replace("\xa0", " ").replace("\u202f", " ")
    assert total.endswith(" €") and invoice.total > 0
    screens.check(page)

    # record the Département's payment
    open_section(page, "Finances")
    assert page.get_by_role("heading", level=1).inner_text() == "Finances — GME MNA Nord"
    screens.check(page)
    page.locator("nav.filters").get_by_role("link", name="Versements", exact=True).click()
    screens.check(page)
    page.get_by_label("Reçu le").fill(today.isoformat())
    page.get_by_label("Montant reçu (€)").fill(f"{invoice.total}".replace(".", ","))
    page.get_by_label(f"{invoice.number} —", exact=False).check()
    page.get_by_label("Libellé du virement").fill(f"VIR DEPARTEMENT DU NORD {invoice.number}")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le versement").click()
    assert "reversé aux membres" in page.locator(".messages").inner_text()
    transfers = page.get_by_role("table", name="Reversements aux membres, le", exact=False)
    assert "Alefpa" in transfers.inner_text()
    screens.check(page)
    passed_on = sum(
        r.amount for r in Redistribution.objects.filter(payment__allocations__invoice=invoice)
    )
    assert passed_on == invoice.total and isinstance(passed_on, Decimal)

    # import a FEC for last year
    page.locator("nav.filters").get_by_role("link", name="Balances", exact=True).click()
    screens.check(page)
    page.get_by_label("Membre").first.select_option(label="Alefpa")
    page.get_by_label("Exercice").first.fill(str(today.year - 1))
    page.get_by_label("Format").select_option(label="Fichier des écritures comptables (FEC)")
    page.locator("input[type=file][name=file]").set_input_files(
        files=[
            {
                "name": f"123456789FEC{today.year - 1}1231.txt",
                "mimeType": "text/plain",
                "buffer": _fec(today.year - 1),
            }
        ]
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Importer").click()
    assert "Balance importée." in page.locator(".messages").inner_text()

    # the consolidated administrative account
    page.locator("nav.filters").get_by_role("link", name="Compte administratif").click()
    page.get_by_label("Exercice").select_option(str(today.year - 1))
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Compte administratif {today.year - 1}"
    )
    groups = page.get_by_role(
        "table", name="Réalisé par groupe fonctionnel, comparé au budget prévisionnel (€)"
    )
    assert "Recettes — groupe I : produits de la tarification" in groups.inner_text()
    assert "1 100 000,00" in groups.inner_text().replace("\xa0", " ").replace("\u202f", " ")
    assert page.failed_requests == []
    screens.check(page)
    screens.shoot(page, screenshot, "finance-administrative-account")
    screens.assert_clean()
