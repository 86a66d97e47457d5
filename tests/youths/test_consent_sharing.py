"""Who records and who withdraws a share (RGPD art. 7; Code pénal 226-13; CASF
L.226-2-2): a share of organisation O's data is recorded by a person of O allowed to write
those categories; it is withdrawn by O, by the recipient or by the youth, never by a third
party; each record and withdrawal is audited and shown to O."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from coparcours.api import api
from coparcours.core.access import Relation
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.youths import services
from coparcours.youths.factories import AssignmentFactory, ConsentFactory, NoteFactory
from coparcours.youths.models import Consent

SECRET = ["health", "mental_health", "justice"]


@pytest.fixture
def world(build_world):
    """The owner's youth, co-accompanied by the mission locale (partner) and by a third
    organisation (``unrelated`` becomes a co-accompanying association)."""
    world = build_world()
    AssignmentFactory(
        youth=world.youth,
        organisation=world.unrelated,
        relation=Relation.CO_ACCOMPANIMENT,
        start_date=datetime.date(2024, 1, 1),
    )
    return world


def _payload(recipient, categories, **extra):
    return {
        "recipient_organisation_id": recipient.pk,
        "categories": categories,
        "purpose": "Suivi",
        "witness": "Témoin",
        "given_by": "youth",
        **extra,
    }


def _third_reads_secrets(world, member_client) -> bool:
    client, _ = member_client(world.unrelated, Role.REFERENT)
    youth = world.youth
    detail = client.get(f"/api/v1/youths/{youth.pk}").json()
    notes = {n["title"] for c in detail["categories"] for n in c["notes"]}
    health = youth.documents.get(category="health")
    download = client.get(f"/api/v1/youths/{youth.pk}/documents/{health.pk}/file")
    return "NOTE-health" in notes or download.status_code == 200


def _post_api(client, youth, payload):
    return client.post(
        f"/api/v1/youths/{youth.pk}/consents", payload, content_type="application/json"
    )


# --- Recording -------------------------------------------------------------------------


def test_the_counsellor_cannot_open_the_owner_s_secrets_to_a_third_party_api(world, member_client):
    client, _ = member_client(world.partner, Role.COUNSELLOR)
    response = _post_api(client, world.youth, _payload(world.unrelated, SECRET))
    assert response.status_code == 403
    assert response.json()["code"] == "consent_not_writable"
    assert "modifier" in response.json()["detail"]
    assert not Consent.objects.exists()
    assert not _third_reads_secrets(world, member_client)


def test_the_counsellor_cannot_open_the_owner_s_secrets_to_a_third_party_html(world, member_client):
    client, _ = member_client(world.partner, Role.COUNSELLOR)
    response = client.post(
        f"/jeunes/{world.youth.pk}/consentements/ajouter/",
        {
            "organisation": world.unrelated.pk,
            "categories": SECRET,
            "purpose": "Suivi",
            "basis": "consent",
            "given_by": "youth",
            "method": "oral_witness",
            "witness": "Témoin",
            "start_date": "2025-01-01",
        },
    )
    assert response.status_code == 403
    assert "votre rôle ne vous permet pas de modifier" in response.content.decode()
    assert not Consent.objects.exists()
    assert not _third_reads_secrets(world, member_client)


def test_a_partner_s_share_to_a_third_party_never_opens_the_owner_s_data(world, member_client):
    """The partner's referent may write health: its share opens its own part of the
    record to the third organisation, and the owner's secrets stay closed."""
    client, _ = member_client(world.partner, Role.REFERENT)
    response = _post_api(client, world.youth, _payload(world.unrelated, SECRET))
    assert response.status_code == 201, response.content
    assert Consent.objects.get().author_organisation == world.partner
    assert not _third_reads_secrets(world, member_client)


def test_a_partner_shares_its_own_part_with_the_owner(world, member_client):
    client, _ = member_client(world.partner, Role.COUNSELLOR)
    response = _post_api(client, world.youth, _payload(world.owner, ["education_employment"]))
    assert response.status_code == 201, response.content
    assert response.json()["author_organisation_id"] == world.partner.pk


def test_the_owner_s_staff_share_only_what_their_role_may_write(world, member_client):
    client, _ = member_client(world.owner, Role.COUNSELLOR)
    refused = _post_api(client, world.youth, _payload(world.unrelated, ["health"]))
    assert refused.status_code == 403
    assert refused.json()["code"] == "consent_not_writable"
    allowed = _post_api(client, world.youth, _payload(world.unrelated, ["contact"]))
    assert allowed.status_code == 201, allowed.content
    referent, _ = member_client(world.owner, Role.REFERENT)
    assert _post_api(referent, world.youth, _payload(world.unrelated, SECRET)).status_code == 201
    assert _third_reads_secrets(world, member_client)


def test_a_refused_record_is_audited(world, member_client):
    client, user = member_client(world.partner, Role.COUNSELLOR)
    _post_api(client, world.youth, _payload(world.unrelated, SECRET))
    refusal = AuditLog.objects.get(user=user, event=AuditEvent.DENIED)
    assert refusal.youth_id == world.youth.pk
    assert "partage" in refusal.reason


# --- Withdrawal ------------------------------------------------------------------------


