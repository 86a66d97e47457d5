"""The account's own menu ("Mon compte": password, two-factor, API tokens, sign-out) apart
from the work menu, and changing one's password from it."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "Lanterne-Roubaix-2031"
pytestmark = pytest.mark.django_db


def _menus(page: str) -> tuple[str, str]:
    account = re.search(r'<details class="menu account-menu">.*?</details>', page, re.S)
    work = re.search(r'<nav class="main-nav".*?</nav>', page, re.S)
    assert account and work
    return account.group(0), work.group(0)


def test_the_account_items_sit_in_their_own_menu_not_in_the_work_menu(demo, login_client):
    page = login_client(demo.users["referente"]).get("/").content.decode()
    account, work = _menus(page)
    for item in ("Changer de mot de passe", "Double authentification", "Jetons d'API"):
        assert item in account and item not in work
    assert "Se déconnecter" in account
    assert "Jeunes" in work and "Jeunes" not in account
    assert "Administration" not in account  # an administrator's item only


def test_a_person_changes_their_password_with_the_current_one(demo, login_client):
    user = demo.users["referente"]
    client = login_client(user)
    wrong = client.post(
        "/compte/mot-de-passe/modifier/",
        {
            "old_password": "pas-le-bon",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert wrong.status_code == 200
    assert "Votre ancien mot de passe est incorrect" in wrong.content.decode()
    changed = client.post(
        "/compte/mot-de-passe/modifier/",
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
        follow=True,
    )
    assert "Votre mot de passe est changé." in changed.content.decode()
    assert client.get("/").status_code == 200  # the session stays open
    assert (
        Client()
        .post("/compte/connexion/", {"username": user.email, "password": NEW_PASSWORD})
        .status_code
        == 302
    )


def test_the_password_page_asks_to_sign_in_first():
    response = Client().get("/compte/mot-de-passe/modifier/")
    assert response.status_code == 302 and "/compte/connexion/" in response["Location"]
