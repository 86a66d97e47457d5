"""Journey of a team set up without the administration: a director invites a new
educator, who opens the link on her phone, chooses her password and lands on her home
page in the organisation. Each page checked at 360, 390 and 1,280 px."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from coparcours.organisations.models import Membership

from .test_journeys import log_in

pytestmark = pytest.mark.browser

PASSWORD = "Un-Mot-De-Passe-Solide-2026"


def test_a_director_invites_an_educator_who_joins_from_her_phone(
    page, browser, live_server, live_demo, screens, screenshot
):
    log_in(page, "direction")
    page.get_by_text("Menu").click()
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Mon organisation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Équipe de Temps de vie")
    page.get_by_label("Prénom").fill("Awa")
    page.locator("#id_last_name").fill("Ndiaye")
    page.get_by_label("Adresse électronique").fill("awa.ndiaye@exemple.fr")
    page.get_by_label("Rôle").select_option(label="Référent·e de parcours")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.locator(".messages")).to_contain_text("Invitation envoyée à awa.ndiaye@exemple.fr")
    expect(page.get_by_role("cell", name=re.compile("awa.ndiaye@exemple.fr"))).to_be_visible()
    screens.check(page, small_phone=True)
    screens.shoot(page, screenshot, "team")

    # the e-mail's link, on this test's server (SITE_URL names the production's)
    link = re.search(r"/organisation/invitation/\S+/", mail.outbox[-1].body).group(0)
    phone = browser.new_context(base_url=live_server.url, locale="fr-FR").new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(link)
    expect(phone.get_by_role("heading", level=1)).to_have_text("Rejoindre Temps de vie")
    screens.check(phone, small_phone=True)
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill("un autre")
    phone.get_by_role("button", name="Accepter et me connecter").click()
    expect(phone.locator("#form-errors")).to_contain_text("ne sont pas les mêmes")
    phone.locator("#id_password1").fill(PASSWORD)
    phone.locator("#id_password2").fill(PASSWORD)
    phone.get_by_role("button", name="Accepter et me connecter").click()
    expect(phone.locator(".messages")).to_contain_text(
        "Bienvenue : vous êtes référent·e de parcours à Temps de vie."
    )
    screens.check(phone, small_phone=True)
    assert Membership.objects.active().filter(user__email="awa.ndiaye@exemple.fr").exists()
    phone.context.close()
    screens.assert_clean()
