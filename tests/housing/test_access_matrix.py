"""The access matrix of housing data: every role × relationship to a hosted youth against
every web page and API route showing or changing a stay (docs/domain-rules.md,
"Professional secrecy: who sees a youth's data").

The youth is owned by member C, hosted by member B at B's site, the coordination works in
the lead member A, a mission locale co-accompanies (CEJ-JR partner), an association outside
the GME and the funder have no relation. A stay is B's housing data: B and the coordination
(legal basis: the placement) see it; the owner and the partner only with the youth's consent.
"""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import get_resolver

from coparcours.api import api
from coparcours.core.access import Relation
from coparcours.housing.models import Stay
from coparcours.housing.services import requests as request_services
from coparcours.housing.services import stays as stay_services
from coparcours.organisations.factories import OrganisationFactory
from coparcours.organisations.models import OrganisationKind, Role
from coparcours.youths.factories import AssignmentFactory, YouthFactory
from tests.access.declared import declared_api_status, declared_status
from tests.youths.test_access_matrix import EXPECTED_RIGHTS

from .conftest import TODAY, build_gme

RELATIONSHIPS = ["host", "coordination", "owner", "partner", "unrelated", "funder"]
ACCOMPANYING = {"host", "coordination", "owner", "partner"}
ROLES = list(EXPECTED_RIGHTS)


def rights(role: str) -> set[str]:
    return EXPECTED_RIGHTS[role].get("housing", set())


def may_read(role: str, relationship: str) -> bool:
    return relationship in {"host", "coordination"} and "r" in rights(role)


def may_write(role: str, relationship: str) -> bool:
    return relationship in {"host", "coordination"} and "w" in rights(role)


def refused(role: str, relationship: str) -> int:
    """403 when the organisation accompanies the youth (the record exists for it), else 404."""
    return 403 if relationship in ACCOMPANYING and EXPECTED_RIGHTS[role] else 404


def hosted_world():
    gme = build_gme()
    youth = YouthFactory(
        owner_organisation=gme.member_c,
        last_name="Hebergenom",
        sex="M",
        birth_date=TODAY() - datetime.timedelta(days=15 * 365),
    )
    request = gme.file(last_name="", first_names="")
    request.youth = youth
    request.save()
    proposal = request_services.propose(gme.coordinator, request, gme.site_b, TODAY())
    request_services.answer_proposal(gme.user(gme.member_b, Role.REFERENT), proposal, accept=True)
    stay = stay_services.admit(gme.coordinator, proposal, TODAY() - datetime.timedelta(days=10))
    partner = OrganisationFactory(name="Mission locale", kind=OrganisationKind.MISSION_LOCALE)
    AssignmentFactory(youth=youth, organisation=partner, relation=Relation.CEJ_PARTNER)
    organisations = {
        "host": gme.member_b,
        "coordination": gme.lead,
        "owner": gme.member_c,
        "partner": partner,
        "unrelated": gme.outsider,
        "funder": gme.funder,
    }
    return gme, stay, organisations


