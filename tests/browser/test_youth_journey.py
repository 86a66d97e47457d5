"""Journey of a youth record: a consent to the mission locale, what the counsellor sees."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .test_journeys import log_in

pytestmark = pytest.mark.browser

PORTEUR = "Rebond Jeunes Lille (porteur CEJ-JR)"
MISSION_LOCALE = "Mission locale de Lille"


def field(page, label: str):
    """A form field by its label (required fields add an asterisk to the label)."""
    return page.locator("main").get_by_label(re.compile(rf"^{re.escape(label)}( \*)?$"))


def section(page, category: str):
    return page.locator(f'section[data-category="{category}"]')


def test_consent_opens_exactly_the_consented_categories_then_withdrawal_closes_them(
    page, live_demo, screenshot
):
    log_in(page, "referente")
    page.locator(".org-menu summary").click()  # the organisation menu
    page.get_by_label("Organisation", exact=True).select_option(
        label=f"{PORTEUR} — Référent·e de parcours"
    )
    page.get_by_role("button", name="Changer").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Jeunes", exact=True
    ).click()
    page.get_by_role("link", name="Nouveau dossier").click()
    field(page, "Nom").fill("Lefort")
    field(page, "Prénoms").fill("Yanis")
    field(page, "Date de naissance").fill("2004-02-11")
    field(page, "Téléphone").fill("0612345678")
    page.get_by_role("button", name="Créer le dossier").click()
    assert page.get_by_role("heading", level=1).inner_text() == "LEFORT Yanis"
    record_url = page.url

    page.get_by_role("link", name="Ajouter une note : Santé", exact=True).click()
    field(page, "Catégorie").select_option(label="Santé")
    field(page, "Date").fill("2025-10-01")
    field(page, "Titre").fill("Suivi médical confidentiel")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Ajouter un co-accompagnement").click()
    field(page, "Organisation").select_option(label=MISSION_LOCALE)
    field(page, "Nature").select_option(label="Partenaire CEJ-JR")
    field(page, "Rôle auprès du jeune").fill("Emploi et formation")
    field(page, "Début").fill("2025-09-01")
    page.get_by_role("button", name="Enregistrer").click()

    page.get_by_role("link", name="Enregistrer un consentement").click()
    field(page, "Organisation destinataire").select_option(label=MISSION_LOCALE)
    page.get_by_role("checkbox", name="Coordonnées").check()
    page.get_by_role("checkbox", name="Scolarité, formation et emploi").check()
    field(page, "Finalité").fill("Co-accompagnement CEJ-JR")
    field(page, "Recueilli par").select_option(label="Accord oral devant témoin")
    field(page, "Témoin").fill("Mme Leroy, éducatrice")
    field(page, "À partir du").fill("2025-09-01")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Le consentement est enregistré")).to_be_visible()
    screenshot(page, "youth-record")
    page.get_by_text("Mon compte").click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "conseiller")
    page.goto(record_url)
    assert section(page, "contact").get_attribute("data-visible") == "true"
    assert "0612345678" in section(page, "contact").inner_text()
    assert section(page, "health").get_attribute("data-visible") == "false"
    assert "Suivi médical" not in page.content()
    screenshot(page, "counsellor-record")
    page.get_by_text("Mon compte").click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "referente")
    page.locator(".org-menu summary").click()  # the organisation menu
    page.get_by_label("Organisation", exact=True).select_option(
        label=f"{PORTEUR} — Référent·e de parcours"
    )
    page.get_by_role("button", name="Changer").click()
    page.goto(record_url)
    page.get_by_role("link", name=re.compile(f"Retirer.*{MISSION_LOCALE}")).click()
    # a confirmation says what the partner stops seeing before anything changes
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(f"Retirer le partage avec {MISSION_LOCALE}")
    )
    expect(page.get_by_text("ne verra plus, dès maintenant")).to_be_visible()
    page.get_by_role("button", name="Retirer le partage").click()
    expect(page.get_by_text("Consentement retiré")).to_be_visible()
    page.get_by_text("Mon compte").click()  # the account menu
    page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "conseiller")
    page.goto(record_url)
    assert "0612345678" not in section(page, "contact").inner_text()
    assert "LEFORT" in page.get_by_role("heading", level=1).inner_text()  # identity stays
