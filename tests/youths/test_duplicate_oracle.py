"""The duplicate check before a record is opened is no oracle (Code pénal 226-13): only a
person who may open a record reaches it; anyone else is refused before any lookup, with the
same answer whether the person named is known or not. Every check is audited without the
names searched (RGPD art. 5-1-c and 5-1-e)."""

from __future__ import annotations

import pytest

from coparcours.api import api
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.youths.models import Youth

KNOWN = {"last_name": "SECRETNOM", "first_names": "prénomsecret", "birth_date": "2005-03-01"}
UNKNOWN = {"last_name": "Inconnunom", "first_names": "Personne", "birth_date": "2005-03-01"}
NO_CASEWORK = [
    Role.FUNDER_VIEWER,
    Role.ADMINISTRATOR,
    Role.DATA_PROTECTION_OFFICER,
    Role.QUALITY_DIRECTOR,
    Role.FINANCE_OFFICER,  # reads identity, never opens a record
]


def _names_in_the_log() -> list[AuditLog]:
    return [
        line
        for line in AuditLog.objects.all()
        for name in ("secretnom", "prenomsecret", "prénomsecret", "inconnunom")
        if name in f"{line.path} {line.reason} {line.object_id}".casefold()
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("role", NO_CASEWORK)
@pytest.mark.parametrize("whose", ["owner", "funder"])
def test_api_refuses_before_any_lookup_whoever_is_named(build_world, member_client, role, whose):
    world = build_world()
    client, user = member_client(getattr(world, whose), role)
    known = client.post("/api/v1/youths", KNOWN, content_type="application/json")
    unknown = client.post("/api/v1/youths", UNKNOWN, content_type="application/json")
    assert (known.status_code, unknown.status_code) == (403, 403)
    assert known.json() == unknown.json()
    assert known.json()["code"] == "capability_refused"  # youth_create, before any lookup
    assert Youth.objects.count() == 1
    assert AuditLog.objects.filter(user=user, event=AuditEvent.DENIED).count() == 2
    assert not AuditLog.objects.filter(reason__startswith="Recherche de doublons").exists()
    assert _names_in_the_log() == []


@pytest.mark.django_db
@pytest.mark.parametrize("role", NO_CASEWORK)
def test_web_form_refuses_before_any_lookup_whoever_is_named(build_world, member_client, role):
    world = build_world()
    client, _ = member_client(world.owner, role)
    form = {"sex": "X", "situation": "unknown"}
    known = client.post("/jeunes/nouveau/", {**KNOWN, **form})
    unknown = client.post("/jeunes/nouveau/", {**UNKNOWN, **form})
    assert (known.status_code, unknown.status_code) == (403, 403)
    assert "déjà connu" not in known.content.decode()
    assert Youth.objects.count() == 1
    assert _names_in_the_log() == []


@pytest.mark.django_db
def test_a_referent_s_search_is_audited_with_its_count_not_the_names(build_world, member_client):
    world = build_world()
    client, user = member_client(world.unrelated, Role.REFERENT)
    response = client.post("/api/v1/youths", KNOWN, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["duplicates_elsewhere"] == 1
    web = client.post("/jeunes/nouveau/", {**KNOWN, "sex": "X", "situation": "unknown"})
    assert "1 dossier semblable existe dans une autre organisation" in web.content.decode()
    searches = AuditLog.objects.filter(user=user, reason__startswith="Recherche de doublons")
    assert searches.count() == 2
    line = searches.first()
    assert line.organisation_id == world.unrelated.pk and line.youth_id is None
    assert "1 dossier semblable" in line.reason
    assert _names_in_the_log() == []


def test_the_creation_route_documents_its_refusal():
    responses = api.get_openapi_schema()["paths"]["/api/v1/youths"]["post"]["responses"]
    assert {"201", "403", "409"} <= {str(status) for status in responses}
