"""The access matrix: every role × relationship × consent state × category, against every
route that shows or changes a youth's data (docs/domain-rules.md, "Professional secrecy:
who sees a youth's data").

The expected rights below restate the documented table on purpose, independently of
``coparcours.core.access.ROLE_RIGHTS``, so that a change to the policy makes this fail.
"""

from __future__ import annotations

import re

import pytest
from django.urls import get_resolver

from coparcours.core.access import Category
from coparcours.organisations.models import Role
from tests.access.declared import declared_status

#: What the partner organisation may see when the consent is in force.
CONSENTED = ["contact", "housing", "health", "admin_documents"]

R, W = "r", "w"
ALL = {c: {R, W} for c in Category.values}
EXPECTED_RIGHTS = {
    Role.REFERENT: ALL,
    Role.COORDINATOR: ALL,
    Role.DIRECTOR: ALL,
    Role.COUNSELLOR: {
        "identity": {R, W},
        "contact": {R, W},
        "housing": {R},
        "education_employment": {R, W},
        "admin_documents": {R, W},
        "notes": {R, W},
    },
    Role.FINANCE_OFFICER: {"identity": {R}, "housing": {R}},
    Role.QUALITY_DIRECTOR: {},
    Role.FUNDER_VIEWER: {},
    Role.ADMINISTRATOR: {},
    Role.DATA_PROTECTION_OFFICER: {},  # no casework; data-protection duties only
}
RELATIONSHIPS = ["owner", "partner", "unrelated", "funder"]
CONSENT_STATES = ["none", "granted", "expired", "withdrawn"]


def accompanies(relationship: str) -> bool:
    return relationship in {"owner", "partner"}


def sees_record(role: str, relationship: str) -> bool:
    return accompanies(relationship) and bool(EXPECTED_RIGHTS[role])


def reads_access_log(role: str, relationship: str) -> bool:
    """The record's access log: referents, direction and the data-protection officer of an
    accompanying organisation (docs/decisions.md, section 12)."""
    return accompanies(relationship) and role in {
        Role.REFERENT,
        Role.COORDINATOR,
        Role.DIRECTOR,
        Role.DATA_PROTECTION_OFFICER,
    }


def may(role: str, relationship: str, consent: str, category: str, action: str) -> bool:
    """May this user read/write the OWNER's data of this category?"""
    if not accompanies(relationship) or action not in EXPECTED_RIGHTS[role].get(category, set()):
        return False
    if relationship == "owner" or category == "identity":
        return True
    return consent == "granted" and category in CONSENTED


#: The consent names the partner: its state changes the partner's answers only, so the other
#: relationships are asked with the consent in force (the case that could leak).
MATRIX = [
    (role, relationship, consent)
    for role in Role.values
    for relationship in RELATIONSHIPS
    for consent in (CONSENT_STATES if relationship == "partner" else ["granted"])
]


