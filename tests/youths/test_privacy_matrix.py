"""The data-protection routes in the access matrix: every role × relationship (× consent
state for the export's content), web and API, asserting allow or deny.

Who may do what is re-stated here from docs/decisions.md (section 12),
independently of ``coparcours.core.access.DUTY_ROLES``.
"""

from __future__ import annotations

import datetime
import json

import pytest

from coparcours.core.access import Category
from coparcours.core.audit import record
from coparcours.core.models import AuditEvent
from coparcours.organisations.models import Role
from coparcours.youths.models.erasure import ErasureStatus
from tests.access.declared import declared_api_status, declared_status

from .test_access_matrix import (
    CONSENTED,
    MATRIX,
    RELATIONSHIPS,
    accompanies,
    reads_access_log,
    sees_record,
)

CASEWORKERS = {Role.REFERENT, Role.COORDINATOR, Role.DIRECTOR}
DPO = Role.DATA_PROTECTION_OFFICER
ROLE_RELATIONSHIPS = [
    (role, relationship) for role in Role.values for relationship in RELATIONSHIPS
]


def exports(role: str, relationship: str) -> bool:
    """The owner's referents and direction; the DPO of any accompanying organisation."""
    return (relationship == "owner" and role in CASEWORKERS) or (
        accompanies(relationship) and role == DPO
    )


def knows(role: str, relationship: str) -> bool:
    """Whether the user knows the youth (their record or a duty on it): a refusal explains
    itself (403) to them only; anyone else gets 404, as for an unknown id."""
    return sees_record(role, relationship) or reads_access_log(role, relationship)


def refusals(role: str, relationship: str) -> set[int]:
    """The web answers of a refused export: a role without the data-protection pages may
    also be refused by role (403) before any youth is looked up, whatever the id."""
    refused = 403 if knows(role, relationship) else 404
    return {refused} if role in CASEWORKERS | {DPO} else {refused, 403}


def exported(relationship: str, consent: str, category: str) -> bool:
    """Whether the owner's data of a category is in an allowed export."""
    if relationship == "owner" or category == "identity":
        return True
    return consent == "granted" and category in CONSENTED


def records_erasure_requests(role: str, relationship: str) -> bool:
    return relationship == "owner" and role in CASEWORKERS | {DPO}


def decides_erasure(role: str, relationship: str) -> bool:
    return relationship == "owner" and role in {Role.DIRECTOR, DPO}


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship", "consent"), MATRIX)
def test_export_follows_the_policy(role, relationship, consent, build_world, member_client):
    world = build_world(consent, CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth
    web = client.get(f"/jeunes/{youth.pk}/export.json")
    url = f"/api/v1/youths/{youth.pk}/export"
    api = client.get(url)
    if not exports(role, relationship):
        assert web.status_code in refusals(role, relationship)
        expected = 403 if knows(role, relationship) else 404
        assert api.status_code == declared_api_status(user, "GET", url, expected)
        assert "Prenomsecret" not in web.content.decode() + api.content.decode()
        return
    assert (web.status_code, api.status_code) == (200, 200)
    for export in (json.loads(web.content), api.json()):
        notes = {n["title"] for c in export["categories"] for n in c["notes"]}
        documents = {d["title"] for c in export["categories"] for d in c["documents"]}
        for category in Category.values:
            expected = exported(relationship, consent, category)
            assert (f"NOTE-{category}" in notes) == expected, category
            assert (f"DOC-{category}" in documents) == expected, category
        assert ("0600000001" in json.dumps(export)) == exported(relationship, consent, "contact")
        assert ("ORD-SECRET-42" in json.dumps(export)) == (relationship == "owner")


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), ROLE_RELATIONSHIPS)
def test_privacy_pages_and_pdf_follow_the_policy(role, relationship, build_world, member_client):
    world = build_world("granted", CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth
    url = f"/jeunes/{youth.pk}/protection-des-donnees/"
    page = client.get(url)
    expected = 200 if reads_access_log(role, relationship) else 404
    assert page.status_code == declared_status(user, url, expected)
    if page.status_code == 200:
        html = page.content.decode()
        assert (f"/jeunes/{youth.pk}/export.pdf" in html) == exports(role, relationship)
        assert (f"/jeunes/{youth.pk}/effacement/demander/" in html) == records_erasure_requests(
            role, relationship
        )
    url = f"/jeunes/{youth.pk}/export.pdf"
    pdf = client.get(url)
    if exports(role, relationship):
        assert pdf.status_code == 200
    elif declared_status(user, url, 200) == 403:  # a role without data-protection duties
        assert pdf.status_code == 403
    else:
        assert pdf.status_code in refusals(role, relationship)
    url = f"/api/v1/youths/{youth.pk}/erasure-requests"
    listed = client.get(url)
    expected = 200 if reads_access_log(role, relationship) else 404
    assert listed.status_code == declared_api_status(user, "GET", url, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), ROLE_RELATIONSHIPS)
def test_erasure_workflow_follows_the_policy(role, relationship, build_world, member_client):
    world = build_world()
    client, _ = member_client(getattr(world, relationship), role)
    owner_referent, _ = member_client(world.owner, Role.REFERENT)
    youth = world.youth
    today = datetime.date.today().isoformat()
    data = {"received_on": today, "requester": "youth", "reason": "Je veux être oublié."}

    web = client.post(f"/jeunes/{youth.pk}/effacement/demander/", data)
    assert (youth.erasure_requests.count() == 1) == records_erasure_requests(role, relationship)
    if not records_erasure_requests(role, relationship):
        assert web.status_code in {403, 404}
        api = client.post(
            f"/api/v1/youths/{youth.pk}/erasure-requests", data, content_type="application/json"
        )
        assert api.status_code in {403, 404}
        owner_referent.post(f"/jeunes/{youth.pk}/effacement/demander/", data)
    erasure = youth.erasure_requests.get()

    refusal = {"decision": "refuse", "motive": "Obligation légale de conservation."}
    web = client.post(f"/jeunes/{youth.pk}/effacement/{erasure.pk}/decider/", refusal)
    erasure.refresh_from_db()
    assert (erasure.status == ErasureStatus.REFUSED) == decides_erasure(role, relationship)
    if not decides_erasure(role, relationship):
        assert web.status_code in {403, 404}
        api = client.post(
            f"/api/v1/youths/{youth.pk}/erasure-requests/{erasure.pk}/decision",
            {"approve": True, "motive": "Accordé"},
            content_type="application/json",
        )
        assert api.status_code in {403, 404}
        erasure.refresh_from_db()
        assert erasure.status == ErasureStatus.PENDING
        youth.refresh_from_db()
        assert youth.anonymised_at is None

    listing = client.get("/jeunes/effacements/")
    holds_request_role = role in CASEWORKERS | {DPO}
    assert listing.status_code == (200 if holds_request_role else 403)
    assert (f"Dossier n° {youth.pk}" in listing.content.decode()) == (
        records_erasure_requests(role, relationship) and not decides_erasure(role, relationship)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship"), ROLE_RELATIONSHIPS)
def test_audit_search_follows_the_policy(role, relationship, build_world, member_client):
    world = build_world()
    _, referent = member_client(world.owner, Role.REFERENT)
    record(referent, AuditEvent.READ, organisation=world.owner, youth_id=world.youth.pk)
    client, _ = member_client(getattr(world, relationship), role)
    response = client.get("/jeunes/journal-organisation/")
    searches = role in {Role.ADMINISTRATOR, DPO}
    assert response.status_code == (200 if searches else 403)
    assert (referent.email in response.content.decode()) == (searches and relationship == "owner")