@pytest.fixture
def consent(world):
    return ConsentFactory(
        youth=world.youth,
        organisation=world.partner,
        categories=["contact"],
        author_organisation=world.owner,
    )


def test_a_third_party_cannot_withdraw_api(world, consent, member_client):
    client, _ = member_client(world.unrelated, Role.REFERENT)
    response = client.post(f"/api/v1/youths/{world.youth.pk}/consents/{consent.pk}/withdraw")
    assert response.status_code == 403
    assert response.json()["code"] == "consent_withdrawal_not_a_party"
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_a_third_party_cannot_withdraw_html(world, consent, member_client):
    client, _ = member_client(world.unrelated, Role.REFERENT)
    page = client.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert f"/consentements/{consent.pk}/retirer/" not in page  # no button offered
    response = client.post(f"/jeunes/{world.youth.pk}/consentements/{consent.pk}/retirer/")
    assert response.status_code == 403
    assert "Seules l&#x27;organisation qui a enregistré ce partage" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


@pytest.mark.parametrize("party", ["owner", "partner"])
def test_the_author_or_the_recipient_withdraws(world, consent, member_client, party):
    client, user = member_client(getattr(world, party), Role.COUNSELLOR)
    page = client.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert f"/consentements/{consent.pk}/retirer/" in page
    response = client.post(f"/api/v1/youths/{world.youth.pk}/consents/{consent.pk}/withdraw")
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by == user


def test_the_youth_withdraws_without_a_professional(world, consent):
    services.withdraw_consent_for_youth(consent)
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_by is None
    line = AuditLog.objects.get(object_id=str(consent.pk), event=AuditEvent.WRITE)
    assert line.user is None and "par le jeune" in line.reason


# --- Shown to the organisation whose data is shared --------------------------------------


def test_record_and_withdrawal_are_in_the_owner_s_access_log_and_consent_list(world, member_client):
    counsellor, user = member_client(world.owner, Role.COUNSELLOR)
    created = _post_api(counsellor, world.youth, _payload(world.unrelated, ["contact"]))
    consent_id = created.json()["id"]
    # the third organisation, the recipient, withdraws: it thereby loses access
    third, third_user = member_client(world.unrelated, Role.REFERENT)
    third.post(f"/api/v1/youths/{world.youth.pk}/consents/{consent_id}/withdraw")
    lines = AuditLog.objects.filter(object_id=str(consent_id), event=AuditEvent.WRITE)
    assert [(line.user, line.organisation_id) for line in lines.order_by("id")] == [
        (user, world.owner.pk),
        (third_user, world.unrelated.pk),
    ]
    owner_referent, _ = member_client(world.owner, Role.REFERENT)
    log = owner_referent.get(f"/jeunes/{world.youth.pk}/journal/").content.decode()
    assert user.email in log and third_user.email in log
    record = owner_referent.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert "enregistré par Association propriétaire" in record
    assert f"retiré le {timezone.localdate():%d/%m/%Y}" in record


def test_the_consent_routes_document_their_refusals():
    paths = api.get_openapi_schema()["paths"]
    create = paths["/api/v1/youths/{youth_id}/consents"]["post"]["responses"]
    withdraw = paths["/api/v1/youths/{youth_id}/consents/{consent_id}/withdraw"]["post"]
    assert {"201", "403", "404", "422"} <= {str(status) for status in create}
    assert {"200", "403", "404"} <= {str(status) for status in withdraw["responses"]}


# --- Whose data a share opens ------------------------------------------------------------


def _shared(world, category, *, note_by, recorded_by, recipient) -> None:
    """A note of ``note_by`` in the category, and a share of it recorded by ``recorded_by``
    to ``recipient``."""
    NoteFactory(
        youth=world.youth,
        category=category,
        title=f"NOTE-{category}-of-{note_by.pk}",
        author_organisation=note_by,
    )
    ConsentFactory(
        youth=world.youth,
        organisation=recipient,
        categories=[category],
        author_organisation=recorded_by,
    )


def _titles_read(client, world, category) -> set[str]:
    detail = client.get(f"/api/v1/youths/{world.youth.pk}").json()
    section = next(c for c in detail["categories"] if c["category"] == category)
    return {note["title"] for note in section["notes"]}


def test_a_share_opens_only_the_data_of_the_organisation_that_recorded_it(world, member_client):
    """The owner shares health with the third organisation: the third reads the owner's
    health notes, never the mission locale's, whose secrecy the owner cannot lift."""
    _shared(
        world, "health", note_by=world.partner, recorded_by=world.owner, recipient=world.unrelated
    )
    client, _ = member_client(world.unrelated, Role.REFERENT)
    partners_note = f"NOTE-health-of-{world.partner.pk}"
    titles = _titles_read(client, world, "health")
    assert "NOTE-health" in titles and partners_note not in titles
    page = client.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert "NOTE-health" in page and partners_note not in page


def test_a_partner_s_share_to_the_owner_opens_the_partner_s_data_only(world, member_client):
    _shared(
        world, "justice", note_by=world.unrelated, recorded_by=world.partner, recipient=world.owner
    )
    client, _ = member_client(world.owner, Role.REFERENT)
    titles = _titles_read(client, world, "justice")
    assert "NOTE-justice" in titles  # the owner's own
    assert f"NOTE-justice-of-{world.unrelated.pk}" not in titles
