"""End-to-end journey of the GME housing, on a phone: the funder files a request, the
coordination takes it from its home page to the youth's admission, a transfer follows, and
the occupancy page shows it; each page is checked on the phone and on a desktop."""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

import pytest

from tests.browser.screens import open_section
from tests.browser.test_journeys import log_in

# serialized_rollback: the flush that ends an earlier transactional test removes the rows
# seeded by migrations (dated settings) that the demo needs; they are restored first.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE = "Maison d'enfants Les Tilleuls (Alefpa)"
NEXT_SITE = "Unité collective du Pile (Temps de vie)"


def occupied_today(page, member: str) -> int:
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=member))
    return int(row.locator("td[data-occupied]").inner_text())


def test_request_placement_transfer_and_occupancy(page, live_demo, screenshot, screens):
    today = datetime.date.today()
    log_in(page, "departement")
    open_section(page, "Hébergement")
    assert page.get_by_role("heading", level=1).inner_text() == "Demandes de placement"
    screens.check(page)
    page.get_by_role("link", name="Nouvelle demande").click()
    screens.check(page)
    page.get_by_label("Référence ASE").fill("ASE-59-2026-0500")
    page.get_by_label("Nom", exact=True).fill("Cissé")
    page.get_by_label("Prénoms").fill("Oumar")
    page.get_by_label("Âge déclaré").fill("15")
    page.get_by_label("Sexe").select_option(label="Masculin")
    page.get_by_label("Urgence").select_option(label="Urgente (sous 72 heures)")
    page.get_by_label("Besoins").fill("Scolarisation en cours au collège de Lille.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Reçue par la coordination" in page.locator("main .lead").inner_text()
    screens.check(page)
    page.get_by_text("Mon compte").click()  # the account menu
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "coordination")
    screens.check(page)
    to_handle = page.locator("[data-todo=housing_requests]")
    with page.expect_navigation():  # from the home page's « À traiter »
        to_handle.get_by_role("link", name="Traiter — ASE-59-2026-0500").click()
    screens.check(page)
    available = page.get_by_role(
        "table", name="Sites de tous les membres acceptant 15 ans et ce sexe"
    )
    assert "Maison d'enfants Les Tilleuls" in available.inner_text()
    with page.expect_navigation():  # straight from the site's row of free places
        available.get_by_role("button", name=f"Proposer {SITE}").click()
    assert "Place proposée à un membre" in page.locator("main .lead").inner_text()

    # The coordinator also works for Alefpa, the member running the site: it answers.
    page.goto("/")
    with page.expect_navigation():
        page.locator("[data-todo=housing_proposals]").get_by_role(
            "link", name="Répondre — ASE-59-2026-0500"
        ).click()
    screens.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Accepter").click()
    screens.check(page)
    page.get_by_label("Date d'arrivée").fill((today - datetime.timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert page.get_by_role("heading", level=1).inner_text() == "CISSÉ Oumar"
    assert "Maison d'enfants Les Tilleuls" in page.locator("main .lead").inner_text()
    screens.check(page)

    page.goto("/hebergement/occupation/")
    alefpa_before = occupied_today(page, "Alefpa")
    temps_de_vie_before = occupied_today(page, "Temps de vie")
    page.go_back()
    page.get_by_role("link", name="Réorienter").click()
    page.get_by_label("Nouveau site").select_option(label=NEXT_SITE)
    page.get_by_label("Motif").select_option(label="Scolarité")
    page.get_by_label("Précisions").fill("Rapprochement du lycée professionnel de Roubaix.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Unité collective du Pile" in page.locator("main .lead").inner_text()
    path = page.get_by_role("table", name="Séjours successifs visibles par votre organisation")
    assert "Réorientation au sein du groupement" in path.inner_text()

    open_section(page, "Hébergement")
    page.get_by_role("link", name="Occupation", exact=True).click()
    assert urlsplit(page.url).path == "/hebergement/occupation/"
    assert occupied_today(page, "Alefpa") == alefpa_before - 1
    assert occupied_today(page, "Temps de vie") == temps_de_vie_before + 1
    for chart in ("#capacity-chart", "#occupancy-chart"):
        width = page.evaluate(f"document.querySelector('{chart}').naturalWidth")
        assert width > 0, f"{chart} did not render"
    assert page.failed_requests == []
    screens.check(page)
    screens.shoot(page, screenshot, "housing-occupancy")

    # The waves decided by the funder against the places actually opened.
    page.get_by_role("link", name="Vagues de places").click()
    waves = page.get_by_role(
        "table", name="Places décidées, prévues sur les sites et effectivement ouvertes, par vague"
    )
    assert "400" in waves.inner_text()
    assert page.evaluate("document.querySelector('#capacity-chart').naturalWidth") > 0
    screens.check(page)

    # A member's staff declares the places opened at one of its sites.
    housing_nav = page.get_by_role("navigation", name="Hébergement du groupement")
    housing_nav.get_by_role("link", name="Sites et capacités").click()
    page.get_by_role("link", name="Maison d'enfants Les Tilleuls").click()
    opened_before = int(page.locator("[data-opened]").get_attribute("data-opened"))
    page.get_by_role("link", name="Ouvrir ou fermer des places").click()
    page.get_by_label("Places (négatif pour une fermeture)").fill("2")
    page.get_by_label("Date effective").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert int(page.locator("[data-opened]").get_attribute("data-opened")) == opened_before + 2
    assert "Historique des modifications" in page.locator("main").inner_text()
    assert page.failed_requests == []
    screens.check(page)
    screens.assert_clean()
