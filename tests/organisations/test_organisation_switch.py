"""Working for one of one's organisations: the header select and POST /organisation/changer/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.accounts.factories import UserFactory
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role

pytestmark = pytest.mark.django_db

REFUSED = "Ce rattachement n&#x27;existe pas ou n&#x27;est plus actif."


def membership_of(user, organisation):
    return user.memberships.get(organisation=organisation)


def test_user_with_two_memberships_sees_the_select_and_switches(demo, login_client):
    julie = demo.users["referente"]
    client = login_client(julie)
    page = client.get("/").content.decode()
    assert '<select id="membership-select" name="membership">' in page
    asrl = membership_of(julie, demo.asrl)
    porteur = membership_of(julie, demo.porteur)
    assert f'<option value="{asrl.pk}" selected>' in page  # first by name: ASRL
    assert f'<option value="{porteur.pk}">' in page
    assert "Référent·e de parcours — ASRL" in page

    response = client.post(
        "/organisation/changer/", {"membership": str(porteur.pk), "next": "/"}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    page = response.content.decode()
    assert "Vous travaillez maintenant pour Rebond Jeunes Lille (porteur CEJ-JR)" in page
    assert f'<option value="{porteur.pk}" selected>' in page
    assert "Référent·e de parcours — Rebond Jeunes Lille (porteur CEJ-JR)" in page
    assert response.context["current_organisation"] == demo.porteur
    assert client.session["current_membership_id"] == porteur.pk
    # The choice lasts for the session: the next page still works for the porteur.
    assert client.get("/").context["current_organisation"] == demo.porteur


def test_user_with_one_membership_has_no_select(demo, login_client):
    page = login_client(demo.users["conseiller"]).get("/").content.decode()
    assert "membership-select" not in page
    assert "Mission locale de Lille — Conseiller·ère (mission locale)" in page


def test_an_ended_membership_cannot_be_chosen(demo, login_client):
    julie = demo.users["referente"]
    ended = MembershipFactory(
        user=julie,
        organisation=demo.alefpa,
        role=Role.REFERENT,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    client = login_client(julie)
    assert f'value="{ended.pk}"' not in client.get("/").content.decode()
    response = client.post("/organisation/changer/", {"membership": str(ended.pk)}, follow=True)
    assert REFUSED in response.content.decode()
    assert response.context["current_organisation"] == demo.asrl
    assert "current_membership_id" not in client.session


def test_a_future_membership_cannot_be_chosen_yet(demo, login_client):
    julie = demo.users["referente"]
    future = MembershipFactory(
        user=julie,
        organisation=demo.alefpa,
        role=Role.REFERENT,
        start_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    client = login_client(julie)
    response = client.post("/organisation/changer/", {"membership": str(future.pk)}, follow=True)
    assert REFUSED in response.content.decode()
    assert response.context["current_organisation"] == demo.asrl


@pytest.mark.parametrize("value", ["someone_else", "not-a-number", ""])
def test_someone_elses_or_a_malformed_membership_is_refused(demo, login_client, value):
    julie = demo.users["referente"]
    if value == "someone_else":
        value = str(demo.users["conseiller"].memberships.get().pk)
    client = login_client(julie)
    response = client.post("/organisation/changer/", {"membership": value}, follow=True)
    assert REFUSED in response.content.decode()
    assert response.context["current_organisation"] == demo.asrl
    assert "current_membership_id" not in client.session


def test_switch_never_redirects_to_another_site(demo, login_client):
    julie = demo.users["referente"]
    porteur = membership_of(julie, demo.porteur)
    response = login_client(julie).post(
        "/organisation/changer/",
        {"membership": str(porteur.pk), "next": "https://exemple.invalid/piege"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_switch_needs_post_and_login(demo, login_client, client):
    assert login_client(demo.users["referente"]).get("/organisation/changer/").status_code == 405
    response = client.post("/organisation/changer/", {"membership": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")


def test_a_membership_ended_since_the_choice_falls_back_to_an_active_one(demo, login_client):
    julie = demo.users["referente"]
    porteur = membership_of(julie, demo.porteur)
    client = login_client(julie)
    client.post("/organisation/changer/", {"membership": str(porteur.pk)})
    porteur.end_date = timezone.localdate()
    porteur.save()
    response = client.get("/")
    assert response.context["current_organisation"] == demo.asrl
    assert "membership-select" not in response.content.decode()


def test_user_without_active_membership_sees_the_no_membership_page(demo, login_client):
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=demo.asrl,
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2021, 1, 1),
    )
    response = login_client(user).get("/")
    assert response.status_code == 200
    assert response.templates[0].name == "organisations/home/no_membership.html"
    page = response.content.decode()
    assert "Aucun rattachement actif" in page
    assert "membership-select" not in page
