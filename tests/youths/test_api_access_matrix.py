"""The access matrix again, through the REST API: same policy, same answers."""

from __future__ import annotations

import pytest

from coparcours.api import api
from coparcours.core.access import Category
from coparcours.organisations.models import Role
from tests.access.declared import declared_api_status

from .test_access_matrix import (
    CONSENTED,
    EXPECTED_RIGHTS,
    MATRIX,
    RELATIONSHIPS,
    W,
    accompanies,
    may,
    sees_record,
)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship", "consent"), MATRIX)
def test_api_reads_follow_the_policy(role, relationship, consent, build_world, member_client):
    world = build_world(consent, CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth
    if declared_api_status(user, "GET", "/api/v1/youths", 200) == 403:
        # without youth_records, every youth route refuses before any lookup, whatever id
        for path in ("", f"/{youth.pk}", f"/{youth.pk}/documents", "/987654/consents"):
            answer = client.get(f"/api/v1/youths{path}")
            assert answer.status_code == 403 and answer.json()["code"] == "capability_refused"
        assert not sees_record(role, relationship)
        return
    listed = client.get("/api/v1/youths").json()["items"]
    assert (youth.pk in [item["id"] for item in listed]) == sees_record(role, relationship)
    detail = client.get(f"/api/v1/youths/{youth.pk}")
    documents = client.get(f"/api/v1/youths/{youth.pk}/documents")
    consents = client.get(f"/api/v1/youths/{youth.pk}/consents")
    assignments = client.get(f"/api/v1/youths/{youth.pk}/assignments")
    if not sees_record(role, relationship):
        for response in (detail, documents, consents, assignments):
            assert response.status_code == 404
        for document in youth.documents.all():
            url = f"/api/v1/youths/{youth.pk}/documents/{document.pk}/file"
            assert client.get(url).status_code == 404
        return
    categories = {c["category"]: c for c in detail.json()["categories"]}
    visible_documents = {d["category"] for d in documents.json()}
    for category in Category.values:
        expected = may(role, relationship, consent, category, "r")
        titles = [n["title"] for n in categories[category]["notes"]]
        assert (f"NOTE-{category}" in titles) == expected, category
        assert (category in visible_documents) == expected, category
        document = youth.documents.get(category=category)
        url = f"/api/v1/youths/{youth.pk}/documents/{document.pk}/file"
        assert client.get(url).status_code == (200 if expected else 403), category
    assert consents.status_code == 200 and assignments.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "relationship"),
    [(role, relationship) for role in Role.values for relationship in RELATIONSHIPS],
)
def test_api_writes_follow_the_policy(role, relationship, build_world, member_client):
    world = build_world("granted", CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth
    writer = accompanies(relationship) and W in EXPECTED_RIGHTS[role].get("identity", set())
    consent = youth.consents.get()
    response = client.post(f"/api/v1/youths/{youth.pk}/consents/{consent.pk}/withdraw")
    assert (response.status_code == 200) == writer, response.content
    response = client.post(
        f"/api/v1/youths/{youth.pk}/assignments",
        {"organisation_id": world.unrelated.pk, "role": "Santé", "start_date": "2025-01-01"},
        content_type="application/json",
    )
    owner_writer = writer and relationship == "owner"
    assert (response.status_code == 201) == owner_writer, response.content
    response = client.post(
        f"/api/v1/youths/{youth.pk}/consents",
        {
            "recipient_organisation_id": world.partner.pk,
            "categories": ["contact"],
            "purpose": "Suivi",
            "witness": "Témoin",
            "given_by": "youth",
        },
        content_type="application/json",
    )
    if not sees_record(role, relationship):
        url = f"/api/v1/youths/{youth.pk}/consents"
        assert response.status_code == declared_api_status(user, "POST", url, 404)
    elif not writer:
        assert response.status_code == 403
    elif relationship == "partner":
        assert response.status_code == 422  # a partner's own data needs no consent
    else:
        assert response.status_code == 201, response.content


#: Every API route of youth data must be exercised above.
COVERED_OPERATIONS = {
    ("GET", "/api/v1/youths"),
    ("POST", "/api/v1/youths"),
    ("GET", "/api/v1/youths/{youth_id}"),
    ("GET", "/api/v1/youths/{youth_id}/consents"),
    ("POST", "/api/v1/youths/{youth_id}/consents"),
    ("POST", "/api/v1/youths/{youth_id}/consents/{consent_id}/withdraw"),
    ("GET", "/api/v1/youths/{youth_id}/assignments"),
    ("POST", "/api/v1/youths/{youth_id}/assignments"),
    ("GET", "/api/v1/youths/{youth_id}/documents"),
    ("GET", "/api/v1/youths/{youth_id}/documents/{document_id}/file"),
    # data-protection rights: tests/youths/test_privacy_matrix.py
    ("GET", "/api/v1/youths/{youth_id}/export"),
    ("GET", "/api/v1/youths/{youth_id}/erasure-requests"),
    ("POST", "/api/v1/youths/{youth_id}/erasure-requests"),
    ("POST", "/api/v1/youths/{youth_id}/erasure-requests/{request_id}/decision"),
    ("GET", "/api/v1/youths/{youth_id}/access-log"),  # test_access_log_page: test_the_api_*
}


def test_every_youth_api_route_is_in_the_matrix():
    schema = api.get_openapi_schema()
    operations = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "Jeunes" in operation.get("tags", [])
    }
    assert operations - COVERED_OPERATIONS == set(), "add the new youth API routes to the matrix"


@pytest.mark.django_db
def test_api_create_warns_of_duplicates_then_creates(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    payload = {"last_name": "SECRETNOM", "first_names": "prénomsecret", "birth_date": "2005-03-01"}
    response = client.post("/api/v1/youths", payload, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["visible_duplicates"] == [world.youth.pk]
    response = client.post(
        "/api/v1/youths",
        {**payload, "confirm_not_duplicate": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    future = client.post(
        "/api/v1/youths",
        {"last_name": "Autre", "first_names": "Personne", "birth_date": "2999-01-01"},
        content_type="application/json",
    )
    assert future.status_code == 422 and "futur" in future.content.decode()
