"""End-to-end journey of the steering dashboards: each role opens its dashboard on
the Nord demo, the coordination filters a period (a reversed one is refused), exports a
table, writes a copil comment, generates the PDF and finds it in the history; the finance
officer reads the group account's dashboard; the Département sees masked aggregates on the
grid of ended periods."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coparcours.demo.reporting import load_steering_volume
from tests.browser.test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _open_dashboard(page) -> None:
    with page.expect_navigation():
        page.locator("main").get_by_role("link", name="Tableau de bord", exact=False).first.click()


def test_each_role_steers_with_its_dashboard(page, live_demo, screenshot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the copil reports generated
    log_in(page, "coordination")
    _open_dashboard(page)
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Tableau de bord Groupement (hébergement)"
    )
    expect(page.get_by_role("table", name="Taux d'occupation par membre")).to_be_visible()
    assert page.locator("img.chart").count() >= 4
    screenshot(page, "reporting-coordinator")

    # a period ending before it starts is refused in French
    page.get_by_label("Du").fill("2025-06-01")
    page.get_by_label(re.compile(r"^Au( \*)?$")).fill("2025-05-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    assert "La fin de la période ne peut pas précéder son début." in page.inner_text("main")
    page.get_by_label(re.compile(r"^Au( \*)?$")).fill("2026-05-31")
    page.get_by_label("Du").fill("2025-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()

    # a table's export
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").nth(3).click()
    path = download.value.path()
    assert "Reçues" in path.read_text(encoding="utf-8-sig").splitlines()[0]

    # the copil report: a comment on a table, the PDF generated and kept in the history
    with page.expect_navigation():
        page.get_by_role("link", name="Préparer le rapport de copil").click()
    page.get_by_label("Commentaire — Demandes de placement").fill(
        "Délais d'accueil stables ; deux demandes en attente de place."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Générer le rapport (PDF)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rapports de copil")
    history = page.get_by_role("table", name="Rapports de copil générés")
    assert "deux demandes en attente" in history.inner_text()
    assert "Nadia Benali" in history.inner_text()
    screenshot(page, "reporting-copil-history")
    pdf = page.request.get(
        page.get_by_role("link", name="Télécharger (PDF)").first.get_attribute("href")
    )
    assert pdf.ok and pdf.body().startswith(b"%PDF")

    # the lead's finance officer: invoiced, paid, passed on and the delays
    page.context.clear_cookies()
    log_in(page, "finances")
    _open_dashboard(page)
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Tableau de bord Finances du groupement"
    )
    months = page.get_by_role("table", name="Facturé, encaissé et reversé par mois", exact=False)
    expect(months).to_be_visible()
    assert "€" in months.inner_text()
    delays = page.get_by_role(
        "table", name="Délais entre l'encaissement et le reversement aux membres"
    )
    assert "Alefpa" in delays.inner_text() or "Temps de vie" in delays.inner_text()
    screenshot(page, "reporting-finance")

    # the porteur's director and the Département
    page.context.clear_cookies()
    log_in(page, "pilotage-cej")
    _open_dashboard(page)
    expect(page.get_by_role("table", name="Entonnoir CEJ-JR", exact=False)).to_be_visible()
    screenshot(page, "reporting-cej")
    # the Département, on the year of activity that ``make demo`` loads: the last ended
    # quarter, real figures, a few « < 5 » and their complementary « s »
    load_steering_volume(
        live_demo.gme,
        live_demo.cej_jr,
        {"porteur": live_demo.porteur, "mission_locale": live_demo.mission_locale},
    )
    page.context.clear_cookies()
    log_in(page, "departement")
    _open_dashboard(page)
    main = page.inner_text("main")
    assert "Agrégats seulement" in main and "Période publiée" in main
    assert "< 5" in main
    screenshot(page, "reporting-funder")
    assert page.failed_requests == []


def test_a_quality_campaign_round(page, live_demo, screenshot):
    log_in(page, "coordination")
    page.goto("/pilotage/evaluations/")
    page.get_by_label("Intitulé").fill("Évaluation qualité fin 2020")
    page.get_by_label("Auto-évaluations attendues le").fill("2020-12-15")
    with page.expect_navigation():
        page.get_by_role("button", name="Ouvrir la campagne").click()
    assert "Une campagne sans critère ne peut pas être ouverte" in page.inner_text("main")
    page.get_by_label("Grille de critères (un par ligne)").fill(
        "Projet personnalisé à jour\nScolarité sécurisée lors des réorientations"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Ouvrir la campagne").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Évaluation qualité fin 2020"
    campaign_url = page.url

    page.context.clear_cookies()
    log_in(page, "qualite")
    page.goto(campaign_url)
    page.get_by_label("Critère").select_option(label="Projet personnalisé à jour")
    page.get_by_label("Note").select_option("3")
    page.get_by_label("Éléments de preuve").fill("Audit interne de 40 dossiers")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la note").click()
    page.get_by_label("Action d'amélioration").fill("Former les référents au projet personnalisé")
    page.get_by_label("Pilote").fill("Directeur qualité")
    page.get_by_label("Échéance").fill("2021-03-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Ajouter l'action").click()
    assert "Former les référents" in page.inner_text("main")
    screenshot(page, "reporting-quality-campaign")
    assert page.failed_requests == []


def test_funder_downloads_the_copil_report_on_a_phone(page, live_demo, settings, tmp_path, screens):
    """The Département, on a phone: from its home page to its masked dashboard, a copil
    report generated, then downloaded from the home page's « À traiter »; each page checked
    on the phone and a desktop."""
    settings.MEDIA_ROOT = tmp_path / "media"
    log_in(page, "departement")
    screens.check(page)
    reports = page.locator("[data-todo=funder_reports]")
    with page.expect_navigation():
        reports.get_by_role("link", name="Ouvrir", exact=False).click()
    assert "Agrégats seulement" in page.inner_text("main")
    screens.check(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Préparer le rapport de copil").click()
    screens.check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Générer le rapport (PDF)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rapports de copil")
    screens.check(page)

    page.goto("/")
    download = reports.get_by_role("link", name="Télécharger le PDF", exact=False)
    pdf = page.request.get(download.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert page.failed_requests == []
    screens.assert_clean()
