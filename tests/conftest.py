from __future__ import annotations

import importlib

import pytest
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.demo.nord import NordDemo, load_nord_demo


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 stays the production hasher; tests hash with a fast one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db) -> NordDemo:
    return load_nord_demo()


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
