"""Data-protection rights: export, retention and anonymisation, erasure requests, audit search
(CNIL référentiels 2021-028 and 2023-095; docs/decisions.md, section 12)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from pypdf import PdfReader

from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.organisations.models import Role
from coparcours.youths import services
from coparcours.youths.factories import AssignmentFactory, YouthFactory
from coparcours.youths.models import Consent, Document, ErasureRequest, Note, RetentionRule, Youth
from coparcours.youths.models.erasure import ErasureStatus
from coparcours.youths.models.records import Sex
from coparcours.youths.models.retention import RetentionScope
from coparcours.youths.privacy import anonymisation
from coparcours.youths.privacy.anonymisation import ERASED
from coparcours.youths.privacy.erasure import decide_erasure_request, record_erasure_request
from coparcours.youths.privacy.export import build_export
from coparcours.youths.privacy.retention import apply_retention, months_before
from coparcours.youths.tasks import apply_retention_periods

from .conftest import PDF_BYTES

TODAY = timezone.localdate()


def _export(client, youth) -> dict:
    response = client.get(f"/jeunes/{youth.pk}/export.json")
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def _category(export: dict, category: str) -> dict:
    return next(c for c in export["categories"] if c["category"] == category)


# --- Export ------------------------------------------------------------------------------


def test_owner_referent_exports_everything_with_rectifications_and_access_log(
    build_world, member_client
):
    world = build_world()
    client, user = member_client(world.owner, Role.REFERENT)
    services.update_youth(user, world.youth, Category.CONTACT, {"phone": "0600000002"})
    client.get(f"/jeunes/{world.youth.pk}/")
    export = _export(client, world.youth)
    for category in Category.values:
        section = _category(export, category)
        # the owner's own data; partners' data shows only if shared with the owner
        expected = "complete" if category == "identity" else "own_organisation_only"
        assert section["status"] == expected, category
        assert [n["title"] for n in section["notes"]] == [f"NOTE-{category}"]
        assert [d["title"] for d in section["documents"]] == [f"DOC-{category}"]
    contact = {f["field"]: f["value"] for f in _category(export, "contact")["fields"]}
    assert contact["phone"] == "0600000002"
    assert {
        "field": "phone",
        "label": "téléphone",
        "old": "0600000001",
        "new": "0600000002",
    } in [change for r in export["rectifications"] for change in r["changes"]]
    assert [a["organisation"] for a in export["assignments"]] == ["Mission locale partenaire"]
    events = {(line["person"], line["event"]) for line in export["access_log"]}
    assert (user.email, "Consultation") in events
    # the export itself is audited, category by category
    exported = AuditLog.objects.filter(youth_id=world.youth.pk, reason__startswith="Export")
    assert exported.filter(event=AuditEvent.READ).count() >= len(Category.values)


def test_partner_dpo_exports_identity_and_consented_data_only(build_world, member_client):
    world = build_world("granted", ["contact"])
    client, _ = member_client(world.partner, Role.DATA_PROTECTION_OFFICER)
    export = _export(client, world.youth)
    statuses = {c["category"]: c["status"] for c in export["categories"]}
    assert statuses["identity"] == statuses["contact"] == "complete"
    assert {s for c, s in statuses.items() if c not in {"identity", "contact"}} == {
        "own_organisation_only"
    }
    assert _category(export, "health")["notes"] == []
    assert "ORD-SECRET-42" not in json.dumps(export)
    assert [n["title"] for n in _category(export, "contact")["notes"]] == ["NOTE-contact"]


def test_pdf_export_is_readable_french_and_says_what_is_limited(build_world, member_client):
    world = build_world("granted", ["contact"])
    client, _ = member_client(world.partner, Role.DATA_PROTECTION_OFFICER)
    response = client.get(f"/jeunes/{world.youth.pk}/export.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Les informations que nous détenons sur vous" in text
    assert "Rubriques limitées aux informations de Mission locale partenaire" in text
    assert "conservées 24 mois après votre dernier contact" in text
    assert "NOTE-contact" in text
    assert "NOTE-health" not in text


def test_export_refused_to_a_partner_is_explained_in_french_and_audited(build_world, member_client):
    world = build_world()
    client, user = member_client(world.partner, Role.REFERENT)
    response = client.get(f"/jeunes/{world.youth.pk}/export.json")
    assert response.status_code == 403
    assert "L&#x27;export est réservé" in response.content.decode()
    assert AuditLog.objects.filter(
        user=user, youth_id=world.youth.pk, event=AuditEvent.DENIED
    ).exists()
    api = client.get(f"/api/v1/youths/{world.youth.pk}/export")
    assert api.status_code == 403
    assert api.json()["detail"].startswith("L'export est réservé")


def test_export_of_a_youth_not_accompanied_answers_as_an_unknown_id(build_world, member_client):
    world = build_world()
    client, user = member_client(world.unrelated, Role.REFERENT)
    for url in (f"/jeunes/{world.youth.pk}/export.json", f"/api/v1/youths/{world.youth.pk}/export"):
        response = client.get(url)
        assert response.status_code == 404
        assert "export" not in response.content.decode().casefold()
    assert not AuditLog.objects.filter(user=user, youth_id=world.youth.pk).exists()


def test_partner_referent_may_not_export_the_owner_record(build_world, member_client):
    world = build_world("granted", ["contact"])
    _, user = member_client(world.partner, Role.REFERENT)
    with pytest.raises(PermissionDenied):
        build_export(user, world.youth)


# --- Retention and anonymisation -----------------------------------------------------


def _aged_youth(days: int, **fields) -> Youth:
    """A record whose every trace (opening, notes, documents) is ``days`` old."""
    youth = YouthFactory(
        last_name="Ancien",
        first_names="Prenomancien",
        sex=Sex.FEMALE,
        birth_date=datetime.date(2004, 5, 17),
        phone="0611111111",
        nationality="Guinéenne",
        **fields,
    )
    then = timezone.now() - datetime.timedelta(days=days)
    Youth.objects.filter(pk=youth.pk).update(created_at=then)
    note = Note.objects.create(
        youth=youth,
        category=Category.HEALTH,
        title="Suivi santé",
        text="Texte confidentiel",
        occurred_on=(then - datetime.timedelta(days=1)).date(),
        author_organisation=youth.owner_organisation,
    )
    note.text = "Texte confidentiel corrigé"
    note.save()
    document = Document(
        youth=youth,
        category=Category.ADMIN_DOCUMENTS,
        title="Passeport",
        original_name="passeport-ancien.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        author_organisation=youth.owner_organisation,
    )
    document.file.save("passeport.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    Document.objects.filter(pk=document.pk).update(created_at=then)
    youth.refresh_from_db()
    youth.last_name = "Ancienne"  # a rectification, kept in history until anonymisation
    youth.save()
    return youth


def test_months_before_clamps_to_the_end_of_the_month():
    assert months_before(datetime.date(2026, 3, 31), 1) == datetime.date(2026, 2, 28)
    assert months_before(datetime.date(2026, 1, 15), 24) == datetime.date(2024, 1, 15)
    assert months_before(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 15)


def test_default_rules_are_seeded_and_dated(db):
    assert RetentionRule.objects.months_by_category(RetentionScope.LAST_CONTACT, TODAY) == (
        dict.fromkeys(Category.values, 24)
    )
    assert RetentionRule.objects.months_by_category(RetentionScope.CEJ_END, TODAY) == (
        dict.fromkeys(Category.values, 120)
    )
    before = datetime.date(2023, 11, 14)
    assert RetentionRule.objects.months_by_category(RetentionScope.LAST_CONTACT, before) == {}


@pytest.mark.django_db
def test_retention_anonymises_past_records_keeping_statistics_and_is_idempotent():
    old = _aged_youth(800)
    recent = _aged_youth(300)
    stored = old.documents.get().file.name
    assert default_storage.exists(stored)

    report = apply_retention(TODAY)
    assert report.anonymised == [old.pk]

    old.refresh_from_db()
    assert old.anonymised_at is not None
    assert str(old.last_name) == f"Jeune anonymisé n° {old.pk}"
    assert (old.first_names, old.phone, old.nationality) == ("", "", "")
    assert (old.sex, old.birth_date) == (Sex.FEMALE, datetime.date(2004, 1, 1))
    assert old.owner_organisation_id is not None
    note = old.notes.get()
    assert (note.title, note.text, note.category) == (ERASED, "", Category.HEALTH)
    assert not default_storage.exists(stored)
    assert old.documents.get().file.name == ""
    history = list(old.history.values_list("last_name", "first_names", "phone"))
    assert len(history) >= 2
    assert set(history) == {(f"Jeune anonymisé n° {old.pk}", "", "")}
    assert set(note.history.values_list("text", flat=True)) == {""}
    assert AuditLog.objects.filter(youth_id=old.pk, reason__startswith="Anonymisation").exists()
    assert Youth.objects.active().filter(pk=old.pk).count() == 0

    recent.refresh_from_db()
    assert (recent.anonymised_at, recent.last_name) == (None, "Ancienne")

    stamp = old.updated_at
    again = apply_retention_periods.call_local()
    assert again == {"anonymised": 0, "purged": 0, "files_deleted": 0}
    old.refresh_from_db()
    assert old.updated_at == stamp


@pytest.mark.django_db
def test_any_recent_trace_or_running_assignment_keeps_the_record():
    with_note = _aged_youth(800)
    Note.objects.create(
        youth=with_note,
        category=Category.NOTES,
        title="Rendez-vous",
        occurred_on=TODAY - datetime.timedelta(days=30),
        author_organisation=with_note.owner_organisation,
    )
    followed = _aged_youth(800)
    AssignmentFactory(youth=followed, start_date=datetime.date(2020, 1, 1))
    with_contact = _aged_youth(800, last_contact_on=TODAY - datetime.timedelta(days=10))
    assert apply_retention(TODAY).anonymised == []
    assert (
        Youth.objects.active().filter(pk__in=[with_note.pk, followed.pk, with_contact.pk]).count()
        == 3
    )


@pytest.mark.django_db
def test_a_crash_half_way_leaves_no_half_anonymised_record(monkeypatch):
    first, second = _aged_youth(800), _aged_youth(900)
    real_record = anonymisation.record

    def crash_on_second(user, event, **details):
        if details.get("youth_id") == second.pk:
            raise RuntimeError("worker killed")
        return real_record(user, event, **details)

    monkeypatch.setattr(anonymisation, "record", crash_on_second)
    with pytest.raises(RuntimeError):
        apply_retention(TODAY)
    second.refresh_from_db()
    assert (second.anonymised_at, second.last_name, second.phone) == (
        None,
        "Ancienne",
        "0611111111",
    )
    assert second.notes.get().text == "Texte confidentiel corrigé"
    assert "Ancien" in set(second.history.values_list("last_name", flat=True))
    assert Youth.objects.get(pk=first.pk).anonymised_at is not None

    monkeypatch.setattr(anonymisation, "record", real_record)
    assert apply_retention(TODAY).anonymised == [second.pk]


@pytest.mark.django_db
def test_a_shorter_dated_rule_for_one_category_erases_it_before_the_record():
    youth = _aged_youth(400)
    RetentionRule.objects.create(
        scope=RetentionScope.LAST_CONTACT,
        category=Category.HEALTH,
        months=6,
        valid_from=datetime.date(2024, 1, 1),
        basis="Décision du délégué",
    )
    RetentionRule.objects.create(
        scope=RetentionScope.LAST_CONTACT,
        category=Category.CONTACT,
        months=1,
        valid_from=TODAY + datetime.timedelta(days=1),  # not yet in force
        basis="Décision future",
    )
    report = apply_retention(TODAY)
    assert (report.anonymised, report.purged) == ([], [youth.pk])
    youth.refresh_from_db()
    assert youth.anonymised_at is None
    assert youth.phone == "0611111111"
    assert youth.notes.get().text == ""
    assert youth.documents.get().title == "Passeport"
    assert apply_retention(TODAY).purged == []


@pytest.mark.django_db
def test_an_erased_document_is_no_longer_offered_nor_served(member_client):
    youth = _aged_youth(900)
    client, _ = member_client(youth.owner_organisation, Role.REFERENT)
    AssignmentFactory(youth=youth, start_date=datetime.date(2020, 1, 1))  # still followed
    RetentionRule.objects.create(
        scope=RetentionScope.LAST_CONTACT,
        category=Category.ADMIN_DOCUMENTS,
        months=1,
        valid_from=datetime.date(2024, 1, 1),
        basis="Décision du délégué",
    )
    Youth.objects.filter(pk=youth.pk).update(last_contact_on=None)
    youth.assignments.update(end_date=TODAY - datetime.timedelta(days=60))
    assert apply_retention(TODAY).purged == [youth.pk]
    document = youth.documents.get()
    assert (document.title, document.file.name) == (ERASED, "")
    page = client.get(f"/jeunes/{youth.pk}/").content.decode()
    assert f"/jeunes/{youth.pk}/documents/{document.pk}/" not in page
    assert client.get(f"/jeunes/{youth.pk}/documents/{document.pk}/").status_code == 404
    api = client.get(f"/api/v1/youths/{youth.pk}/documents/{document.pk}/file")
    assert api.status_code == 404


# --- Erasure requests -----------------------------------------------------------------


def test_erasure_request_recorded_then_approved_by_the_dpo_anonymises(build_world, member_client):
    world = build_world()
    referent_client, _ = member_client(world.owner, Role.REFERENT)
    dpo_client, dpo = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    youth = world.youth
    response = referent_client.post(
        f"/jeunes/{youth.pk}/effacement/demander/",
        {"received_on": TODAY.isoformat(), "requester": "youth", "reason": "Je déménage."},
    )
    assert response.status_code == 302
    erasure = youth.erasure_requests.get()
    page = dpo_client.get(f"/jeunes/{youth.pk}/protection-des-donnees/").content.decode()
    assert 'data-erasure-status="pending"' in page
    assert f"/jeunes/{youth.pk}/effacement/{erasure.pk}/decider/" in page

    url = f"/jeunes/{youth.pk}/effacement/{erasure.pk}/decider/"
    response = dpo_client.post(url, {"decision": "approve", "motive": "  "})
    assert response.status_code == 200
    assert "Motivez la décision" in response.content.decode()
    erasure.refresh_from_db()
    youth.refresh_from_db()
    assert (erasure.status, youth.anonymised_at) == (ErasureStatus.PENDING, None)

    response = dpo_client.post(url, {"decision": "approve", "motive": "Aucune obligation légale."})
    assert response.status_code == 302
    erasure.refresh_from_db()
    youth.refresh_from_db()
    assert (erasure.status, erasure.decided_by) == (ErasureStatus.APPROVED, dpo)
    assert youth.anonymised_at is not None
    assert not Consent.objects.filter(youth=youth).exclude(witness="").exists()
    assert not default_storage.exists(youth.documents.first().file.name or "missing")
    reasons = list(AuditLog.objects.filter(youth_id=youth.pk).values_list("reason", flat=True))
    assert "Demande d'effacement enregistrée" in reasons
    assert "Demande d'effacement acceptée : Aucune obligation légale." in reasons
    assert any(r.startswith("Anonymisation du dossier") for r in reasons)
    assert referent_client.get(f"/jeunes/{youth.pk}/").status_code == 404
    with pytest.raises(ValidationError):
        decide_erasure_request(dpo, erasure, approve=False, motive="Trop tard")


def test_erasure_refusal_keeps_the_record_and_shows_on_it(build_world, member_client):
    world = build_world()
    referent_client, referent = member_client(world.owner, Role.REFERENT)
    _, director = member_client(world.owner, Role.DIRECTOR)
    erasure = record_erasure_request(
        referent, world.youth, received_on=TODAY, requester="guardian", reason="Demande"
    )
    with pytest.raises(ValidationError) as error:
        record_erasure_request(
            referent, world.youth, received_on=TODAY, requester="youth", reason="Encore"
        )
    assert "attend déjà une décision" in str(error.value)
    with pytest.raises(PermissionDenied):
        decide_erasure_request(referent, erasure, approve=True, motive="Je décide")
    decide_erasure_request(
        director, erasure, approve=False, motive="Placement judiciaire en cours."
    )
    page = referent_client.get(f"/jeunes/{world.youth.pk}/").content.decode()
    assert 'data-erasure-status="refused"' in page
    assert "Placement judiciaire en cours." in page
    world.youth.refresh_from_db()
    assert world.youth.anonymised_at is None


def test_erasure_request_bad_input_is_explained_and_nothing_saved(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.REFERENT)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"/jeunes/{world.youth.pk}/effacement/demander/",
        {"received_on": tomorrow, "requester": "youth", "reason": "x"},
    )
    assert "La demande ne peut pas être datée dans le futur." in response.content.decode()
    response = client.post(
        f"/api/v1/youths/{world.youth.pk}/erasure-requests",
        {"received_on": TODAY.isoformat(), "requester": "youth", "reason": "  "},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "motif" in response.content.decode()
    assert ErasureRequest.objects.count() == 0


def test_erasure_through_the_api(build_world, member_client):
    world = build_world()
    referent, _ = member_client(world.owner, Role.REFERENT)
    dpo, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    base = f"/api/v1/youths/{world.youth.pk}/erasure-requests"
    created = referent.post(
        base,
        {"received_on": TODAY.isoformat(), "requester": "youth", "reason": "Je pars."},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    decision = f"{base}/{created.json()['id']}/decision"
    missing = dpo.post(decision, {"approve": True}, content_type="application/json")
    assert missing.status_code == 422
    assert "Motivez" in missing.content.decode()
    assert (
        referent.post(
            decision, {"approve": True, "motive": "ok"}, content_type="application/json"
        ).status_code
        == 403
    )
    done = dpo.post(decision, {"approve": True, "motive": "Fin"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["status"] == ErasureStatus.APPROVED
    assert Youth.objects.get(pk=world.youth.pk).anonymised_at is not None


# --- Organisation-wide audit search -----------------------------------------------------


def test_audit_search_shows_the_organisation_lines_only_with_filters(
    build_world, member_client, django_assert_max_num_queries
):
    world = build_world("granted", ["contact"])
    referent_client, referent = member_client(world.owner, Role.REFERENT)
    partner_client, partner_user = member_client(world.partner, Role.COUNSELLOR)
    stranger = YouthFactory(owner_organisation=world.unrelated)
    stranger_client, stranger_user = member_client(world.unrelated, Role.REFERENT)
    referent_client.get(f"/jeunes/{world.youth.pk}/")
    partner_client.get(f"/jeunes/{world.youth.pk}/")
    stranger_client.get(f"/jeunes/{stranger.pk}/")
    for _ in range(60):
        AuditLog.objects.create(
            user=referent, user_email=referent.email, event=AuditEvent.LIST, organisation_id=None
        )

    dpo_client, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    with django_assert_max_num_queries(12):
        page = dpo_client.get("/jeunes/journal-organisation/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Page 1 sur 2" in html
    filtered = dpo_client.get(
        "/jeunes/journal-organisation/", {"youth": world.youth.pk, "event": "read"}
    ).content.decode()
    assert partner_user.email in filtered  # partners' accesses to the records we own
    assert referent.email in filtered
    assert "<td>Coordonnées</td>" in filtered and "<td>contact</td>" not in filtered
    everything = dpo_client.get("/jeunes/journal-organisation/", {"youth": stranger.pk})
    assert stranger_user.email not in everything.content.decode()
    person = dpo_client.get("/jeunes/journal-organisation/", {"person": partner_user.email})
    assert referent.email not in person.content.decode()
    bad = dpo_client.get(
        "/jeunes/journal-organisation/", {"start": "2026-02-01", "end": "2026-01-01"}
    )
    assert "La date de fin doit suivre la date de début." in bad.content.decode()


def test_dpo_home_leads_to_its_duties_never_to_the_caseload(build_world, member_client):
    world = build_world()
    client, _ = member_client(world.owner, Role.DATA_PROTECTION_OFFICER)
    home = client.get("/").content.decode()
    assert "/jeunes/effacements/" in home
    assert "/jeunes/journal-organisation/" in home
    assert "SECRETNOM" not in client.get("/jeunes/").content.decode()
    assert client.get(f"/jeunes/{world.youth.pk}/").status_code == 403  # no casework at all
    assert client.get(f"/jeunes/{world.youth.pk}/journal/").status_code == 200


def test_a_page_listing_youths_in_several_ways_writes_one_listing_line(build_world, member_client):
    """The caseload lists the youths and, for its filter, the organisations owning them:
    one access, one line; the next request is another line."""
    world = build_world("granted", ["contact"])
    referent_client, referent = member_client(world.owner, Role.REFERENT)
    listings = AuditLog.objects.filter(user=referent, event=AuditEvent.LIST)
    page = referent_client.get("/jeunes/", {"vue": "all"})
    assert page.status_code == 200 and str(world.youth) in page.content.decode()
    assert listings.count() == 1
    assert listings.get().path == "/jeunes/"  # the route, without its query string
    referent_client.get("/jeunes/", {"vue": "all"})
    assert listings.count() == 2
