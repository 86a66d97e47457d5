"""The Django admin for accounts: create, deactivate, never delete."""

from __future__ import annotations

import pytest
from django.forms import MultiWidget
from django.test import Client

from coparcours.accounts.models import User

ADD = "/admin/accounts/user/add/"
NEW_PASSWORD = "Lanterne-Roubaix-2031"


@pytest.fixture
def admin_client_demo(demo, login_client) -> Client:
    return login_client(demo.users["admin"])


def change_url(user: User) -> str:
    return f"/admin/accounts/user/{user.pk}/change/"


def no_memberships() -> dict[str, str]:
    return {
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }


def posted_values(response) -> dict:
    """What the browser would send back for the admin change page, unchanged."""
    forms = [response.context["adminform"].form]
    data: dict = {}
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if field.field.disabled or value is None or value is False:
                continue
            if isinstance(field.field.widget, MultiWidget):
                for index, part in enumerate(field.field.widget.decompress(value)):
                    data[f"{field.html_name}_{index}"] = part or ""
            elif value is True:
                data[field.html_name] = "on"
            elif isinstance(value, list):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = value
    return data


def create(client: Client, **overrides):
    data = {
        "email": "Nouveau.Collegue@Exemple.fr",
        "first_name": "Lina",
        "last_name": "Martin",
        "usable_password": "true",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **no_memberships(),
        **overrides,
    }
    return client.post(ADD, data)


@pytest.mark.django_db
def test_creating_an_account_with_email_and_password(admin_client_demo):
    response = create(admin_client_demo)
    assert response.status_code == 302, response.content.decode()[-3000:]
    user = User.objects.get(email="nouveau.collegue@exemple.fr")
    assert (user.first_name, user.last_name) == ("Lina", "Martin")
    assert user.is_active and not user.is_staff
    login = Client().post(
        "/compte/connexion/", {"username": "nouveau.collegue@exemple.fr", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


@pytest.mark.django_db
def test_an_account_for_proconnect_only_has_no_password(admin_client_demo):
    response = create(admin_client_demo, usable_password="false", password1="", password2="")
    assert response.status_code == 302
    assert not User.objects.get(email="nouveau.collegue@exemple.fr").has_usable_password()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "COORDINATION@demo.coparcours.fr"}, "Un compte utilise déjà cette adresse"),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"password1": "Court-2031", "password2": "Court-2031"}, "au minimum 12 caractères"),
        ({"password2": "Autre-chose-2031"}, "Les deux mots de passe ne correspondent pas."),
        ({"password1": "", "password2": ""}, "Ce champ est obligatoire."),
    ],
)
def test_bad_input_creates_nothing_and_says_why_in_french(admin_client_demo, overrides, message):
    count = User.objects.count()
    response = create(admin_client_demo, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert User.objects.count() == count


@pytest.mark.django_db
def test_accounts_cannot_be_deleted_from_the_admin(admin_client_demo, demo):
    referent = demo.users["referente"]
    listing = admin_client_demo.get("/admin/accounts/user/").content.decode()
    assert "delete_selected" not in listing
    assert admin_client_demo.get(f"/admin/accounts/user/{referent.pk}/delete/").status_code == 403
    response = admin_client_demo.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [referent.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert User.objects.filter(pk=referent.pk).exists()
    change_page = admin_client_demo.get(change_url(referent)).content.decode()
    assert f"/admin/accounts/user/{referent.pk}/delete/" not in change_page


@pytest.mark.django_db
def test_deactivation_replaces_deletion(admin_client_demo, demo, login_client):
    referent = demo.users["referente"]
    session = login_client(referent)
    data = posted_values(admin_client_demo.get(change_url(referent)))
    data.pop("is_active")
    response = admin_client_demo.post(change_url(referent), data)
    assert response.status_code == 302, response.content.decode()[-3000:]

    referent.refresh_from_db()
    assert not referent.is_active
    assert referent.memberships.count() == 2
    assert session.get("/").status_code == 302  # the open session ends
    login = Client().post(
        "/compte/connexion/", {"username": referent.email, "password": "Demo-Coparcours-2026"}
    )
    assert "Adresse électronique ou mot de passe incorrect" in login.content.decode()


@pytest.mark.django_db
def test_memberships_inline_cannot_delete(admin_client_demo, demo):
    referent = demo.users["referente"]
    response = admin_client_demo.get(change_url(referent))
    body = response.content.decode()
    assert 'name="memberships-0-role"' in body
    assert 'name="memberships-0-DELETE"' not in body

    data = posted_values(response)
    data["memberships-0-DELETE"] = "on"
    data["memberships-1-DELETE"] = "on"
    assert admin_client_demo.post(change_url(referent), data).status_code == 302
    assert referent.memberships.count() == 2


@pytest.mark.django_db
def test_changing_an_address_keeps_it_unique_whatever_the_case(admin_client_demo, demo):
    referent = demo.users["referente"]
    data = posted_values(admin_client_demo.get(change_url(referent)))
    data["email"] = "Coordination@Demo.Coparcours.fr"
    response = admin_client_demo.post(change_url(referent), data)
    assert response.status_code == 200
    assert "Un compte utilise déjà cette adresse électronique." in response.content.decode()

    data["email"] = "Julie.Dumont@Exemple.fr"
    assert admin_client_demo.post(change_url(referent), data).status_code == 302
    referent.refresh_from_db()
    assert referent.email == "julie.dumont@exemple.fr"
