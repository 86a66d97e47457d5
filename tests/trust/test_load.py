"""The CI version of the soak: one minute of the locust scenario
(``bench/load/locustfile.py``: every role's main journeys, through the login form) against
gunicorn on this test's PostgreSQL database, with 0 failed requests and no worker's memory
growing beyond the bound of ``bench.load.run`` after the warm-up. The 30-minute run is
``make load DURATION=30m``."""

from __future__ import annotations

import socket
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from bench.load import run
from coparcours import settings as production
from coparcours.demo.nord import load_nord_demo

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="gunicorn's workers must reach the test's database: SQLite's test database "
    "lives in this process's memory",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.load
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mixed_journeys_under_load_have_no_error_and_stable_memory(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # gunicorn checks with these
    began = time.monotonic()
    load_nord_demo()
    print(f"demo loaded in {time.monotonic() - began:.0f} s")
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    host = database["HOST"]
    host = quote(host, safe="") if host.startswith("/") else host  # a socket's directory
    port = database["PORT"] or 5432
    url = f"postgres://{database['USER']}{password}@{host}:{port}/{database['NAME']}"
    connection.close()
    result, memory = run.soak(url, 60, users=10, workers=2, port=free_port(), sample_every=2)
    assert result.requests > 100, result
    assert result.failures == 0, result.failure_lines
    journeys = {
        "login",
        "/jeunes/?vue=all → detail",
        "/cej/ → detail",
        "/hebergement/disponibilites/",
        "/api/v1/youths?limit=50",
        "/finances/",
        "/pilotage/",
        "/pilotage/ → detail",
    }
    assert journeys - {row["Name"] for row in result.by_name} == set()
    print(f"workers' growth after the warm-up, MB: {memory.growth_by_worker}")
    assert memory.ok, memory.lines


def samples(*rss_by_second: tuple[int, dict[int, float]]):
    return [(float(second), workers) for second, workers in rss_by_second]


def test_memory_growing_after_the_warm_up_fails_the_run():
    steady = [(t, {1: 150.0 + min(t, 30), 2: 140.0}) for t in range(0, 101, 5)]
    assert run.memory_verdict(samples(*steady), warm_up=30).ok  # grew during warm-up only
    leaking = [(t, {1: 150.0 + t, 2: 140.0}) for t in range(0, 101, 5)]
    verdict = run.memory_verdict(samples(*leaking), warm_up=30, max_growth_mb=40)
    assert not verdict.ok and verdict.growth_by_worker[1] > 40
    # sampled during sign-ins (Argon2 holds 100 MiB while it checks) at the end of the run
    signing_in = [(t, {1: 150.0 + (100 if t >= 90 and t % 3 else 0), 2: 140.0}) for t in range(101)]
    assert run.memory_verdict(samples(*signing_in), warm_up=30).ok
    replaced = [*steady[:-1], (100, {1: 180.0, 3: 140.0})]
    assert "replaced" in run.memory_verdict(samples(*replaced), warm_up=30).lines[0]
