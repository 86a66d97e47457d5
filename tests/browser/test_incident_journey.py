"""End-to-end journey of a runaway, on a phone (CASF L.331-8-1): the hosting member's
referent reports it from the youth's stay (a declaration before the runaway is refused,
nothing written), the coordination acknowledges it from its home page, the Département
reads the notice without the youth's name nor the facts, and the referent records the
return, which closes it; each page is checked on the phone and on a desktop."""

from __future__ import annotations

import datetime

import pytest

from coparcours.housing.models import SeriousIncident
from tests.browser.screens import open_section, switch_organisation
from tests.browser.test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE = "Places au centre maternel de Lille"
FACTS = "Pas rentrée après le lycée ; son amie dit qu'elle voulait rejoindre Paris."
ROW = f"Fugue ou disparition — {SITE}"


def log_out(page) -> None:
    page.get_by_text("Mon compte").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()


def test_a_runaway_reported_acknowledged_and_closed_by_the_return(
    page, live_demo, screens, screenshot
):
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    log_in(page, "referente")
    switch_organisation(page, "ASRL — Référent·e de parcours")
    open_section(page, "Hébergement")
    page.get_by_role("link", name="Séjours en cours").click()
    with page.expect_navigation():
        page.get_by_role("link", name="TRAORÉ Awa").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Signaler une fugue ou un événement grave").click()
    screens.check(page, small_phone=True)
    assert page.get_by_label("Nature de l'événement").input_value() == "runaway"
    page.get_by_label("Survenu le").fill((today - day).isoformat())
    page.get_by_label("À (heure)").fill("18:30")
    page.get_by_label("Déclarée aux forces de l'ordre le").fill((today - 2 * day).isoformat())
    page.get_by_label("Faits").fill(FACTS)
    page.get_by_label("Mesures prises").fill("Appels aux proches, déclaration au commissariat.")
    page.get_by_label("Détails de santé").fill("Enceinte de cinq mois, suivi PMI.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Rien n'a été enregistré" in page.locator("main").inner_text()
    assert "La déclaration ne peut pas précéder l'événement." in page.locator("main").inner_text()
    screens.check(page)
    assert not SeriousIncident.objects.filter(site__name=SITE, kind="runaway").exists()
    page.get_by_label("Déclarée aux forces de l'ordre le").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Fugue ou disparition")
    assert "Enceinte de cinq mois" in page.locator("main").inner_text()
    screens.check(page)
    log_out(page)

    log_in(page, "coordination")
    block = page.locator("[data-todo=housing_incidents_declared]")
    with page.expect_navigation():
        block.get_by_role("link", name=f"Prendre en compte — {ROW}").click()
    assert FACTS in page.locator("main").inner_text()
    assert "Enceinte" not in page.locator("main").inner_text()  # the host's health detail
    screens.check(page)
    screens.shoot(page, screenshot, "incident-coordination")
    with page.expect_navigation():
        page.get_by_role("button", name="Prendre en compte").click()
    assert "suivi par la coordination" in page.locator("main .lead").inner_text()
    page.goto("/")
    assert ROW in page.locator("[data-todo=housing_runaways]").inner_text()
    log_out(page)

    log_in(page, "departement")
    open_section(page, "Hébergement")
    with page.expect_navigation():
        page.get_by_role("link", name="Événements graves et fugues signalés").click()
    listing = page.locator("main").inner_text()
    assert "Fugue ou disparition" in listing and "Traoré" not in listing.title()
    screens.check(page)
    with page.expect_navigation():
        page.get_by_role("row").filter(has_text="Fugue ou disparition").filter(
            has_text=SITE
        ).get_by_role("link").click()
    notice = page.locator("main").inner_text()
    assert "déclaration au commissariat" in notice
    for secret in ("TRAORÉ", "Awa", FACTS, "Enceinte"):
        assert secret not in notice
    screens.check(page)
    log_out(page)

    log_in(page, "referente")
    switch_organisation(page, "ASRL — Référent·e de parcours")
    block = page.locator("[data-todo=housing_member_incidents]")
    with page.expect_navigation():
        block.get_by_role("link", name=f"Enregistrer le retour — {ROW}").click()
    screens.check(page)
    page.get_by_label("Revenu le").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    lead = page.locator("main .lead").inner_text()
    assert "clos" in lead and f"revenu le {today:%d/%m/%Y}" in lead
    screens.check(page)
    assert page.failed_requests == []
    screens.assert_clean()
