"""The record's access log names, in French, only the categories its reader may read; the
others are "information protégée" (Code pénal 226-13; CNIL référentiel 2021-028). The
decision is pure: viewing the log writes its one line, nothing more."""

from __future__ import annotations

import re

import pytest

from coparcours.core.access import Category
from coparcours.core.models import AuditLog
from coparcours.organisations.models import Role
from coparcours.youths import services
from coparcours.youths.models.consents import ConsentMethod

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(build_world, member_client):
    """The owner's referent reads the whole record, writes a health note and shares the
    contact details with the mission locale: the log holds every category."""
    world = build_world()
    client, referent = member_client(world.owner, Role.REFERENT)
    client.get(f"/jeunes/{world.youth.pk}/")
    client.post(
        f"/jeunes/{world.youth.pk}/notes/ajouter/",
        {"category": "health", "occurred_on": "2024-07-01", "title": "Soin", "text": "x"},
    )
    services.record_consent(
        referent,
        world.youth,
        world.owner,
        organisation=world.partner,
        categories=["contact"],
        purpose="Suivi",
        method=ConsentMethod.ORAL_WITH_WITNESS,
        witness="Témoin",
    )
    return world


def _rubriques(html: str) -> list[str]:
    body = re.search(r"<tbody>(.*)</tbody>", html, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row)[-1] for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_data_protection_officer_reads_who_and_when_not_which_category(logged, member_client):
    client, _ = member_client(logged.owner, Role.DATA_PROTECTION_OFFICER)
    response = client.get(f"/jeunes/{logged.youth.pk}/journal/")
    assert response.status_code == 200
    rubriques = _rubriques(response.content.decode())
    assert "information protégée" in rubriques
    assert set(rubriques) <= {"information protégée", "—"}


def test_a_referent_reads_the_categories_in_french(logged, member_client):
    client, _ = member_client(logged.owner, Role.REFERENT)
    html = client.get(f"/jeunes/{logged.youth.pk}/journal/").content.decode()
    rubriques = set(_rubriques(html))
    assert {"Santé", "Santé mentale", "Justice", "Identité"} <= rubriques
    assert not rubriques & set(Category.values)  # never a raw code
    assert "information protégée" not in rubriques
    assert "Partage enregistré avec Mission locale partenaire" in html


def test_deciding_the_categories_writes_no_line(logged, member_client):
    client, _ = member_client(logged.owner, Role.DATA_PROTECTION_OFFICER)
    before = AuditLog.objects.count()
    client.get(f"/jeunes/{logged.youth.pk}/journal/")
    assert AuditLog.objects.count() == before + 1  # the reading of the log itself


# --- The same log through the API ---------------------------------------------------------


def test_the_api_gives_the_same_log_under_the_same_rule(logged, member_client):
    url = f"/api/v1/youths/{logged.youth.pk}/access-log"
    officer, _ = member_client(logged.owner, Role.DATA_PROTECTION_OFFICER)
    before = AuditLog.objects.count()
    answer = officer.get(url)
    assert answer.status_code == 200
    assert AuditLog.objects.count() == before + 1  # the reading of the log, once
    body = answer.json()
    # the reading just audited is the log's first line, as on the page
    assert body["count"] == AuditLog.objects.filter(youth_id=logged.youth.pk).count()
    assert body["items"][0]["event"] == "Consultation"
    assert {line["category"] for line in body["items"]} <= {"information protégée", "—"}
    referent, _ = member_client(logged.owner, Role.REFERENT)
    items = referent.get(url, {"limit": 200}).json()["items"]
    assert {"Santé", "Identité"} <= {line["category"] for line in items}
    assert any("Partage enregistré avec" in line["detail"] for line in items)
    first_two = referent.get(url, {"limit": 2}).json()
    assert len(first_two["items"]) == 2 and first_two["count"] > 2


def test_the_api_log_of_a_record_one_may_not_see_answers_as_an_unknown_one(logged, member_client):
    stranger, _ = member_client(logged.unrelated, Role.REFERENT)
    hidden = stranger.get(f"/api/v1/youths/{logged.youth.pk}/access-log")
    unknown = stranger.get("/api/v1/youths/987654/access-log")
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json() == unknown.json()
    counsellor, _ = member_client(logged.partner, Role.COUNSELLOR)
    refused = counsellor.get(f"/api/v1/youths/{logged.youth.pk}/access-log")
    assert refused.status_code == 403 and refused.json()["code"] == "capability_refused"
