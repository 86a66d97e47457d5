"""Settings are computed at import from the environment: each case imports them afresh in a
subprocess, as a server would start."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

PRODUCTION_KEY = "k" * 20 + "-production-secret-for-tests-only-" + "q" * 20
PRODUCTION = {
    "COPARCOURS_ENV": "production",
    "SECRET_KEY": PRODUCTION_KEY,
    "ALLOWED_HOSTS": "coparcours.exemple.fr",
}

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from huey.contrib.djhuey import HUEY
pool = getattr(HUEY.storage, "pool", None)  # RedisHuey only
redis = pool.connection_kwargs if pool else {}
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "DB_NAME": str(settings.DATABASES["default"]["NAME"]),
    "DB_HOST": settings.DATABASES["default"].get("HOST", ""),
    "DB_DRIVER": connection.Database.__name__,
    "DB_SERVER_SIDE_CURSORS": not settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"],
    "CACHE_BACKEND": type(caches["default"]).__name__,
    "CACHE_LOCATION": settings.CACHES["default"]["LOCATION"],
    "FIGURES_CACHE_BACKEND": type(caches["figures"]).__name__,
    "SESSION_ENGINE": settings.SESSION_ENGINE,
    "HUEY_CLASS": type(HUEY).__name__,
    "HUEY_IMMEDIATE": HUEY.immediate,
    "HUEY_REDIS": {key: value for key, value in redis.items() if key in {"host", "port", "db"}},
}))
"""


def run_python(code: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    """Run code with a clean environment: only what the case sets, plus the essentials."""
    clean = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "coparcours.settings",
        "COPARCOURS_DATA_DIR": str(tmp_path / "var"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def settings_with(env: dict[str, str], tmp_path) -> dict:
    result = run_python(PRINT_SETTINGS, env, tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def refusal(env: dict[str, str], tmp_path) -> str:
    result = run_python(PRINT_SETTINGS, env, tmp_path)
    assert result.returncode != 0
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_development_defaults_work_without_configuration(tmp_path):
    values = settings_with({}, tmp_path)
    assert values["DEBUG"] is True
    assert values["ENGINE"] == "django.db.backends.sqlite3"
    assert values["DB_NAME"] == str(tmp_path / "var" / "coparcours.sqlite3")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["HUEY_CLASS"] == "SqliteHuey"
    assert values["HUEY_IMMEDIATE"] is False
    assert values["CACHE_BACKEND"] == "DatabaseCache"
    assert values["FIGURES_CACHE_BACKEND"] == "DummyCache"  # not in the database itself
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_production_is_secure(tmp_path):
    values = settings_with(PRODUCTION, tmp_path)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 180
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["ALLOWED_HOSTS"] == ["coparcours.exemple.fr"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "trop-court"}, "SECRET_KEY"),
        ({"DEBUG": "1"}, "DEBUG"),
        ({"DEBUG": "true"}, "DEBUG"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"EMAIL_URL": "outbox://"}, "outbox://"),  # the demo's messages, kept in the database
        ({"SMS_URL": "outbox://"}, "outbox://"),
    ],
)
def test_production_refuses_an_unsafe_configuration(tmp_path, change, named):
    env = {k: v for k, v in (PRODUCTION | change).items() if v is not None}
    assert named in refusal(env, tmp_path)


def test_an_unknown_environment_name_is_refused(tmp_path):
    assert "COPARCOURS_ENV" in refusal({"COPARCOURS_ENV": "prod"}, tmp_path)


def test_an_unknown_email_url_scheme_is_refused_in_plain_words(tmp_path):
    message = refusal({"EMAIL_URL": "imap://mail.exemple.fr"}, tmp_path)
    assert "EMAIL_URL" in message and "submission://" in message


def test_production_passes_djangos_deployment_checks(tmp_path):
    result = run_python(
        """
        from django.core.management import execute_from_command_line
        execute_from_command_line(["manage", "check", "--deploy"])
        """,
        PRODUCTION,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    reported = set(re.findall(r"\((\w+\.[EW]\d+)\)", result.stdout + result.stderr))
    # Only the HSTS preload list remains: joining it is a deliberate, lasting choice
    # (SECURE_HSTS_PRELOAD=1), not a default.
    assert reported <= {"security.W021"}


def test_database_url_selects_postgresql_with_psycopg_3(tmp_path):
    values = settings_with(
        {"DATABASE_URL": "postgres://coparcours:secret@db.exemple.fr:5432/coparcours"}, tmp_path
    )
    assert values["ENGINE"] == "django.db.backends.postgresql"
    assert (values["DB_NAME"], values["DB_HOST"]) == ("coparcours", "db.exemple.fr")
    assert values["DB_DRIVER"] == "psycopg"  # psycopg 3, not psycopg2
    assert values["DB_SERVER_SIDE_CURSORS"]


def test_transaction_pooling_turns_server_side_cursors_off(tmp_path):
    """Behind PgBouncer in transaction mode, a cursor declared in one transaction would be
    gone in the next: Django must fetch results client-side."""
    values = settings_with(
        {
            "DATABASE_URL": "postgres://coparcours:secret@pgbouncer.exemple.fr:6432/coparcours",
            "DATABASE_TRANSACTION_POOLING": "1",
        },
        tmp_path,
    )
    assert not values["DB_SERVER_SIDE_CURSORS"]


def test_redis_url_switches_the_queue_and_the_cache_to_redis(tmp_path):
    values = settings_with({"REDIS_URL": "redis://redis.exemple.fr:6380/2"}, tmp_path)
    assert values["HUEY_CLASS"] == "RedisHuey"
    assert values["HUEY_REDIS"] == {"host": "redis.exemple.fr", "port": 6380, "db": 2}
    assert values["CACHE_BACKEND"] == "RedisCache"
    assert values["CACHE_LOCATION"] == "redis://redis.exemple.fr:6380/2"
    assert values["FIGURES_CACHE_BACKEND"] == "RedisCache"
    # sessions read from the cache, written through to the database
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_huey_immediate_mode_is_a_setting(tmp_path):
    assert settings_with({"HUEY_IMMEDIATE": "1"}, tmp_path)["HUEY_IMMEDIATE"] is True


# --- Security headers, in process -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/compte/connexion/", "/api/v1/docs"])
def test_pages_send_the_security_headers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = {
        directive.strip().split(" ", 1)[0]: directive.strip().split(" ", 1)[1]
        for directive in response["Content-Security-Policy"].split(";")
        if directive.strip()
    }
    assert csp["frame-ancestors"] == "'none'"
    assert csp["default-src"] == "'self'"
    assert csp["script-src"] == "'self'"
    assert csp["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
