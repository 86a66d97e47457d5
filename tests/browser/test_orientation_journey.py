"""Journey of an orientation from a partner without an account: the porteur's director
reads the page's link, a youth worker opens it on a 390 px phone and orients a youth (the
agreement first forgotten, refused), the porteur finds it waiting on her home page, takes
it up so that the next committee has the youth on its agenda, and notes the contact, which
the partner learns by e-mail without a word about the youth."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from coparcours.orientations.models import Orientation, OrientationStatus

from .test_journeys import log_in

pytestmark = pytest.mark.browser


def _partner_orients(phone, link: str, screens, screenshot) -> str:
    """The youth worker fills the form on her phone; returns the reference she is given."""
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text(
        "Orienter un jeune vers CEJ-JR Lille"
    )
    screens.check(phone, small_phone=True)
    phone.get_by_label("Votre structure").fill("Maison de quartier Wazemmes")
    phone.get_by_label("Vos nom et prénom").fill("Chloé Dubrulle")
    phone.get_by_label("Votre courriel").fill("c.dubrulle@mq-wazemmes.example.org")
    phone.get_by_label("Prénom du jeune").fill("Sofiane")
    phone.get_by_label("Nom du jeune", exact=True).fill("Lambert")
    phone.get_by_label("Âge", exact=True).fill("20")
    phone.get_by_label("Commune où il ou elle vit").fill("Lille")
    phone.get_by_label("Comment le ou la joindre").fill("06 98 76 54 32, plutôt le soir")
    phone.get_by_label("Ce que vous savez de sa situation").fill(
        "A quitté sa formation en septembre, cherche un premier emploi."
    )
    phone.get_by_label("Comment il ou elle a donné son accord").select_option(
        label="Oralement, en ma présence"
    )
    phone.wait_for_timeout(3200)  # a person takes a few seconds: a robot is refused
    phone.get_by_role("button", name="Envoyer l'orientation").click()
    expect(phone.locator("#form-errors")).to_contain_text("L'accord du jeune est obligatoire")
    screens.check(phone, small_phone=True)
    phone.get_by_label("Le jeune est d'accord pour être contacté par le partenariat.").check()
    screens.shoot(phone, screenshot, "orientation-public-form")
    phone.get_by_role("button", name="Envoyer l'orientation").click()
    expect(phone.locator("#orientation-sent")).to_contain_text("référence")
    screens.check(phone, small_phone=True)
    return re.search(r"OR-\w+", phone.locator("#orientation-sent").inner_text()).group(0)


def test_a_partner_orients_a_youth_whom_the_committee_then_sees(
    page, browser, live_server, live_demo, screens, screenshot
):
    log_in(page, "pilotage-cej")
    page.goto("/orientations/pages/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Pages d'orientation des partenariats"
    )
    screens.check(page)
    link = urlsplit(page.locator("a[href*='/orientations/orienter/']").get_attribute("href")).path

    phone = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    reference = _partner_orients(phone, link, screens, screenshot)
    phone.context.close()

    # the porteur finds it waiting, reads it and takes it up
    page.goto("/orientations/partenariats/")  # the directory's list of the open pages
    screens.check(page)
    page.goto("/orientations/")
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    screens.check(page)
    page.goto("/")
    page.get_by_role("link", name=re.compile(f"Traiter — {reference} — Maison de quartier")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Orientation {reference}")
    screens.check(page, small_phone=True)
    page.get_by_role("link", name="Accepter et repérer le jeune…").click()
    expect(page.get_by_label("Prénoms")).to_have_value("Sofiane")
    screens.check(page)
    page.get_by_role("button", name="Accepter et repérer le jeune").click()
    expect(page.locator(".messages")).to_contain_text("prochain comité d'intégration")

    # the next committee has the youth on its agenda, as newly spotted
    page.goto("/cej/comites/nouveau/")
    page.get_by_label("Date du comité").fill(
        (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    )
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("heading", name="LAMBERT Sofiane")).to_be_visible()

    # the youth contacted: the partner is told, without a word about the youth
    orientation = Orientation.objects.get(reference=reference)
    page.goto(f"/orientations/{orientation.pk}/")
    page.get_by_role("link", name="Jeune contacté…").click()
    screens.check(page)
    page.get_by_role("button", name="Noter le contact et informer le partenaire").click()
    expect(page.locator(".messages")).to_contain_text("le partenaire en est informé")
    orientation.refresh_from_db()
    assert orientation.status == OrientationStatus.CONTACTED
    (told,) = [m for m in mail.outbox if m.to == ["c.dubrulle@mq-wazemmes.example.org"]]
    assert reference in told.subject and "Jeune contacté" in told.subject
    assert "Sofiane" not in told.body and "Lambert" not in told.body
    screens.assert_clean()
