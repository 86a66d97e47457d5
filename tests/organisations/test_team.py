"""An organisation's team without the administration: a coordinator or a director invites
by e-mail with a role; the link sets the password and starts the membership, once; the
second factor follows where the role requires it; a membership ends, confirmed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.test import Client

from coparcours.accounts.factories import DEFAULT_PASSWORD
from coparcours.accounts.models import User
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Invitation, Membership, Role

pytestmark = pytest.mark.django_db

PASSWORD = "Un-Mot-De-Passe-Solide-2026"


def _invite(client, **fields):
    data = {
        "first_name": "Awa",
        "last_name": "Ndiaye",
        "email": "awa.ndiaye@exemple.fr",
        "role": Role.REFERENT,
        **fields,
    }
    return client.post("/organisation/equipe/", data)


def _link(message) -> str:
    return re.search(r"http://\S+/organisation/invitation/(\S+)/", message.body).group(0)


def test_an_invited_person_sets_a_password_and_joins(demo, login_client):
    director = demo.users["direction"]
    client = login_client(director)

    response = _invite(client)

    assert response.status_code == 302
    invitation = Invitation.objects.get(email="awa.ndiaye@exemple.fr")
    assert (invitation.organisation, invitation.role, invitation.invited_by) == (
        demo.temps_de_vie,
        Role.REFERENT,
        director,
    )
    assert mail.outbox[-1].to == ["awa.ndiaye@exemple.fr"]
    link = _link(mail.outbox[-1])
    assert invitation.token_hash not in mail.outbox[-1].body  # only the hash is kept
    assert AuditLog.objects.filter(
        event=AuditEvent.ADMIN, reason__startswith="Invitation envoyée"
    ).exists()

    newcomer = Client()
    page = newcomer.get(link)
    assert page.status_code == 200 and "Rejoindre Temps de vie" in page.content.decode()
    weak = newcomer.post(link, {"password1": "court", "password2": "court"})
    assert weak.status_code == 400 and not User.objects.filter(email=invitation.email).exists()
    accepted = newcomer.post(link, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)

    person = User.objects.get(email="awa.ndiaye@exemple.fr")
    assert person.check_password(PASSWORD) and person.get_full_name() == "Awa Ndiaye"
    membership = Membership.objects.active().get(user=person)
    assert (membership.organisation, membership.role) == (demo.temps_de_vie, Role.REFERENT)
    assert membership.start_date == datetime.date.today()
    assert (
        "Bienvenue : vous êtes référent·e de parcours à Temps de vie." in accepted.content.decode()
    )
    assert newcomer.get(link).status_code == 404  # once


def test_the_second_factor_follows_where_the_role_requires_it(demo, login_client, settings):
    client = login_client(demo.users["direction"])
    _invite(client, role=Role.COORDINATOR, email="nouveau.coordinateur@exemple.fr")
    settings.TWO_FACTOR_REQUIRED = True  # coordinators must verify a second factor
    newcomer = Client()

    response = newcomer.post(
        _link(mail.outbox[-1]), {"password1": PASSWORD, "password2": PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0].startswith("/compte/double-authentification/")


def test_refusals_of_an_invitation(demo, login_client):
    client = login_client(demo.users["direction"])

    myself = _invite(client, email=demo.users["direction"].email)
    admin_role = _invite(client, role=Role.ADMINISTRATOR)
    colleague = _invite(client, email="referente@demo.coparcours.fr", role=Role.DIRECTOR)
    _invite(client)
    twice = _invite(client)

    assert "On ne s&#x27;invite pas soi-même" in myself.content.decode()
    assert admin_role.status_code == 400  # not among the roles offered
    assert colleague.status_code == 302  # another role of someone with an account: fine
    assert "déjà invitée à ce rôle" in twice.content.decode()
    assert Invitation.objects.filter(email="awa.ndiaye@exemple.fr").count() == 1


def test_a_resent_link_replaces_the_first_and_a_cancelled_one_stops(demo, login_client):
    client = login_client(demo.users["direction"])
    _invite(client)
    invitation = Invitation.objects.get()
    first = _link(mail.outbox[-1])

    client.post(f"/organisation/equipe/invitations/{invitation.pk}/renvoyer/")
    second = _link(mail.outbox[-1])
    assert Client().get(first).status_code == 404 and Client().get(second).status_code == 200

    confirm = client.get(f"/organisation/equipe/invitations/{invitation.pk}/annuler/")
    assert "Le lien envoyé ne fonctionnera plus." in confirm.content.decode()
    client.post(f"/organisation/equipe/invitations/{invitation.pk}/annuler/")
    assert Client().get(second).status_code == 404


def test_an_expired_link_no_longer_opens(demo, login_client):
    client = login_client(demo.users["direction"])
    _invite(client)
    Invitation.objects.update(expires_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))

    response = Client().get(_link(mail.outbox[-1]))

    assert response.status_code == 404
    assert "n'est plus valable" in response.content.decode().replace("&#x27;", "'")


def test_a_person_with_an_account_signs_in_then_accepts(demo, login_client):
    client = login_client(demo.users["coordination"])
    referente = demo.users["referente"]
    _invite(client, email=referente.email, role=Role.REFERENT)
    link = _link(mail.outbox[-1])

    anonymous = Client().get(link).content.decode()
    assert "connectez-vous" in anonymous
    signed_in = login_client(referente)
    signed_in.post(link)

    assert Membership.objects.active().filter(user=referente, organisation=demo.alefpa).exists()
    referente.refresh_from_db()
    assert referente.check_password(DEFAULT_PASSWORD)  # the account's password is untouched


def test_a_membership_ends_confirmed_and_access_stops(demo, login_client):
    director = demo.users["direction"]
    client = login_client(director)
    colleague = Membership.objects.create(
        user=User.objects.create_user(email="educ@exemple.fr", password=PASSWORD),
        organisation=demo.temps_de_vie,
        role=Role.REFERENT,
        start_date=datetime.date(2025, 1, 1),
    )

    confirm = client.get(f"/organisation/equipe/rattachements/{colleague.pk}/fin/")
    assert "n&#x27;a plus accès" in confirm.content.decode()
    client.post(f"/organisation/equipe/rattachements/{colleague.pk}/fin/")

    colleague.refresh_from_db()
    assert colleague.end_date == datetime.date.today()
    assert not Membership.objects.active().filter(pk=colleague.pk).exists()
    own = Membership.objects.get(user=director, organisation=demo.temps_de_vie)
    client.post(f"/organisation/equipe/rattachements/{own.pk}/fin/")
    own.refresh_from_db()
    assert own.end_date is None  # one never ends one's own


@pytest.mark.parametrize("login", ["referente", "conseiller", "finances", "departement", "dpo"])
def test_other_roles_have_no_team_page(demo, login_client, login):
    client = login_client(demo.users[login])

    assert client.get("/organisation/equipe/").status_code == 403
    assert 'href="/organisation/equipe/"' not in client.get("/").content.decode()
