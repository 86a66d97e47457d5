from __future__ import annotations

import copy
import importlib
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client, override_settings

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.demo.nord import NordDemo, load_nord_demo

FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        or (marker is not None and marker.kwargs.get("transaction"))
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests (threads, processes, restore, live server) start from the rows
    that migrations put in the database (dated settings, content types) and leave it empty:
    each runs with serialized rollback, whose flush recreates nothing. A flush without it
    recreated content types under new ids, on which the next serialized reload collided.
    Live-server tests run last on each worker (pytest-django keeps this order among the
    transactional tests): their flushes still leave content types behind."""
    for item in items:
        if _transactional(item):
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
    items.sort(key=lambda item: "live_server" in getattr(item, "fixturenames", ()))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 stays the production hasher; tests hash with a fast one."""
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def sms_outbox(settings) -> list:
    """Text messages are kept in memory, as Django keeps mails (``mail.outbox``)."""
    from coparcours.core import sms

    settings.SMS_URL = "memory://"
    sms.outbox.clear()
    return sms.outbox


#: The organisations' standings kept in the process, as Redis keeps them in production: a
#: test's requests read them once per person instead of six subqueries each time.
STANDINGS_CACHE = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "standings",
}


@pytest.fixture(autouse=True)
def _standings_kept_within_a_test(settings):
    """Each test starts with none kept: a rolled-back test may give the same ids to other
    organisations and people, with no consortium saved to renew the version."""
    from django.core.cache import caches

    if settings.CACHES["standings"]["BACKEND"].endswith("DummyCache"):
        settings.CACHES = {**settings.CACHES, "standings": STANDINGS_CACHE}
        caches["standings"].clear()


def _uses_database(item: pytest.Item) -> bool:
    fixtures = set(getattr(item, "fixturenames", ()))
    return bool({"db", "transactional_db", "live_server"} & fixtures) or any(
        item.iter_markers("django_db")
    )


def _shares_demo(item: pytest.Item) -> bool:
    """Whether the test can run inside the module's demo transaction: it uses the demo in
    a rolled-back transaction, or it does not touch the database at all."""
    if not _uses_database(item):
        return True
    return (
        "demo" in item.fixturenames
        and not {"transactional_db", "live_server"} & set(item.fixturenames)
        and not any(mark.kwargs.get("transaction") for mark in item.iter_markers("django_db"))
    )


def _module_shares_demo(request: pytest.FixtureRequest) -> bool:
    """Whether one load of the Nord demo, in a rolled-back transaction, can serve every test
    of the module that uses it: none is transactional or live-server, and none reads the
    database without the demo (it would find the demo's rows). Otherwise each test loads
    its own."""
    items = [item for item in request.session.items if item.path == request.path]
    return any("demo" in item.fixturenames for item in items) and all(
        _shares_demo(item) for item in items
    )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, its tables built from the models, seeded as the migrations seed a
    new database (tests/database.py). The copy that transactional tests return to
    (``serialized_rollback``) is taken again, with the seeds: Django copies only the apps
    it knows to have migrations, none while they are disabled."""
    from django.db import connection

    from tests.database import seed_like_the_migrations

    with django_db_blocker.unblock():
        seed_like_the_migrations(connection)
        if getattr(connection, "_test_serialized_contents", None) is not None:
            with override_settings(MIGRATION_MODULES={}):
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture(scope="module")
def _shared_nord_demo(request, django_db_setup, django_db_blocker) -> Iterator[NordDemo | None]:
    """The Nord demo loaded once per module, inside a transaction that each test's own
    (nested) transaction returns to, and that is rolled back after the module, as Django's
    ``TestCase.setUpTestData`` does. Loading it takes seconds; a hundred tests use it."""
    if not _module_shares_demo(request):
        yield None
        return
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
                world = load_nord_demo()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield world
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_shared_nord_demo, db) -> NordDemo:
    """The Nord demo: a private copy of the module's shared load (tests may change its
    objects in memory freely), or a load of its own when the module cannot share one."""
    if _shared_nord_demo is None:
        return load_nord_demo()
    return copy.deepcopy(_shared_nord_demo)


@pytest.fixture
def login_client():
    """A logged-in test client for a user (through the real login form)."""

    def make(user) -> Client:
        client = Client()
        response = client.post(
            "/compte/connexion/", {"username": user.email, "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302, response.content.decode()[:500]
        return client

    return make


def empty_audit_log_on_sqlite() -> None:
    """Empty the audit log after a transactional test on SQLite.

    PostgreSQL's flush (TRUNCATE) passes the audit log's append-only triggers, but SQLite's
    flush is a DELETE, which they refuse: the triggers are lifted for that moment only.
    """
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("coparcours.core.migrations.0002_audit_log_append_only")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_REVERSE:
            cursor.execute(statement)
        cursor.execute("DELETE FROM core_auditlog")
        for statement in triggers.SQLITE:
            cursor.execute(statement)