def section_visibility(html: str) -> dict[str, bool]:
    return {
        category: visible == "true"
        for category, visible in re.findall(r'data-category="(\w+)" data-visible="(\w+)"', html)
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "relationship", "consent"), MATRIX)
def test_record_page_and_documents_follow_the_policy(
    role, relationship, consent, build_world, member_client
):
    world = build_world(consent, CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth

    listing = (
        client.get("/jeunes/?vue=shared").content.decode() + client.get("/jeunes/").content.decode()
    )
    assert ("Secretnom".upper() in listing) == sees_record(role, relationship)

    response = client.get(f"/jeunes/{youth.pk}/")
    if not sees_record(role, relationship):
        # not found; or, for a role without the youth records feature, refused for any id
        assert response.status_code == declared_status(user, f"/jeunes/{youth.pk}/", 404)
        assert "Prenomsecret" not in response.content.decode()
        for category in Category.values:
            document = youth.documents.get(category=category)
            url = f"/jeunes/{youth.pk}/documents/{document.pk}/"
            assert client.get(url).status_code == declared_status(user, url, 404)
        return
    html = response.content.decode()
    assert response.status_code == 200
    visibility = section_visibility(html)
    for category in Category.values:
        expected = may(role, relationship, consent, category, R)
        assert (f"NOTE-{category}" in html) == expected, category
        assert (f"DOC-{category}" in html) == expected, category
        # a hidden category says so, without leaking content
        assert visibility[category] == bool(EXPECTED_RIGHTS[role].get(category)), category
        document = youth.documents.get(category=category)
        download = client.get(f"/jeunes/{youth.pk}/documents/{document.pk}/")
        assert download.status_code == (200 if expected else 403), category
    assert ("0600000001" in html) == may(role, relationship, consent, "contact", R)
    assert ("ORD-SECRET-42" in html) == may(role, relationship, consent, "justice", R)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "relationship"),
    [(role, relationship) for role in Role.values for relationship in RELATIONSHIPS],
)
def test_writing_follows_the_policy(role, relationship, build_world, member_client):
    world = build_world("granted", CONSENTED)
    client, user = member_client(getattr(world, relationship), role)
    youth = world.youth
    for category in Category.values:
        before = youth.notes.count()
        response = client.post(
            f"/jeunes/{youth.pk}/notes/ajouter/",
            {"category": category, "occurred_on": "2024-07-01", "title": "Nouvelle", "text": "x"},
        )
        # a new note is authored by the user's own organisation: only role rights matter
        allowed = accompanies(relationship) and W in EXPECTED_RIGHTS[role].get(category, set())
        assert (youth.notes.count() == before + 1) == allowed, (category, response.status_code)
        if not allowed:
            assert response.status_code in {403, 404}
    for category in ("identity", "contact", "justice"):
        response = client.post(f"/jeunes/{youth.pk}/modifier/{category}/", {})
        allowed = may(role, relationship, "granted", category, W)
        assert (response.status_code not in {403, 404}) == allowed, category
    owner_only = [
        f"/jeunes/{youth.pk}/co-accompagnement/ajouter/",
        f"/jeunes/{youth.pk}/co-accompagnement/{youth.assignments.get().pk}/terminer/",
    ]
    for url in owner_only:
        response = client.post(url, {})
        allowed = relationship == "owner" and W in EXPECTED_RIGHTS[role].get("identity", set())
        assert (response.status_code not in {403, 404}) == allowed, url
    consent = youth.consents.get()
    response = client.post(f"/jeunes/{youth.pk}/consentements/{consent.pk}/retirer/")
    consent.refresh_from_db()
    allowed = accompanies(relationship) and W in EXPECTED_RIGHTS[role].get("identity", set())
    assert (consent.withdrawn_at is not None) == allowed
    for url in (
        f"/jeunes/{youth.pk}/consentements/ajouter/",
        f"/jeunes/{youth.pk}/documents/ajouter/",
    ):
        assert (client.get(url).status_code == 200) == sees_record(role, relationship), url
    url = f"/jeunes/{youth.pk}/journal/"
    log = client.get(url)
    assert (log.status_code == 200) == reads_access_log(role, relationship)
    assert log.status_code == declared_status(user, url, 200 if log.status_code == 200 else 404)


#: Every youth route must be exercised by the matrix above.
COVERED_ROUTES = {
    "caseload",
    "create",
    "detail",
    "edit",
    "note_add",
    "document_upload",
    "document",
    "assignment_add",
    "assignment_end",
    "consent_add",
    "consent_withdraw",
    "consent_form",
    "access_log",
    # data-protection rights: tests/youths/test_privacy_matrix.py
    "privacy",
    "export_json",
    "export_pdf",
    "erasure_request",
    "erasure_decide",
    "copy_answer",  # tests/space/test_copy_request.py, tests/access/youth_bound.py
    "erasure_list",
    "audit_search",
    # an administrator's exceptional read: tests/youths/test_break_glass.py
    "break_glass",
}


def test_every_youth_route_is_in_the_matrix():
    resolver = get_resolver()
    namespace = resolver.namespace_dict["youths"][1]
    names = {pattern.name for pattern in namespace.url_patterns}
    assert names - COVERED_ROUTES == set(), "add the new youth routes to the access matrix"