CASES = [(role, relationship) for role in ROLES for relationship in RELATIONSHIPS]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), CASES)
def test_stay_pages_and_api_follow_the_policy(role, relationship):
    gme, stay, organisations = hosted_world()
    client = Client()
    user = gme.user(organisations[relationship], role)
    client.force_login(user)
    readable = may_read(role, relationship)

    listing = client.get("/hebergement/sejours/")
    assert listing.status_code == declared_status(user, "/hebergement/sejours/", 200)
    assert ("HEBERGENOM" in listing.content.decode()) == readable
    api_list = client.get("/api/v1/housing/stays")
    if declared_api_status(user, "GET", "/api/v1/housing/stays", 200) == 403:
        assert api_list.status_code == 403 and not readable
    else:
        assert (stay.pk in [item["id"] for item in api_list.json()["items"]]) == readable
    expected = 200 if readable else refused(role, relationship)
    page = f"/hebergement/sejours/{stay.pk}/"
    assert client.get(page).status_code == declared_status(user, page, expected)
    unknown = f"/hebergement/sejours/{stay.pk + 1000}/"
    assert client.get(unknown).status_code == declared_status(user, unknown, 404)
    api = f"/api/v1/housing/stays/{stay.pk}"
    assert client.get(api).status_code == declared_api_status(user, "GET", api, expected)

    # writes: authorisation first, then the rules refuse an exit before the entry
    writer = may_write(role, relationship)
    before = (TODAY() - datetime.timedelta(days=30)).isoformat()
    expected = 200 if writer else (refused(role, relationship) if not readable else 403)
    for url in ("sortie", "majorite", "co-accompagnement"):
        page = f"/hebergement/sejours/{stay.pk}/{url}/"
        assert client.get(page).status_code == declared_status(user, page, expected), url
    page = f"/hebergement/sejours/{stay.pk}/sortie/"
    response = client.post(page, {"on": before, "reason": "family"})
    assert response.status_code == declared_status(user, page, expected)
    api = f"/api/v1/housing/stays/{stay.pk}/exit"
    response = client.post(api, {"on": before, "reason": "family"}, content_type="application/json")
    assert response.status_code == declared_api_status(
        user, "POST", api, 422 if writer else expected
    )

    transferrer = writer and relationship == "coordination" and role == Role.COORDINATOR
    transfer_status = 200 if transferrer else (403 if writer else expected)
    page = f"/hebergement/sejours/{stay.pk}/reorienter/"
    response = client.post(page, {"to_site": gme.site_c.pk, "on": before, "reason": "schooling"})
    assert response.status_code == declared_status(user, page, transfer_status)
    api = f"/api/v1/housing/stays/{stay.pk}/transfer"
    response = client.post(
        api,
        {"to_site_id": gme.site_c.pk, "on": before, "reason": "schooling"},
        content_type="application/json",
    )
    assert response.status_code == declared_api_status(
        user, "POST", api, 422 if transferrer else transfer_status
    )
    stay.refresh_from_db()
    assert stay.end_date is None and Stay.objects.count() == 1  # nothing saved


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), CASES)
def test_the_road_to_18_is_read_as_the_stay_and_written_by_the_host_only(role, relationship):
    """The timeline is read as the stay (housing); its schooling, permit file and interview
    are recorded by the hosting member's staff only, never by the coordination."""
    gme, stay, organisations = hosted_world()
    client = Client()
    user = gme.user(organisations[relationship], role)
    client.force_login(user)
    readable = may_read(role, relationship)
    page = f"/hebergement/sejours/{stay.pk}/vers-18-ans/"
    expected = 200 if readable else refused(role, relationship)
    assert client.get(page).status_code == declared_status(user, page, expected)
    host_writer = relationship == "host" and "w" in rights(role)
    expected = 200 if host_writer else (403 if readable else refused(role, relationship))
    for url in ("scolarite", "titre-de-sejour", "entretien-preparation"):
        page = f"/hebergement/sejours/{stay.pk}/{url}/"
        assert client.get(page).status_code == declared_status(user, page, expected), url


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), CASES)
def test_requests_are_seen_by_their_funder_and_the_coordination_only(role, relationship):
    gme, stay, organisations = hosted_world()
    other_funder_request = build_gme(suffix=" bis").file(reference="AUTRE-DEPARTEMENT")
    client = Client()
    user = gme.user(organisations[relationship], role)
    client.force_login(user)
    request = stay.request
    sees = (relationship == "funder" and role == Role.FUNDER_VIEWER) or (
        relationship == "coordination" and role == Role.COORDINATOR
    )
    listed = client.get("/api/v1/housing/requests")
    if declared_api_status(user, "GET", "/api/v1/housing/requests", 200) == 403:
        assert listed.status_code == 403 and not sees
    else:
        assert [item["id"] for item in listed.json()["items"]] == ([request.pk] if sees else [])
    api = f"/api/v1/housing/requests/{request.pk}"
    assert client.get(api).status_code == declared_api_status(
        user, "GET", api, 200 if sees else 404
    )
    detail = f"/hebergement/demandes/{request.pk}/"
    assert client.get(detail).status_code == declared_status(user, detail, 200 if sees else 404)
    other = f"/hebergement/demandes/{other_funder_request.pk}/"
    assert client.get(other).status_code == declared_status(user, other, 404)
    page = client.get("/hebergement/demandes/")
    lists = (role == Role.FUNDER_VIEWER and relationship == "funder") or (
        relationship == "coordination" and role == Role.COORDINATOR
    )
    assert page.status_code == (200 if lists else 403)
    assert ("ASE-1" in page.content.decode()) == sees
    assert "AUTRE-DEPARTEMENT" not in page.content.decode()
    # members' internal data stays with the coordination: the funder sees the status only
    detail = client.get(f"/hebergement/demandes/{request.pk}/").content.decode()
    assert (gme.site_b.name in detail) == (sees and relationship == "coordination")


