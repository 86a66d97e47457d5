"""Journey of the shared library: the DREETS designates the mission locale to publish for
Hauts-de-France, then ends it; the GME's coordinator finds the porteur's teaching kit
pinned at the top of the GME's library and hides it. Pages checked at 360, 390, 1,280 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from coparcours.demo.directory_partners import LIBRARY_GUIDE
from coparcours.directory.models import GuidePlacement, LibraryPublisher

from .screens import open_section
from .test_journeys import log_in

pytestmark = pytest.mark.browser


def _guides(page) -> None:
    open_section(page, "Annuaire")
    page.get_by_role("link", name="Guides partagés").click()


def test_a_funder_designates_a_publisher_and_a_partnership_hides_its_kit(
    page, live_server, live_demo, screens, screenshot
):
    log_in(page, "dreets")
    _guides(page)
    page.get_by_role("link", name="Éditeurs de la bibliothèque").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Hauts-de-France")
    page.get_by_label("Organisation désignée").select_option(label="Mission locale de Lille")
    page.get_by_role("button", name="Désigner").click()
    expect(page.locator(".messages")).to_contain_text(
        "Mission locale de Lille publie désormais pour « Hauts-de-France »."
    )
    screens.check(page, small_phone=True)
    page.get_by_role("row", name="Mission locale de Lille").get_by_role(
        "link", name="Mettre fin"
    ).click()
    expect(page.locator(".alert.warning")).to_contain_text("ne pourra plus publier")
    screens.check(page, small_phone=True)
    page.get_by_role("button", name="Mettre fin à la désignation").click()
    expect(page.locator(".messages")).to_contain_text("n'est plus éditrice")
    assert not LibraryPublisher.objects.filter(
        organisation__name="Mission locale de Lille", ended_on=None
    ).exists()
    page.context.clear_cookies()

    log_in(page, "coordination")
    _guides(page)
    expect(page.locator("h2#pinned")).to_have_text("Épinglés")
    page.get_by_role("link", name=LIBRARY_GUIDE).click()
    expect(page.locator("#guide-reach")).to_contain_text("Hauts-de-France")
    screens.check(page, small_phone=True)
    screens.shoot(page, screenshot, "library-guide")
    page.get_by_role("button", name="Désépingler").click()
    page.get_by_role("button", name="Masquer").click()
    expect(page.locator(".messages")).to_contain_text("masqué de la bibliothèque")
    assert GuidePlacement.objects.filter(guide__title=LIBRARY_GUIDE, choice="hidden").exists()
    _guides(page)
    page.get_by_text("Documents masqués par vos partenariats (1)").click()
    expect(page.locator("details").get_by_role("link", name=LIBRARY_GUIDE)).to_be_visible()
    screens.check(page, small_phone=True)
    screens.assert_clean()
