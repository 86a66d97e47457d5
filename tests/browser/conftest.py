"""Fixtures for the end-to-end journeys in Debian's Chromium, driven by Playwright.

Playwright never downloads a browser here: it launches the system Chromium
(``apt-get install chromium``). Playwright's synchronous API runs an event loop in the
test thread, which Django's async-safety check would mistake for async code.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps

from tests.conftest import empty_audit_log_on_sqlite

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("COPARCOURS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
#: Where the journeys' screenshots go: var/screenshots (ignored by git) on every test run,
#: the README's docs/screenshots when asked (``make screenshots``), so that a test run
#: leaves the checkout as it found it.
SCREENSHOTS = ROOT / os.environ.get("COPARCOURS_SCREENSHOTS", "var/screenshots")


def pytest_collection_modifyitems(config, items):
    """Without Chromium, skip the journeys on a workstation; CI must have it."""
    if CHROMIUM.exists() or os.environ.get("CI"):
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} absent: apt-get install chromium")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One headless Chromium per test module, closed (with Playwright's loop) afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) whose relative URLs go to the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Every request that fails (a missing stylesheet, a server error) is kept for the test.
    page.failed_requests = []

    def keep_failure(response) -> None:
        if response.status >= 400:
            page.failed_requests.append(f"{response.status} {response.url}")

    page.on("response", keep_failure)

    def keep_network_failure(request) -> None:
        # An error status has already been kept; this is for requests without a response.
        # A request the browser itself cancelled (the favicon when the page moves on) is
        # not a failure of the server.
        if request.failure == "net::ERR_ABORTED":
            return
        if not any(failure.endswith(f" {request.url}") for failure in page.failed_requests):
            page.failed_requests.append(f"failed {request.url}")

    page.on("requestfailed", keep_network_failure)
    yield page
    context.close()


@pytest.fixture
def screens(page):
    """The journey runs on a phone; ``screens.check(page)`` checks the page at both widths."""
    from .screens import PHONE, Screens

    page.set_viewport_size(PHONE)
    return Screens()


@pytest.fixture
def live_demo(transactional_db, django_db_serialized_rollback):
    """The Nord demo in a transactional database, as the live server thread needs.

    After a transactional test the database is emptied by a flush, which also removes the
    rows that data migrations put there (dated regulation settings, reference lists,
    content types). Serialized rollback reloads them before each test, so a journey never
    depends on the tests that ran before it.

    PostgreSQL's TRUNCATE passes the audit log's append-only triggers, but SQLite's flush is
    a DELETE, which they refuse: on SQLite the audit rows are removed first, with the
    triggers lifted for that moment.
    """
    from coparcours.demo.nord import load_nord_demo

    # The residence-permit rules (dated data of a migration) are found missing here after
    # some transactional tests of a full run, though the serialized reload restores the
    # other migrations' rows; their migration's step is idempotent, so it is replayed.
    import_module("coparcours.housing.migrations.0006_default_permit_rules").create_defaults(
        apps, None
    )
    yield load_nord_demo()
    empty_audit_log_on_sqlite()


@pytest.fixture
def screenshot():
    """Save a full-page screenshot to SCREENSHOTS/NAME.png (only rewritten if changed)."""

    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        target = SCREENSHOTS / f"{name}.png"
        data = page.screenshot(full_page=True, animations="disabled", caret="hide")
        if not target.exists() or target.read_bytes() != data:
            tmp = target.with_suffix(".png.tmp")
            tmp.write_bytes(data)
            shutil.move(tmp, target)
        return target

    return take
