"""The audit log records the person's address, also behind a trusted reverse proxy."""

import pytest
from django.test import RequestFactory

from coparcours.core.middleware import client_address


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.9, 203.0.113.7", "203.0.113.7"),  # the left part came from the client
        (2, "198.51.100.9, 203.0.113.7", "198.51.100.9"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


@pytest.mark.django_db
def test_audit_line_of_a_login_behind_the_proxy(settings, client):
    from coparcours.accounts.factories import DEFAULT_PASSWORD, UserFactory
    from coparcours.core.models import AuditEvent, AuditLog

    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    client.post(
        "/compte/connexion/",
        {"username": user.email, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    line = AuditLog.objects.filter(event=AuditEvent.LOGIN, user=user).get()
    assert line.ip_address == "203.0.113.7"
