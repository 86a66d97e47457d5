"""Accessibility: axe-core on the main pages of each role, pages usable
at 360 px wide, and one journey done with the keyboard alone.

axe-core is bundled by axe-playwright-python (no CDN). Only "serious" and "critical"
violations fail the test; each is reported with its rule, page and first elements.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.demo.nord import demo_email

from .test_journeys import log_in

pytestmark = pytest.mark.browser

#: The main pages of each role; ``record`` and ``pathway`` are found by following a link.
PAGES = {
    "referente": ["/", "/jeunes/", "record", "/cej/", "pathway", "/annuaire/"],
    "conseiller": ["/", "/jeunes/", "/cej/", "pathway"],
    "coordination": ["/", "/jeunes/", "record", "/hebergement/", "/annuaire/"],
    "finances": ["/", "/finances/"],
    "departement": ["/", "/hebergement/", "/pilotage/financeur/"],
}
LINKS = {
    "record": ("/jeunes/", r"^/jeunes/\d+/$"),
    "pathway": ("/cej/", r"^/cej/parcours/\d+/$"),
}
SEVERE = {"serious", "critical"}


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


def severe_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{page.url} {violation['id']} ({violation['impact']}): "
        + ", ".join(str(node["target"]) for node in violation["nodes"][:3])
        for violation in results.response["violations"]
        if violation["impact"] in SEVERE
    ]


#: Where a person with several memberships works for these pages (the porteur's pathways).
ACTING_FOR = {"referente": "Rebond"}


@pytest.mark.parametrize("login", PAGES)
def test_main_pages_have_no_serious_violation_and_fit_360_pixels(page, live_demo, login):
    log_in(page, login)
    if login in ACTING_FOR:
        page.goto("/")
        page.locator(".org-menu summary").click()  # the organisation menu
        switcher = page.locator("#membership-select")
        switcher.select_option(
            label=switcher.locator("option", has_text=ACTING_FOR[login]).first.inner_text()
        )
        page.get_by_role("button", name="Changer").click()
        page.wait_for_load_state()
    problems: list[str] = []
    for target in PAGES[login]:
        page.set_viewport_size({"width": 1280, "height": 800})
        open_page(page, target)
        problems += severe_violations(page)
        page.set_viewport_size({"width": 360, "height": 740})
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            problems.append(f"{page.url}: {width} px wide at 360 px")
    assert not problems, "\n".join(problems)
    assert not page.failed_requests


def test_the_checker_does_report_a_critical_violation(page, live_demo):
    """The control: an image without text alternative is found, so zero means zero."""
    page.goto("/compte/connexion/")
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert any("image-alt (critical)" in problem for problem in severe_violations(page))


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
