"""Idle timeout: activity pushes the session's expiry back, at most once a minute."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from coparcours.accounts.middleware import LAST_ACTIVITY_KEY


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


@pytest.mark.django_db
def test_activity_extends_the_session_but_not_on_every_request(demo, login_client, settings):
    client = login_client(demo.users["referente"])
    client.get("/")
    first_expiry = _session(client).expire_date
    client.get("/")
    assert _session(client).expire_date == first_expiry  # no write within the resolution

    session = client.session
    session[LAST_ACTIVITY_KEY] -= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS + 1
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + datetime.timedelta(minutes=5)
    )
    client.get("/")
    extended = _session(client).expire_date
    assert extended > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


@pytest.mark.django_db
def test_an_idle_session_expires_and_asks_to_log_in_again(demo, login_client):
    client = login_client(demo.users["referente"])
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
