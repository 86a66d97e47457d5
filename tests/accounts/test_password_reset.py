"""Password reset by e-mail, and the password rules (min. 12 characters, in French)."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "Lanterne-Roubaix-2031"


def request_link(client: Client, email: str):
    return client.post("/compte/mot-de-passe/oublie/", {"email": email})


def link_in(message) -> str:
    match = re.search(r"http://testserver(/compte/mot-de-passe/nouveau/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client: Client, link: str, password1: str, password2: str | None = None):
    """Open the e-mailed link (Django swaps the token for a session) and submit the form."""
    response = client.get(link)
    assert response.status_code == 302
    form_url = response["Location"]
    return form_url, client.post(
        form_url, {"new_password1": password1, "new_password2": password2 or password1}
    )


def can_log_in(email: str, password: str) -> bool:
    response = Client().post("/compte/connexion/", {"username": email, "password": password})
    return response.status_code == 302


@pytest.mark.django_db
def test_full_reset_flow_in_french(coordinator):
    client = Client()
    response = request_link(client, "Coordination@Demo.Coparcours.fr")
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/envoye/"
    assert "Vérifiez votre messagerie" in client.get(response["Location"]).content.decode()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [coordinator.email]
    assert message.subject == "Coparcours : choisir un nouveau mot de passe"
    assert "Pour choisir un nouveau mot de passe, ouvrez ce lien" in message.body

    _form_url, response = choose_password(client, link_in(message), NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/change/"
    assert "Mot de passe enregistré" in client.get(response["Location"]).content.decode()

    assert can_log_in(coordinator.email, NEW_PASSWORD)
    assert not can_log_in(coordinator.email, DEFAULT_PASSWORD)


@pytest.mark.django_db
def test_the_link_serves_only_once(coordinator):
    client = Client()
    request_link(client, coordinator.email)
    link = link_in(mail.outbox[0])
    choose_password(client, link, NEW_PASSWORD)

    again = Client()
    response = again.get(link)
    assert response.status_code == 200
    assert "Ce lien n'est plus valable" in response.content.decode()
    assert "new_password1" not in response.content.decode()


@pytest.mark.django_db
def test_unknown_address_sends_nothing_and_reveals_nothing(demo):
    response = request_link(Client(), "inconnu@exemple.fr")
    assert response.status_code == 302
    assert response["Location"] == "/compte/mot-de-passe/envoye/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_invalid_address_is_refused_in_french(demo):
    response = request_link(Client(), "pas-une-adresse")
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("Court-2031", None, "Il doit contenir au minimum 12 caractères."),
        ("q1w2e3r4t5y6", None, "Ce mot de passe est trop courant."),
        ("837261948302", None, "Ce mot de passe est entièrement numérique."),
        ("coordination-demo", None, "Le mot de passe est trop semblable au champ"),
        (NEW_PASSWORD, "Lanterne-Roubaix-2032", "Les deux mots de passe ne correspondent pas."),
    ],
)
def test_password_rules_are_enforced_in_french(coordinator, password1, password2, message):
    client = Client()
    request_link(client, coordinator.email)
    form_url, response = choose_password(client, link_in(mail.outbox[0]), password1, password2)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert can_log_in(coordinator.email, DEFAULT_PASSWORD)
    # The link still works after a refused attempt.
    assert client.get(form_url).status_code == 200


@pytest.mark.django_db
def test_setting_a_new_password_lifts_the_lockout(coordinator):
    locked = Client()
    for _ in range(5):
        locked.post("/compte/connexion/", {"username": coordinator.email, "password": "faux"})
    assert AccessAttempt.objects.exists()
    assert not can_log_in(coordinator.email, DEFAULT_PASSWORD)

    request_link(locked, coordinator.email)
    choose_password(locked, link_in(mail.outbox[0]), NEW_PASSWORD)
    assert not AccessAttempt.objects.exists()
    assert can_log_in(coordinator.email, NEW_PASSWORD)
