"""TOTP two-factor authentication (django-otp), required by role when switched on."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.core.models import AuditEvent, AuditLog

VERIFY = "/compte/double-authentification/"
SETUP = "/compte/double-authentification/activer/"


@pytest.fixture
def two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_REQUIRED_ROLES = ["administrator", "coordinator"]


def log_in(user, path: str = "/compte/connexion/") -> Client:
    client = Client()
    response = client.post(path, {"username": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def enrol(user, totp_code) -> TOTPDevice:
    """Enrol an authenticator through the pages, as the user would, and log out."""
    client = log_in(user)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user)
    response = client.post(SETUP, {"token": totp_code(device), "next": "/"})
    assert response.status_code == 302
    client.post("/compte/deconnexion/")
    device.refresh_from_db()
    assert device.confirmed
    return device


def assert_passes_csp(response) -> None:
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\ssrc=)", body), "inline script"
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body), "style attribute"
    assert not re.search(r"\son[a-z]+=", body), "inline event handler"


@pytest.mark.django_db
def test_coordinator_enrols_then_reaches_home(coordinator, two_factor_on, totp_code):
    client = log_in(coordinator)

    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2F"
    response = client.get(response["Location"])
    assert response["Location"] == f"{SETUP}?next=%2F"

    response = client.get(response["Location"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "Activer la double authentification" in body
    assert '<svg width="' in body
    assert "<title>Code QR à scanner</title>" in body
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', body).group(1)
    assert len(secret) == 32  # 160-bit key in base 32
    assert f"secret={secret}" in device.config_url
    assert_passes_csp(response)

    response = client.post(SETUP, {"token": "000000", "next": "/"})
    if totp_code(device) == "000000":  # one chance in a million
        pytest.skip("the real code happens to be 000000")
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    device.throttle_reset()  # as if the user waited the throttling delay

    response = client.post(SETUP, {"token": totp_code(device), "next": "/"}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert response.status_code == 200
    assert "La double authentification est activée" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed


@pytest.mark.django_db
def test_next_login_asks_for_the_code(coordinator, two_factor_on, totp_code):
    device = enrol(coordinator, totp_code)
    client = log_in(coordinator)
    response = client.get("/compte/jetons/?a=1&b=2")
    assert response["Location"] == f"{VERIFY}?next=%2Fcompte%2Fjetons%2F%3Fa%3D1%26b%3D2"

    response = client.get(response["Location"])
    assert "Saisissez le code à 6 chiffres" in response.content.decode()
    assert_passes_csp(response)

    response = client.post(VERIFY, {"token": "12345a", "next": "/"})
    assert "Le code compte exactement 6 chiffres." in response.content.decode()
    response = client.post(VERIFY, {"token": "", "next": "/"})
    assert "Saisissez le code affiché par votre application." in response.content.decode()

    wrong = f"{(int(totp_code(device, 1)) + 1) % 1_000_000:06d}"
    response = client.post(VERIFY, {"token": wrong, "next": "/"})
    assert response.status_code == 200
    assert "Code incorrect ou expiré" in response.content.decode()
    assert client.get("/").status_code == 302

    # Right after a wrong code, django-otp makes the user wait (throttling).
    response = client.post(VERIFY, {"token": totp_code(device, 1), "next": "/"})
    assert "Trop de codes incorrects" in response.content.decode()
    refused = AuditLog.objects.filter(event=AuditEvent.LOGIN_FAILED, user=coordinator)
    assert refused.count() == 4
    assert refused.first().reason == "Code de double authentification refusé."

    device.throttle_reset()  # as if the user waited
    response = client.post(VERIFY, {"token": totp_code(device, 1), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(coordinator, two_factor_on, totp_code):
    device = enrol(coordinator, totp_code)
    first = log_in(coordinator)
    code = totp_code(device, 1)
    assert first.post(VERIFY, {"token": code, "next": "/"}).status_code == 302

    second = log_in(coordinator)
    response = second.post(VERIFY, {"token": code, "next": "/"})
    assert "Code incorrect ou expiré" in response.content.decode()


@pytest.mark.django_db
def test_next_is_kept_only_on_this_site(coordinator, two_factor_on, totp_code):
    device = enrol(coordinator, totp_code)
    client = log_in(coordinator)
    response = client.post(
        VERIFY, {"token": totp_code(device, 1), "next": "https://ailleurs.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_django_admin_is_blocked_until_verified(demo, two_factor_on, totp_code):
    admin_user = demo.users["admin"]  # a superuser
    device = enrol(admin_user, totp_code)
    client = log_in(admin_user, "/admin/login/")
    for path in ("/admin/", "/admin/accounts/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{VERIFY}?next=")

    response = client.post(VERIFY, {"token": totp_code(device, 1), "next": "/admin/"})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_a_password_alone_cannot_replace_the_authenticator(coordinator, two_factor_on, totp_code):
    device = enrol(coordinator, totp_code)
    client = log_in(coordinator)
    response = client.get(SETUP)
    assert response["Location"] == f"{VERIFY}?next=%2F"
    response = client.post(SETUP, {"token": "123456"})
    assert response["Location"].startswith(VERIFY)
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [device]

    # Once verified, the user may move to a new phone: the old device goes.
    client.post(VERIFY, {"token": totp_code(device, 1), "next": "/"})
    response = client.get(SETUP)
    assert "remplacera l'ancienne" in response.content.decode()
    new = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    assert client.post(SETUP, {"token": totp_code(new)}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [new]


@pytest.mark.django_db
def test_unverified_session_cannot_issue_tokens_nor_use_the_api(
    coordinator, two_factor_on, totp_code
):
    device = enrol(coordinator, totp_code)
    client = log_in(coordinator)
    response = client.get("/compte/jetons/")
    assert response["Location"].startswith(VERIFY)
    response = client.post("/compte/jetons/", {"name": "Script"})
    assert response["Location"].startswith(VERIFY)
    assert not coordinator.api_tokens.exists()
    assert client.get("/api/v1/me").status_code == 401

    client.post(VERIFY, {"token": totp_code(device, 1), "next": "/"})
    assert client.get("/compte/jetons/").status_code == 200
    assert client.get("/api/v1/me").status_code == 200


@pytest.mark.django_db
def test_nobody_is_asked_when_the_setting_is_off(demo, settings):
    settings.TWO_FACTOR_REQUIRED = False
    for login in ("coordination", "admin"):
        client = log_in(demo.users[login])
        assert client.get("/").status_code == 200
        assert client.get("/compte/jetons/").status_code == 200
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_roles_not_listed_are_not_asked(referent, demo, two_factor_on):
    for user in (referent, demo.users["finances"], demo.users["departement"]):
        assert log_in(user).get("/").status_code == 200


@pytest.mark.django_db
def test_listed_roles_come_from_the_setting(coordinator, referent, settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_REQUIRED_ROLES = ["referent"]
    assert log_in(referent).get("/").status_code == 302
    assert log_in(coordinator).get("/").status_code == 200


@pytest.mark.django_db
def test_an_ended_membership_no_longer_requires_it(coordinator, two_factor_on):
    membership = coordinator.memberships.get()
    membership.end_date = membership.start_date.replace(year=membership.start_date.year + 1)
    membership.save()
    assert log_in(coordinator).get("/").status_code == 200


@pytest.mark.django_db
def test_whoever_enrols_of_their_own_accord_is_asked_next_time(referent, totp_code, settings):
    settings.TWO_FACTOR_REQUIRED = False
    device = enrol(referent, totp_code)
    client = log_in(referent)
    assert client.get("/").status_code == 302
    client.post(VERIFY, {"token": totp_code(device, 1), "next": "/"})
    assert client.get("/").status_code == 200
