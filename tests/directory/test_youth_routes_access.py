"""The directory's routes on a youth's data follow the access policy: orientation and
referrals, on the page and through the API, for each membership and role."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coparcours.accounts.factories import UserFactory
from coparcours.directory.models import Referral, Service
from coparcours.organisations.factories import MembershipFactory
from coparcours.organisations.models import Role
from tests.access.declared import declared_api_status, declared_status
from tests.youths.conftest import _build_world, _member_client

CMP = "coparcours-demo-nord--cmp-lille-premier-rdv"


# --- Access matrix of the youth-data routes ---------------------------------------------------

ROUTES = [
    ("web orientation", "/annuaire/jeunes/{youth}/orientation/?thematique=sante"),
    ("web referral form", "/annuaire/jeunes/{youth}/orienter/{service}/"),
    ("api orientation", "/api/v1/directory/youths/{youth}/orientation"),
    ("api referrals", "/api/v1/directory/youths/{youth}/referrals"),
]
# (whose membership, role, expected status)
MATRIX = [
    ("owner", Role.REFERENT, 200),
    ("owner", Role.DIRECTOR, 200),
    ("partner", Role.COUNSELLOR, 200),
    ("unrelated", Role.REFERENT, 404),
    ("funder", Role.FUNDER_VIEWER, 404),
    ("owner", Role.QUALITY_DIRECTOR, 404),
    ("owner", Role.ADMINISTRATOR, 404),
]


@pytest.mark.parametrize(("whose", "role", "expected"), MATRIX)
@pytest.mark.parametrize(("name", "route"), ROUTES)
def test_youth_routes_follow_the_access_policy(db, name, route, whose, role, expected):
    from coparcours.directory.factories import load_nord_directory

    load_nord_directory({})
    world = _build_world()
    client, user = _member_client(getattr(world, whose), role)
    url = route.format(youth=world.youth.pk, service=Service.objects.get(di_id=CMP).pk)
    response = client.get(url)
    if url.startswith("/api/"):
        expected = declared_api_status(user, "GET", url, expected)
    else:
        expected = declared_status(user, url, expected)
    assert response.status_code == expected, (name, whose, role, response.status_code)
    if expected in (403, 404):
        assert "Secretnom" not in response.content.decode()


def test_partner_orientation_hides_what_the_consent_does_not_cover(db):
    from coparcours.directory.factories import load_nord_directory

    load_nord_directory({})
    world = _build_world()
    client, _ = _member_client(world.partner, Role.COUNSELLOR)
    data = client.get(f"/api/v1/directory/youths/{world.youth.pk}/orientation").json()
    assert data["hidden_categories"] == ["Coordonnées"]  # no consent to the mission locale


def test_unrelated_organisation_cannot_send_a_referral(db):
    from coparcours.directory.factories import load_nord_directory

    load_nord_directory({})
    world = _build_world()
    client, _ = _member_client(world.unrelated, Role.REFERENT)
    response = client.post(
        f"/api/v1/directory/youths/{world.youth.pk}/referrals",
        {
            "service_id": Service.objects.get(di_id=CMP).pk,
            "categories": ["mental_health"],
            "message": "…",
            "consented_categories": ["identity", "mental_health"],
            "consent_given_by": "youth",
            "consent_method": "signed_form",
        },
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()


def test_api_referral_round_trip_for_the_owner(db):
    from coparcours.directory.factories import load_nord_directory

    load_nord_directory({})
    world = _build_world()
    user = UserFactory()
    MembershipFactory(
        user=user,
        organisation=world.owner,
        role=Role.REFERENT,
        start_date=datetime.date(2020, 1, 1),
    )
    client = Client()
    client.force_login(user)
    payload = {
        "service_id": Service.objects.get(di_id=CMP).pk,
        "categories": ["mental_health"],
        "message": "Demande de premier rendez-vous.",
        "consented_categories": ["identity"],
        "consent_given_by": "youth",
        "consent_method": "signed_form",
    }
    url = f"/api/v1/directory/youths/{world.youth.pk}/referrals"
    refused = client.post(url, payload, content_type="application/json")
    assert refused.status_code == 422
    assert "n'a pas donné son accord" in refused.json()["detail"][0]["msg"]
    payload["consented_categories"] = ["identity", "mental_health"]
    created = client.post(url, payload, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "open"
    assert [r["id"] for r in client.get(url).json()] == [created.json()["id"]]
