"""Accessibility: the main pages of each role that the journeys do not visit, checked on a
phone and a desktop (``screens.Screens``: axe-core, width, table headers), and one
journey done with the keyboard alone.

axe-core is bundled by axe-playwright-python (no CDN). Any violation fails, whatever its
impact; each is reported with its rule, page and first elements.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.demo.nord import demo_email

from .screens import axe_violations
from .test_journeys import log_in

pytestmark = pytest.mark.browser

#: Each role's main pages that the field's journeys (run on a phone, checked by
#: ``screens.Screens``) do not visit; ``record`` is found by following a link.
PAGES = {
    "referente": ["/", "/jeunes/", "record", "/annuaire/"],
    "conseiller": ["/jeunes/"],
    "coordination": ["/jeunes/", "record", "/hebergement/", "/annuaire/"],
    "direction": ["/", "/pilotage/"],
    "dpo": ["/"],
}
LINKS = {"record": ("/jeunes/", r"^/jeunes/\d+/$")}


def open_page(page, target: str) -> None:
    if target in LINKS:
        start, pattern = LINKS[target]
        page.goto(start)
        hrefs = page.locator("main a[href]").evaluate_all("links => links.map(a => a.pathname)")
        found = next((href for href in hrefs if re.match(pattern, href)), None)
        assert found, f"no link to a {target} on {start}"
        page.goto(found)
    else:
        page.goto(target)


@pytest.mark.parametrize("login", PAGES)
def test_main_pages_fit_a_phone_and_a_desktop_without_violation(page, live_demo, login, screens):
    screens.desktop_axe = True
    log_in(page, login)
    for target in PAGES[login]:
        open_page(page, target)
        screens.check(page)
    screens.assert_clean()
    assert not page.failed_requests


def test_the_checker_does_report_a_critical_violation(page, live_demo):
    """The control: an image without text alternative is found, so zero means zero."""
    page.goto("/compte/connexion/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any(problem.startswith("image-alt (critical)") for problem in axe_violations(page))


def test_log_in_open_the_caseload_and_a_record_with_the_keyboard_alone(page, live_demo):
    page.goto("/compte/connexion/")

    def tab_to(predicate: str, limit: int = 60) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(
                f"(() => {{ const e = document.activeElement; return {predicate}; }})()"
            ):
                return
        raise AssertionError(f"Tab never reached: {predicate}")

    tab_to("e.name === 'username'")
    page.keyboard.type(demo_email("referente"))
    tab_to("e.name === 'password'")
    page.keyboard.type(DEFAULT_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/")

    tab_to("e.tagName === 'A' && e.pathname === '/jeunes/'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/jeunes/")

    tab_to("e.tagName === 'A' && /^\\/jeunes\\/\\d+\\/$/.test(e.pathname)", limit=120)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert re.search(r"/jeunes/\d+/$", page.url)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
