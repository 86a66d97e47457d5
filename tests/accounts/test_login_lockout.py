"""Login by e-mail, logout, and the django-axes lockout after repeated failures."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.accounts.templatetags.durations import duree
from coparcours.core.models import AuditEvent, AuditLog

LOGIN = "/compte/connexion/"
ADMIN_LOGIN = "/admin/login/"
WRONG = "pas-le-bon-mot-de-passe"


def post_login(client: Client, email: str, password: str, path: str = LOGIN):
    return client.post(path, {"username": email, "password": password})


def fail(client: Client, email: str, times: int, path: str = LOGIN) -> None:
    for _ in range(times):
        response = post_login(client, email, WRONG, path)
        assert response.status_code == 200, "refused before the limit"


def events(kind: AuditEvent) -> list[str]:
    return list(AuditLog.objects.filter(event=kind).values_list("user_email", flat=True))


@pytest.mark.django_db
def test_login_ignores_the_case_and_spaces_of_the_address(coordinator):
    client = Client()
    response = post_login(client, "  Coordination@Demo.Coparcours.FR ", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == coordinator
    assert events(AuditEvent.LOGIN) == [coordinator.email]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("coordination@demo.coparcours.fr", WRONG, "ou mot de passe incorrect"),
        ("personne@demo.coparcours.fr", DEFAULT_PASSWORD, "ou mot de passe incorrect"),
        ("pas-une-adresse", DEFAULT_PASSWORD, "Saisissez une adresse électronique valide"),
        ("", DEFAULT_PASSWORD, "Saisissez votre adresse électronique."),
        ("coordination@demo.coparcours.fr", "", "Saisissez votre mot de passe."),
    ],
)
def test_bad_login_stays_on_the_page_with_a_french_message(demo, email, password, message):
    client = Client()
    response = post_login(client, email, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_inactive_account_cannot_log_in(coordinator):
    coordinator.is_active = False
    coordinator.save()
    response = post_login(Client(), coordinator.email, DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect" in response.content.decode()


@pytest.mark.django_db
def test_logout_is_a_post_and_says_so_in_french(coordinator, login_client):
    client = login_client(coordinator)
    assert client.get("/compte/deconnexion/").status_code == 405
    assert client.get("/").wsgi_request.user.is_authenticated

    response = client.post("/compte/deconnexion/", follow=True)
    assert response.redirect_chain[-1][0] == "/compte/connexion/"
    assert "Vous êtes déconnecté·e." in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert events(AuditEvent.LOGOUT) == [coordinator.email]


@pytest.mark.django_db
def test_fifth_wrong_password_locks_the_account_with_a_french_page(coordinator):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    fail(client, coordinator.email, 4)

    response = post_login(client, coordinator.email, WRONG)
    assert response.status_code == 429  # axes' AXES_HTTP_RESPONSE_CODE (default)
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "Compte temporairement bloqué" in body
    assert "pendant 30 minutes" in body

    # Even the right password is refused now, with the same page.
    response = post_login(client, coordinator.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_failures_and_lockout_are_written_to_the_audit_log(coordinator):
    client = Client()
    fail(client, coordinator.email, 4)
    post_login(client, coordinator.email, WRONG)

    assert events(AuditEvent.LOGIN_FAILED) == [coordinator.email] * 5
    assert events(AuditEvent.LOCKED_OUT) == [coordinator.email]
    line = AuditLog.objects.get(event=AuditEvent.LOCKED_OUT)
    assert line.ip_address == "127.0.0.1"
    assert line.path == LOGIN
    assert events(AuditEvent.LOGIN) == []


@pytest.mark.django_db
def test_changing_the_case_of_the_address_does_not_buy_more_tries(coordinator):
    client = Client()
    variants = ["coordination@demo.coparcours.fr", "COORDINATION@demo.coparcours.fr"]
    for n in range(4):
        post_login(client, variants[n % 2], WRONG)
    response = post_login(client, "Coordination@Demo.Coparcours.fr", WRONG)
    assert response.status_code == 429
    assert AccessAttempt.objects.get().username == coordinator.email


@pytest.mark.django_db
def test_lockout_also_guards_the_django_admin_login(demo):
    admin_user = demo.users["admin"]
    client = Client()
    fail(client, admin_user.email, 4, ADMIN_LOGIN)
    response = post_login(client, admin_user.email, WRONG, ADMIN_LOGIN)
    assert response.status_code == 429
    assert "Compte temporairement bloqué" in response.content.decode()

    response = post_login(client, admin_user.email, DEFAULT_PASSWORD, ADMIN_LOGIN)
    assert response.status_code == 429
    # The lockout covers the whole account, not only the page where it happened.
    assert post_login(client, admin_user.email, DEFAULT_PASSWORD).status_code == 429


@pytest.mark.django_db
def test_a_successful_login_resets_the_failure_count(coordinator):
    client = Client()
    fail(client, coordinator.email, 4)
    assert post_login(client, coordinator.email.upper(), DEFAULT_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()

    other = Client()
    fail(other, coordinator.email, 4)
    assert post_login(other, coordinator.email, DEFAULT_PASSWORD).status_code == 302


@pytest.mark.django_db
def test_lockout_is_per_account_and_address(coordinator, referent):
    client = Client()
    fail(client, coordinator.email, 4)
    assert post_login(client, coordinator.email, WRONG).status_code == 429
    # Another account from the same address still logs in.
    assert post_login(Client(), referent.email, DEFAULT_PASSWORD).status_code == 302
    # The same account from another address too.
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert post_login(elsewhere, coordinator.email, DEFAULT_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (datetime.timedelta(minutes=30), "30 minutes"),
        (datetime.timedelta(hours=1), "1 heure"),
        (datetime.timedelta(minutes=90), "1 heure 30 minutes"),
        (datetime.timedelta(hours=2, minutes=1), "2 heures 1 minute"),
        (datetime.timedelta(seconds=10), "1 minute"),
    ],
)
def test_lockout_duration_is_written_in_french(delta, text):
    assert duree(delta) == text
