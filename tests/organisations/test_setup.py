"""Setting up a consortium without the administration: its lead creates it, adds members
(known or new organisations), invites each new one's first person, and records a
member's departure, confirmed; nobody else changes it."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from coparcours.organisations.models import (
    Consortium,
    ConsortiumMember,
    Invitation,
    Organisation,
    Role,
)

pytestmark = pytest.mark.django_db


def _create(client, **fields):
    return client.post(
        "/organisation/groupements/",
        {
            "kind": "gme",
            "name": "GME MNA Métropole",
            "new_funder": "Département du Pas-de-Calais",
            "new_funder_departement": "62",
            "start_date": "2027-01-01",
            **fields,
        },
    )


def test_a_lead_creates_a_gme_adds_members_and_invites_their_first_person(demo, login_client):
    client = login_client(demo.users["direction"])  # Temps de vie's director

    created = _create(client)

    consortium = Consortium.objects.get(name="GME MNA Métropole")
    assert (
        created.status_code == 302
        and created["Location"] == f"/organisation/groupements/{consortium.pk}/"
    )
    assert consortium.funder.name == "Département du Pas-de-Calais"
    assert (consortium.funder.kind, consortium.funder.departement_code) == ("departement", "62")
    assert consortium.lead.organisation == demo.temps_de_vie
    known = client.post(
        f"/organisation/groupements/{consortium.pk}/",
        {"organisation": demo.asrl.pk, "joined_on": "2027-01-01"},
    )
    new = client.post(
        f"/organisation/groupements/{consortium.pk}/",
        {
            "name": "La Vie Active",
            "kind": "association",
            "city": "Arras",
            "departement_code": "62",
            "joined_on": "2027-02-01",
        },
    )
    assert known.status_code == new.status_code == 302
    members = {m.organisation.name: m for m in consortium.members.select_related("organisation")}
    assert set(members) == {"Temps de vie", "ASRL", "La Vie Active"}
    assert members["La Vie Active"].joined_on == datetime.date(2027, 2, 1)

    page = client.get(f"/organisation/groupements/{consortium.pk}/").content.decode()
    newcomer = Organisation.objects.get(name="La Vie Active")
    invite_url = (
        f"/organisation/groupements/{consortium.pk}/organisations/{newcomer.pk}/premiere-personne/"
    )
    assert invite_url in page
    assert f"/organisations/{demo.asrl.pk}/premiere-personne/" not in page  # ASRL has its team
    assert "Personne ne représente encore Département du Pas-de-Calais" in page
    client.post(
        invite_url,
        {
            "first_name": "Lina",
            "last_name": "Bouzid",
            "email": "lina@lavieactive.fr",
            "role": Role.DIRECTOR,
        },
    )
    invitation = Invitation.objects.get(email="lina@lavieactive.fr")
    assert (invitation.organisation, invitation.role) == (newcomer, Role.DIRECTOR)
    assert mail.outbox[-1].to == ["lina@lavieactive.fr"]
    refused = client.get(
        f"/organisation/groupements/{consortium.pk}/organisations/{demo.asrl.pk}/premiere-personne/"
    )
    assert refused.status_code == 403


def test_wrong_funders_and_members_are_refused(demo, login_client):
    client = login_client(demo.users["direction"])

    wrong_funder = _create(client, kind="gme", new_funder="", funder=demo.dreets.pk)
    assert "Le financeur d&#x27;un Groupement momentané" in wrong_funder.content.decode()
    _create(client)
    consortium = Consortium.objects.get(name="GME MNA Métropole")
    mission = client.post(
        f"/organisation/groupements/{consortium.pk}/",
        {"organisation": demo.mission_locale.pk, "joined_on": "2027-01-01"},
    )
    early = client.post(
        f"/organisation/groupements/{consortium.pk}/",
        {"organisation": demo.asrl.pk, "joined_on": "2026-01-01"},
    )

    assert mission.status_code == 400  # a mission locale is not offered for a GME
    assert "ne précède pas le début" in early.content.decode()
    assert consortium.members.count() == 1


def test_a_member_leaves_on_a_date_confirmed_and_the_lead_stays(demo, login_client):
    client = login_client(demo.users["coordination"])  # the Nord GME's lead
    gme = demo.gme
    asrl = ConsortiumMember.objects.get(consortium=gme, organisation=demo.asrl)
    lead = ConsortiumMember.objects.get(consortium=gme, is_lead=True)
    url = f"/organisation/groupements/{gme.pk}/membres/{asrl.pk}/sortie/"

    confirm = client.get(url)
    assert "ses personnes n&#x27;agissent plus dans le groupement" in confirm.content.decode()
    client.post(url, {"left_on": "2027-06-30"})

    asrl.refresh_from_db()
    assert asrl.left_on == datetime.date(2027, 6, 30)
    assert (
        client.get(f"/organisation/groupements/{gme.pk}/membres/{lead.pk}/sortie/").status_code
        == 404
    )


def test_only_the_lead_changes_a_consortium(demo, login_client):
    member_director = login_client(demo.users["direction"])  # Temps de vie: member, not lead
    gme = demo.gme

    assert member_director.get(f"/organisation/groupements/{gme.pk}/").status_code == 404
    assert (
        login_client(demo.users["referente"]).get("/organisation/groupements/").status_code == 403
    )
