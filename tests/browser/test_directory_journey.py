"""Journey of the directory: import the Nord sample, find a mental-health service near Lille for a
youth, send a referral with the youth's consent, answer it from the tokenised link, and see
the outcome on the referral and on the youth's timeline."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coparcours.directory.factories import NORD_SAMPLE

from .test_journeys import log_in

pytestmark = pytest.mark.browser

PORTEUR = "Rebond Jeunes Lille (porteur CEJ-JR)"
CMP_SERVICE = "Premier rendez-vous en santé mentale (16-25 ans)"


def test_find_a_mental_health_service_refer_and_get_the_answer(
    page, browser, live_server, live_demo, screenshot
):
    # The coordination imports the sample again: it updates, it never duplicates.
    log_in(page, "coordination")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    page.get_by_role("link", name="Importer un fichier").click()
    page.get_by_label(re.compile("^Fichier data·inclusion")).set_input_files(str(NORD_SAMPLE))
    page.get_by_role("button", name="Importer").click()
    assert "Import terminé : 0 structure(s) créée(s), 17 mise(s) à jour" in page.inner_text(
        ".messages"
    )
    page.get_by_text("Mon compte").click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "referente")
    page.locator(".org-menu summary").click()  # the organisation menu
    page.get_by_label("Organisation", exact=True).select_option(
        label=f"{PORTEUR} — Référent·e de parcours"
    )
    page.get_by_role("button", name="Changer").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    page.get_by_label("Thématique").select_option(label="Santé mentale")
    page.get_by_label("Commune ou code postal").fill("Lille")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("link", name=CMP_SERVICE)).to_be_visible()
    screenshot(page, "directory-search")

    page.get_by_label("Jeune accompagné").select_option(label="MARTIN Lucas")
    page.get_by_role("button", name="Voir les dispositifs et services adaptés").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Orientation de MARTIN Lucas"
    page.get_by_label("Besoin (thématique)").select_option(label="Santé mentale")
    page.get_by_role("button", name="Chercher").click()
    card = page.locator("li.card").filter(has=page.get_by_role("link", name=CMP_SERVICE))
    screenshot(page, "directory-orientation")
    card.get_by_role("link", name="Orienter vers ce service").click()

    sent = page.get_by_role("group", name="Informations transmises (en plus de l'identité)")
    sent.get_by_role("checkbox", name="Santé mentale").check()
    page.get_by_label(re.compile("^Message à la structure")).fill(
        "Lucas, 21 ans, en grande souffrance psychique, sans suivi depuis un an. "
        "Il souhaite un premier rendez-vous."
    )
    agreed = page.get_by_role(
        "group", name="Le jeune a donné son accord pour transmettre à cette structure"
    )
    agreed.get_by_role("checkbox", name="Identité").check()
    page.get_by_role("button", name="Envoyer l'orientation").click()
    assert "n'a pas donné son accord pour transmettre : Santé mentale" in page.inner_text("main")
    agreed.get_by_role("checkbox", name="Santé mentale").check()
    page.get_by_label(re.compile("^Accord recueilli par")).select_option(label="Formulaire signé")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    assert page.locator("#referral-status").inner_text() == "En attente de réponse"
    link = page.locator("#answer-link").get_attribute("href")
    referral_url = page.url

    # The CMP does not use Coparcours: it answers from the link, without an account.
    outside = browser.new_context(base_url=live_server.url, locale="fr-FR")
    answer = outside.new_page()
    answer.goto(link)
    assert "Lucas M." in answer.inner_text("main")
    assert "grande souffrance psychique" in answer.inner_text("main")
    answer.get_by_role("radio", name="Nous acceptons l'orientation").check()
    answer.get_by_label(re.compile("^Votre nom et votre fonction")).fill(
        "Infirmière d'accueil, CMP Lille-Centre"
    )
    answer.get_by_label(re.compile("^Commentaire")).fill("Rendez-vous proposé le mardi 14 h.")
    answer.get_by_role("button", name="Envoyer ma réponse").click()
    assert "Réponse enregistrée : Acceptée" in answer.inner_text("#answer-status")
    screenshot(answer, "directory-answer")
    answer.goto("/annuaire/reponse/" + link.rstrip("/").rsplit("/", 1)[1][:-3] + "xyz/")
    assert "n'est pas valide" in answer.inner_text("main")
    outside.close()

    page.goto(referral_url)
    assert page.locator("#referral-status").inner_text() == "Acceptée"
    assert "Rendez-vous proposé le mardi 14 h." in page.inner_text("main")
    screenshot(page, "directory-referral")
    page.get_by_role("link", name="← Orientation du jeune").click()
    page.get_by_role("link", name="← Dossier de MARTIN Lucas").click()
    timeline = page.locator("ol.timeline").inner_text()
    assert f"Orientation acceptée : {CMP_SERVICE}" in timeline
    assert f"Orientation envoyée : {CMP_SERVICE}" in timeline
    assert not page.failed_requests, page.failed_requests


def test_partners_share_a_guide_and_follow_copil_decisions(
    page, live_server, live_demo, screenshot
):
    # Shared guides and partner meetings: the porteur's referent updates the "who does
    # what" charter, then notes a copil decision; the mission locale finds it in the
    # decision log.
    log_in(page, "referente")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    page.get_by_role("link", name="Guides partagés").click()
    page.get_by_role("link", name="Qui fait quoi dans le CEJ-JR Lille").click()
    assert "relecture dépassée" in page.inner_text("#guide-review")
    page.get_by_role("link", name="Publier une nouvelle version").click()
    page.get_by_label(re.compile("^Ce qui change")).fill("Permanence du CMP chez le porteur.")
    page.get_by_label(re.compile("^Texte de la page")).fill(
        "Santé mentale : permanence mensuelle du CMP dans les locaux du porteur."
    )
    page.get_by_label(re.compile("^Prochaine relecture le")).fill("2030-06-30")
    page.get_by_role("button", name="Publier").click()
    assert "Version 3 publiée." in page.inner_text(".messages")
    assert page.inner_text("#guide-review").strip() == "30/06/2030"
    page.get_by_role("link", name="Version 2").click()
    assert "SIAO du Nord" in page.inner_text("main")
    screenshot(page, "directory-guide-version")

    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    page.get_by_role("link", name="Réunions de partenaires").click()
    page.get_by_role("link", name="Copil du CEJ-JR Lille").click()
    assert "aucune donnée personnelle sur un jeune" in page.inner_text("#no-youth-data")
    page.get_by_label(re.compile("^Décision")).fill("Ouvrir un atelier logement au printemps.")
    page.get_by_label(re.compile("^Portée par")).select_option(label="Karim Haddad")
    page.get_by_label(re.compile("^Échéance")).fill("2030-04-01")
    page.get_by_role("button", name="Noter la décision").click()
    assert "Ouvrir un atelier logement au printemps." in page.inner_text("#decisions")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename.endswith(".ics")
    screenshot(page, "directory-meeting")
    page.get_by_text("Mon compte").click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "conseiller")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Annuaire", exact=True
    ).click()
    page.get_by_role("link", name="Réunions de partenaires").click()
    page.get_by_role("link", name="Relevé des décisions").click()
    page.get_by_label("Rechercher dans les décisions").fill("atelier LOGEMENT")
    page.get_by_role("button", name="Rechercher").click()
    assert "Ouvrir un atelier logement au printemps." in page.inner_text("main")
    assert "Copil du CEJ-JR Lille" in page.inner_text("main")
    assert "Demander au CMP" not in page.inner_text("main")
    assert not page.failed_requests, page.failed_requests
