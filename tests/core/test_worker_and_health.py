"""The huey worker's heartbeat and the /sante/ liveness page."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from huey.contrib.djhuey import HUEY

from coparcours.core.tasks import HEARTBEAT_KEY, worker_heartbeat

pytestmark = pytest.mark.django_db

TASK_NAME = "coparcours.core.tasks.worker_heartbeat"


def test_the_worker_finds_the_heartbeat_among_its_periodic_tasks():
    autodiscover_modules("tasks")  # what `run_huey` does at start-up
    task_class = HUEY._registry.string_to_task(TASK_NAME)
    assert task_class in HUEY._registry._periodic_tasks


@pytest.mark.parametrize(
    ("minute", "due"), [(0, True), (5, True), (55, True), (3, False), (59, False)]
)
def test_the_heartbeat_runs_every_five_minutes(minute, due):
    timestamp = datetime.datetime(2026, 3, 2, 9, minute)  # huey's clock is naive UTC
    due_tasks = HUEY.read_periodic(timestamp)
    assert any(isinstance(task, worker_heartbeat.task_class) for task in due_tasks) is due


def test_the_heartbeat_sets_the_beat_that_sante_reports(client):
    assert client.get("/sante/").json()["worker_last_beat"] is None
    before = timezone.now()
    beat = worker_heartbeat.call_local()
    assert before <= datetime.datetime.fromisoformat(beat) <= timezone.now()
    assert cache.get(HEARTBEAT_KEY) == beat
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok", "worker_last_beat": beat}


def test_the_heartbeat_runs_through_huey_in_immediate_mode(client):
    immediate = HUEY.immediate
    HUEY.immediate = True  # the task runs in-process on enqueue, as with HUEY_IMMEDIATE=1
    try:
        worker_heartbeat()  # huey keeps no result for periodic tasks: read the cache
    finally:
        HUEY.immediate = immediate
    beat = cache.get(HEARTBEAT_KEY)
    assert beat is not None
    assert client.get("/sante/").json()["worker_last_beat"] == beat


def test_sante_needs_no_login_and_says_ok(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["database"] == "ok"


def test_sante_answers_503_when_the_database_fails(client):
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with mock.patch("coparcours.core.views.connection", broken):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json()["database"] == "error"
    assert response.json()["cache"] == "ok"


def test_sante_answers_503_when_the_cache_fails(client):
    with mock.patch("coparcours.core.views.cache.get", side_effect=ConnectionError("redis down")):
        response = client.get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "error", "worker_last_beat": None}