#: Every housing web route and API operation must be exercised by the matrices above or
#: by the tests of the flow (tests/housing/test_views.py); sites, capacity, waves and loans
#: hold no youth data and are tested with their refusals in tests/housing/test_sites.py.
COVERED_ROUTES = {
    "dashboard",
    "requests",
    "request_create",
    "request",
    "request_propose",
    "request_wait",
    "request_cancel",
    "availability",
    "proposals",
    "proposal_accept",
    "proposal_decline",
    "proposal_admit",
    "stays",
    "stay",
    "stay_transfer",
    "stay_exit",
    "stay_after_18",
    "stay_co_accompany",
    "road18",  # and tests/housing/test_road18.py, tests/access/youth_bound.py
    "schooling_create",
    "permit_start",
    "permit_pieces",
    "permit_filing",
    "interview_create",
    "majorities",
    "stay_youth_link",  # tests/access/youth_bound.py, tests/space/test_gme_space.py
    "stay_youth_link_send",
    "stay_youth_access_close",
    "stay_youth_pin_reset",
    "occupancy",
    "sites",
    "site_create",
    "site",
    "site_edit",
    "capacity_create",
    "capacity_edit",
    "waves",
    "wave_create",
    "wave_edit",
    "loans",
    "loan_create",
    # serious incidents and runaways: tests/housing/test_incidents_access_matrix.py
    "stay_incident",
    "incidents",
    "incident_report",
    "incident",
    "incident_acknowledge",
    "incident_youth_add",
    "incident_measure",
    "incident_return",
    "incident_close",
}
COVERED_OPERATIONS = {
    ("GET", "/api/v1/housing/requests"),
    ("POST", "/api/v1/housing/requests"),
    ("GET", "/api/v1/housing/requests/{request_id}"),
    ("POST", "/api/v1/housing/requests/{request_id}/proposals"),
    ("POST", "/api/v1/housing/proposals/{proposal_id}/answer"),
    ("POST", "/api/v1/housing/proposals/{proposal_id}/admit"),
    ("GET", "/api/v1/housing/availability"),
    ("GET", "/api/v1/housing/stays"),
    ("GET", "/api/v1/housing/stays/{stay_id}"),
    ("POST", "/api/v1/housing/stays/{stay_id}/transfer"),
    ("POST", "/api/v1/housing/stays/{stay_id}/exit"),
    ("GET", "/api/v1/housing/occupancy"),
    # the notices of serious incidents: tests/housing/test_incidents_api.py
    ("GET", "/api/v1/housing/incidents"),
}


def test_every_housing_route_is_covered():
    namespace = get_resolver().namespace_dict["housing"][1]
    assert {p.name for p in namespace.url_patterns} == COVERED_ROUTES
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "Hébergement" in operation.get("tags", [])
    }
    assert operations == COVERED_OPERATIONS
