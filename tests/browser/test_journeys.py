"""End-to-end journeys in a real browser against the live server with the Nord demo."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.demo.nord import demo_email

pytestmark = pytest.mark.browser

LOGIN_URL = "/compte/connexion/"
ASRL = "ASRL"
PORTEUR = "Rebond Jeunes Lille (porteur CEJ-JR)"


def log_in(page, login: str) -> None:
    page.goto(LOGIN_URL)
    page.get_by_label("Adresse électronique").fill(demo_email(login))
    page.get_by_label("Mot de passe").fill(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Se connecter").click()
    assert urlsplit(page.url).path == "/", page.url


def lead(page) -> str:
    """The home page line naming the role and the organisation worked for."""
    return page.locator("main .lead").inner_text()


def assert_styled(page) -> None:
    """The stylesheet and scripts load: no request failed and the header is coloured."""
    page.wait_for_load_state("load")
    assert page.failed_requests == []
    background = page.evaluate(
        "getComputedStyle(document.querySelector('.site-header')).backgroundColor"
    )
    assert background != "rgba(0, 0, 0, 0)", "the stylesheet was not applied"


def test_referent_logs_in_switches_organisation_and_logs_out(page, live_demo, screenshot):
    page.goto("/")
    assert urlsplit(page.url).path == LOGIN_URL
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    assert_styled(page)
    screenshot(page, "login")

    log_in(page, "referente")
    assert page.get_by_role("heading", level=1).inner_text() == "Bonjour Julie"
    expect(page.get_by_role("heading", name="Ma file active")).to_be_visible()
    # Memberships are ordered by organisation name: ASRL comes first.
    assert ASRL in lead(page)
    assert PORTEUR not in lead(page)
    screenshot(page, "referent-home")

    page.locator(".org-menu summary").click()  # the organisation menu
    switch = page.get_by_label("Organisation", exact=True)
    expect(switch).to_be_visible()
    switch.select_option(label=f"{PORTEUR} — Référent·e de parcours")
    with page.expect_navigation():
        page.get_by_role("button", name="Changer").click()
    assert PORTEUR in lead(page)
    message = page.get_by_role("status").inner_text()
    assert message.startswith(f"Vous travaillez maintenant pour {PORTEUR}")
    # The choice lasts for the session.
    page.goto("/")
    assert PORTEUR in lead(page)

    page.get_by_text("Mon compte").click()  # the account menu
    with page.expect_navigation():
        page.get_by_role("link", name="Jetons d'API").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Jetons d'API"
    screenshot(page, "api-tokens")

    page.get_by_text("Mon compte").click()  # the account menu
    with page.expect_navigation():
        page.get_by_role("button", name="Se déconnecter").click()
    assert urlsplit(page.url).path == LOGIN_URL
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.goto("/")
    assert urlsplit(page.url).path == LOGIN_URL
    assert page.failed_requests == []


def test_coordinator_home(page, live_demo, screenshot):
    log_in(page, "coordination")
    expect(page.get_by_role("heading", name="Coordination du groupement")).to_be_visible()
    assert "Alefpa" in lead(page)
    expect(page.get_by_role("heading", name="GME MNA Nord")).to_be_visible()
    assert_styled(page)
    screenshot(page, "coordinator-home")


def test_first_tab_focuses_the_skip_link(page, live_demo):
    log_in(page, "referente")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_login_page_fits_a_phone_and_a_desktop(page, live_demo, screens):
    """The signed-in pages are checked by the journeys and tests/browser/test_accessibility.py."""
    page.goto(LOGIN_URL)
    assert_styled(page)
    screens.check(page)
    screens.assert_clean()


def test_the_youths_link_opens_on_one_button_then_her_page_on_a_phone(page, live_demo, screens):
    """A young person taps the link received by SMS: her date of birth and one button (the
    preview a messaging app fetched spent nothing), a wrong date told plainly, then her own
    page, each fitting a phone without violation."""
    from coparcours.cej.models import Pathway
    from tests.cej.conftest import give_link

    pathway = (
        Pathway.objects.open()
        .filter(author_organisation=live_demo.porteur)
        .select_related("youth")
        .order_by("pk")
        .first()
    )
    token = give_link(live_demo.users["referente"], live_demo.porteur, pathway, replace=True)
    for _app in ("SMS", "WhatsApp"):  # each messaging app fetches the link to preview it
        preview = page.context.request.get(f"/mon-espace/{token}/")
        assert preview.ok and pathway.youth.first_names not in preview.text()
    page.goto(f"/mon-espace/{token}/")
    screens.check(page, small_phone=True)
    page.get_by_label("Votre date de naissance").fill("01/01/1990")
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_text("il vous reste 4 essais")).to_be_visible()
    screens.check(page, small_phone=True)  # the error shown
    page.get_by_label("Votre date de naissance").fill(f"{pathway.youth.birth_date:%d/%m/%Y}")
    page.get_by_role("button", name="Ouvrir mon espace").click()
    expect(page.get_by_text(f"Bonjour {pathway.youth.first_names}")).to_be_visible()
    screens.check(page, small_phone=True)
    screens.assert_clean()
