"""Sessions and accounts, on real pages of the Nord demo.

What already exists and is tested in tests/accounts (idle timeout, django-axes lockout,
two-factor enforcement, password rules) is proven here once more end to end: the
security headers on a logged-in youth record, HSTS as production sends it, the lockout
written to the audit log with the address, and the idle session ending.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Youth

LOGIN = "/compte/connexion/"


def csp_directives(response) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().split(" ", 1)[1]
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.django_db
def test_a_youth_record_is_sent_with_the_security_headers(demo, login_client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000  # as in production (settings.PRODUCTION)
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = login_client(demo.users["referente"])
    youth = Youth.objects.filter(owner_organisation=demo.asrl).first()
    response = client.get(f"/jeunes/{youth.pk}/", secure=True)
    assert response.status_code == 200
    assert youth.last_name.upper() in response.content.decode().upper()
    csp = csp_directives(response)
    assert csp["frame-ancestors"] == "'none'"
    assert csp["script-src"] == "'self'" and "unsafe-inline" not in csp.get("style-src", "")
    assert csp["object-src"] == "'none'" and csp["form-action"] == "'self'"
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_the_lockout_is_written_to_the_audit_log_and_holds_against_the_right_password(demo):
    email = demo.users["conseiller"].email
    client = Client(REMOTE_ADDR="192.0.2.10")
    for _ in range(4):
        assert client.post(LOGIN, {"username": email, "password": "faux"}).status_code == 200
    assert client.post(LOGIN, {"username": email, "password": "faux"}).status_code == 429
    locked = AuditLog.objects.get(event=AuditEvent.LOCKED_OUT, user_email=email)
    assert locked.ip_address == "192.0.2.10" and locked.path == LOGIN
    assert AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED, user_email=email).count() == 5
    response = client.post(LOGIN, {"username": email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert not AuditLog.objects.filter(event=AuditEvent.LOGIN, user_email=email).exists()


@pytest.mark.django_db
def test_an_idle_session_no_longer_opens_the_caseload(demo, login_client, settings):
    client = login_client(demo.users["referente"])
    assert client.get("/jeunes/").status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - datetime.timedelta(seconds=1))
    session.save()
    response = client.get("/jeunes/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/connexion/")
    assert settings.SESSION_COOKIE_AGE == 2 * 60 * 60  # two hours without activity


@pytest.mark.django_db
def test_two_factor_is_enforced_for_the_listed_roles(demo, login_client, settings):
    settings.TWO_FACTOR_REQUIRED = True
    client = login_client(demo.users["coordination"])  # coordinator: a listed role
    response = client.get("/jeunes/")
    assert response.status_code == 302 and "double-authentification" in response["Location"]
    assert login_client(demo.users["referente"]).get("/jeunes/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["julie", "motdepasse", "12345678901234"])
def test_weak_passwords_are_refused_in_french(demo, password):
    """The rules the reset form applies (tests/accounts/test_password_reset.py)."""
    with pytest.raises(ValidationError) as refused:
        validate_password(password, demo.users["referente"])
    assert any(
        word in message
        for message in refused.value.messages
        for word in ("trop court", "trop courant", "entièrement numérique")
    )
