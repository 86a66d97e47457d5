"""Journey of a minor's road to 18, on a phone: the hosting member records a new schooling
(a period ending before it starts is refused first) and checks off a piece of the
residence-permit file; the coordination then finds her among the coming majorities and
reads her timeline. Each page is checked on the phone and on a desktop."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from coparcours.housing.models import Stay

from .test_journeys import log_in

# serialized_rollback: the dated rules seeded by migrations (the CESEDA routes and pieces)
# are restored before the demo is loaded.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_member_prepares_a_minors_majority_and_the_coordination_follows(
    page, live_demo, screens, screenshot
):
    today = datetime.date.today()
    stay = Stay.objects.get(youth__last_name="Konaté", end_date__isnull=True)
    log_in(page, "direction")
    page.goto(f"/hebergement/sejours/{stay.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name="Vers 18 ans : scolarité, titre de séjour, entretien").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vers 18 ans — KONATÉ Mariam")
    expect(page.get_by_text("3 sur 9")).to_be_visible()
    screens.check(page, small_phone=True)

    with page.expect_navigation():
        page.get_by_role("link", name="Enregistrer une scolarité").click()
    page.get_by_label("Établissement").fill("CFA des métiers de bouche, Lille")
    page.get_by_label("Type").select_option(label="Apprentissage (CFA)")
    page.get_by_label("Classe ou niveau").fill("CAP cuisine, 1re année")
    page.get_by_label("Depuis le").fill(today.isoformat())
    page.get_by_label("Jusqu'au (inclus)", exact=True).fill(
        (today - datetime.timedelta(days=3)).isoformat()
    )
    page.locator("#id_attendance").select_option(label="Régulière")
    page.get_by_label("Assiduité constatée le").fill(today.isoformat())
    page.get_by_label("Employeur (apprentissage)").fill("Brasserie du Vieux-Lille")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#form-errors")).to_contain_text("Rien n'a été enregistré")
    expect(page.get_by_text("La fin doit suivre le début de la scolarité.").first).to_be_visible()
    screens.check(page)
    page.get_by_label("Jusqu'au (inclus)", exact=True).fill("")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator(".messages")).to_contain_text("Scolarité enregistrée.")

    page.get_by_label("Justificatif de domicile (attestation d'hébergement)").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer les pièces").click()
    expect(page.locator(".messages")).to_contain_text("Pièces du dossier enregistrées.")
    expect(page.get_by_text("4 sur 9")).to_be_visible()
    screens.check(page, small_phone=True)
    page.get_by_text("Mon compte").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()

    log_in(page, "coordination")
    page.goto("/hebergement/majorites/")
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader", name="KONATÉ Mariam"))
    expect(row).to_contain_text("4 pièces sur 9")
    expect(row).to_contain_text("à tenir")
    screens.check(page)
    with page.expect_navigation():
        row.get_by_role("link", name="KONATÉ Mariam").click()
    timeline = page.get_by_role("region", name="Étapes")
    expect(timeline).to_contain_text("Scolarité : Apprentissage (CFA) — CFA des métiers de bouche")
    expect(timeline).to_contain_text("Dernier jour du dépôt (CESEDA R.431-5 3°)")
    expect(page.get_by_text("CESEDA L.435-3").first).to_be_visible()
    expect(page.get_by_role("button", name="Enregistrer les pièces")).to_have_count(0)
    screens.check(page)
    screens.shoot(page, screenshot, "road-to-18")
    screens.assert_clean()
