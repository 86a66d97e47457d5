"""The organisations API under /api/v1/: authentication, filters, pagination, French errors."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client

from coparcours.accounts.models import APIToken
from coparcours.organisations.factories import (
    ConsortiumFactory,
    ConsortiumMemberFactory,
    OrganisationFactory,
    valid_siret,
)
from coparcours.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(demo, login_client) -> Client:
    """A session-authenticated client (any active account may read the directory)."""
    return login_client(demo.users["conseiller"])


def names(payload: dict) -> list[str]:
    return [item["name"] for item in payload["items"]]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/organisations",
        "/api/v1/organisations/1",
        "/api/v1/consortia",
        "/api/v1/consortia/1",
    ],
)
def test_the_api_needs_authentication(demo, client, path):
    response = client.get(path)
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentification requise : jeton personnel valide ou session ouverte."
    }
    assert client.get(path, HTTP_AUTHORIZATION="Bearer pas-un-jeton").status_code == 401


def test_a_personal_token_authenticates(demo, client):
    _token, raw = APIToken.issue(demo.users["direction"], "Tableur")
    response = client.get("/api/v1/organisations", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.json()["count"] == 7


def test_organisations_are_listed_by_name_with_their_fields(api, demo):
    payload = api.get("/api/v1/organisations").json()
    assert payload["count"] == 7
    assert names(payload) == sorted(names(payload))
    alefpa = next(item for item in payload["items"] if item["name"] == "Alefpa")
    assert alefpa == {
        "id": demo.alefpa.pk,
        "kind": "association",
        "name": "Alefpa",
        "siret": demo.alefpa.siret,
        "address": "199-201 rue Colbert",
        "postal_code": "59000",
        "city": "Lille",
        "departement_code": "59",
    }


def test_organisations_filter_by_kind_and_departement(api, demo):
    OrganisationFactory(
        name="Mission locale de Lens",
        kind=OrganisationKind.MISSION_LOCALE,
        departement_code="62",
        siret=valid_siret(620),
    )
    assert names(api.get("/api/v1/organisations", {"kind": "mission_locale"}).json()) == [
        "Mission locale de Lens",
        "Mission locale de Lille",
    ]
    assert names(api.get("/api/v1/organisations", {"departement": "62"}).json()) == [
        "Mission locale de Lens"
    ]
    both = api.get("/api/v1/organisations", {"kind": "mission_locale", "departement": "59"})
    assert names(both.json()) == ["Mission locale de Lille"]
    assert api.get("/api/v1/organisations", {"departement": "2A"}).json() == {
        "items": [],
        "count": 0,
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "club"}, "Valeur inconnue : valeurs possibles association, mission_locale"),
        ({"departement": "20"}, "Code de département invalide (exemples : 59, 2A, 974)."),
        ({"limit": "0"}, "La valeur doit être supérieure ou égale à 1."),
        ({"offset": "-1"}, "La valeur doit être supérieure ou égale à 0."),
        ({"limit": "beaucoup"}, "Un nombre entier est attendu."),
    ],
)
def test_bad_parameters_get_a_french_message(api, params, message):
    response = api.get("/api/v1/organisations", params)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["msg"].startswith(message)


def test_organisations_are_paginated(api):
    first = api.get("/api/v1/organisations", {"limit": 3}).json()
    rest = api.get("/api/v1/organisations", {"limit": 3, "offset": 3}).json()
    everything = api.get("/api/v1/organisations").json()
    assert first["count"] == rest["count"] == 7
    assert names(first) + names(rest) == names(everything)[:6]


def test_a_page_holds_at_most_200_items(api):
    Organisation.objects.bulk_create(
        Organisation(
            kind=OrganisationKind.PARTNER, name=f"Partenaire {n:03d}", departement_code="59"
        )
        for n in range(250)
    )
    payload = api.get("/api/v1/organisations", {"limit": 1000}).json()
    assert (len(payload["items"]), payload["count"]) == (200, 257)


def test_one_organisation_and_a_french_404(api, demo):
    response = api.get(f"/api/v1/organisations/{demo.mission_locale.pk}")
    assert response.status_code == 200
    assert response.json()["name"] == "Mission locale de Lille"
    missing = api.get("/api/v1/organisations/999999")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Organisation introuvable."}
    assert api.get("/api/v1/organisations/abc").status_code == 422


def test_consortia_with_members_and_lead(api, demo):
    payload = api.get("/api/v1/consortia").json()
    assert payload["count"] == 2
    assert names(payload) == ["CEJ-JR Lille", "GME MNA Nord"]
    gme = payload["items"][1]
    assert gme["kind"] == "gme"
    assert (gme["funder_id"], gme["funder"]) == (demo.departement.pk, "Département du Nord")
    renewal = datetime.date.fromisoformat(gme["renewal_date"])  # every 3 years from 2018
    assert renewal > datetime.date.today() and (renewal.month, renewal.day) == (11, 15)
    assert (renewal.year - 2018) % 3 == 0
    assert gme["lead"] == {
        "organisation_id": demo.alefpa.pk,
        "organisation": "Alefpa",
        "is_lead": True,
        "joined_on": "2018-11-15",
        "left_on": None,
    }
    assert [m["organisation"] for m in gme["members"]] == ["Alefpa", "ASRL", "Temps de vie"]
    assert [m["is_lead"] for m in gme["members"]] == [True, False, False]


def test_consortia_filter_by_kind(api):
    assert names(api.get("/api/v1/consortia", {"kind": "cej_jr"}).json()) == ["CEJ-JR Lille"]
    assert api.get("/api/v1/consortia", {"kind": "autre"}).status_code == 422


def test_one_consortium_and_a_french_404(api, demo):
    response = api.get(f"/api/v1/consortia/{demo.cej_jr.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["lead"]["organisation"] == "Rebond Jeunes Lille (porteur CEJ-JR)"
    assert [m["organisation"] for m in body["members"]] == [
        "Rebond Jeunes Lille (porteur CEJ-JR)",
        "Mission locale de Lille",
    ]
    missing = api.get("/api/v1/consortia/999999")
    assert (missing.status_code, missing.json()) == (
        404,
        {"detail": "Groupement ou partenariat introuvable."},
    )


def test_a_consortium_without_lead_says_so(api):
    consortium = ConsortiumFactory(name="Groupement en constitution")
    ConsortiumMemberFactory(consortium=consortium)
    assert api.get(f"/api/v1/consortia/{consortium.pk}").json()["lead"] is None


def test_consortia_list_makes_a_bounded_number_of_queries(api, demo, django_assert_max_num_queries):
    # Session, user, memberships, second-factor devices, then count, page, members, and
    # the session save in a savepoint: ten, however many consortia there are.
    api.get("/api/v1/consortia")  # warm up
    with django_assert_max_num_queries(10) as few:
        api.get("/api/v1/consortia")
    for n in range(30):
        consortium = ConsortiumFactory(name=f"Groupement {n:02d}")
        ConsortiumMemberFactory(consortium=consortium, is_lead=True)
        ConsortiumMemberFactory.create_batch(3, consortium=consortium)
    with django_assert_max_num_queries(10) as many:
        payload = api.get("/api/v1/consortia").json()
    assert payload["count"] == 32
    assert all(item["lead"] and len(item["members"]) == 4 for item in payload["items"][2:])
    assert len(many) == len(few)


def test_docs_render_with_locally_served_assets(api):
    response = api.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    external = re.findall(r"""(?:src|href)=["']?(?:https?:)?//[^"'\s>]+""", page)
    assert external == []
    schema = api.get("/api/v1/openapi.json").json()
    assert {"/api/v1/organisations", "/api/v1/consortia"} <= set(schema["paths"])
