"""Journey of a CEJ-JR pathway, on a referent's phone: outreach, contacts imported,
eligibility with its reasons, committee decision, remobilisation, administrative file
transmitted only with the youth's consent; each page checked on the phone and a desktop."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from .screens import open_section, switch_organisation
from .test_journeys import log_in

pytestmark = pytest.mark.browser

PORTEUR = "Rebond Jeunes Lille (porteur CEJ-JR)"
MISSION_LOCALE = "Mission locale de Lille"


def field(page, label: str):
    """A form field by its label (required fields add an asterisk to the label)."""
    return page.locator("main").get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def test_referent_takes_a_youth_from_outreach_to_remobilisation(
    page, live_demo, screenshot, screens
):
    today = datetime.date.today()
    log_in(page, "referente")
    switch_organisation(page, f"{PORTEUR} — Référent·e de parcours")
    screens.check(page)
    open_section(page, "Parcours CEJ-JR")
    assert page.get_by_role("heading", level=1).inner_text() == "Parcours CEJ-JR"
    screens.check(page)

    page.get_by_role("link", name="Repérer un jeune").click()
    screens.check(page)
    field(page, "Nom").fill("Moreau")
    field(page, "Prénoms").fill("Kylian")
    field(page, "Date de naissance").fill("2005-06-21")
    field(page, "Lieu du repérage").fill("Maraude, parc Jean-Baptiste Lebas")
    field(page, "Partenaire qui a repéré le jeune").fill("Prévention spécialisée")
    field(page, "Mode de repérage").select_option(label="Maraude, aller-vers")
    field(page, "Inscription à la mission locale (historique I-Milo)").select_option(
        label="Inscrit·e"
    )
    page.get_by_role("button", name="Ouvrir le parcours").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Parcours CEJ-JR — MOREAU Kylian"
    pathway_url = page.url

    # an unanswered SMS three weeks ago and an interview seven months ago
    sms = today - datetime.timedelta(weeks=3)
    interview = today - datetime.timedelta(days=213)
    screens.check(page)
    page.get_by_role("link", name="Importer une extraction CSV").click()
    screens.check(page)
    page.locator("main").get_by_label(re.compile("^Extraction CSV")).set_input_files(
        {
            "name": "imilo.csv",
            "mimeType": "text/csv",
            "buffer": (
                "date;canal;reponse;intention\n"
                f"{sms:%d/%m/%Y};SMS;non;non\n"
                f"{interview:%d/%m/%Y};Entretien;oui;oui\n"
            ).encode(),
        }
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("2 contacts importés")).to_be_visible()
    eligibility = page.locator("section[aria-labelledby=eligibilite]")
    assert eligibility.get_attribute("data-eligibility") == "eligible"
    text = eligibility.inner_text()
    assert f"Dernier contact substantiel avec la mission locale le {interview:%d/%m/%Y}" in text
    assert "1 contact non substantiel" in text
    screens.check(page)
    screens.shoot(page, screenshot, "cej-pathway-eligibility")

    open_section(page, "Parcours CEJ-JR")
    page.get_by_role("link", name="Comités d'intégration").click()
    screens.check(page)
    page.get_by_role("link", name="Nouveau comité").click()
    field(page, "Participants").fill("Julie Dumont (porteur), Karim Haddad (mission locale)")
    page.get_by_role("button", name="Enregistrer").click()
    item = page.locator("section.card", has=page.get_by_role("link", name="MOREAU Kylian"))
    assert "Nouvellement repéré" in item.inner_text()
    item.get_by_label("Décision").select_option(label="Début de la remobilisation")
    item.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision enregistrée pour MOREAU Kylian")).to_be_visible()
    screens.check(page)
    screens.shoot(page, screenshot, "cej-committee")

    page.goto(pathway_url)
    assert "Étape : Remobilisation" in page.locator("main .lead").inner_text()
    page.get_by_role("button", name="Préparer le dossier administratif").click()
    page.get_by_role("link", name="Marquer recueillie : Justificatif d'identité").click()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Transmettre à la mission locale").click()
    expect(page.get_by_text("Transmission refusée")).to_be_visible()

    page.get_by_role("link", name="Dossier du jeune").click()
    screens.check(page)
    page.get_by_role("link", name="Enregistrer un consentement").click()
    screens.check(page)
    field(page, "Organisation destinataire").select_option(label=MISSION_LOCALE)
    page.get_by_role("checkbox", name="Documents administratifs").check()
    page.get_by_role("checkbox", name="Scolarité, formation et emploi").check()
    field(page, "Finalité").fill("Ouverture du CEJ par la mission locale")
    field(page, "Recueilli par").select_option(label="Accord oral devant témoin")
    field(page, "Témoin").fill("M. Caron, éducateur")
    field(page, "À partir du").fill(today.isoformat())
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le consentement est enregistré")).to_be_visible()

    page.goto(pathway_url)
    page.get_by_role("button", name="Transmettre à la mission locale").click()
    expect(page.get_by_text(f"1 pièce(s) transmise(s) à {MISSION_LOCALE}")).to_be_visible()
    screens.check(page)
    assert page.failed_requests == []
    screens.assert_clean()
