"""Shared guides: a library per consortium, versioned, with an owner and a
review date; files served only to its members; review reminders, once per date."""

from __future__ import annotations

import datetime
from html import unescape

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coparcours.core.models import AuditEvent, AuditLog
from coparcours.directory import guides
from coparcours.directory.models import Guide, GuideKind, GuideVersion
from coparcours.directory.tasks import guide_review_reminders
from coparcours.organisations.factories import ConsortiumFactory, ConsortiumMemberFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHARTER = "Qui fait quoi dans le CEJ-JR Lille"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def charter(demo) -> Guide:
    return Guide.objects.get(title=CHARTER)


def test_members_read_the_library_with_owner_review_date_and_history(demo, login_client, charter):
    counsellor = login_client(demo.users["conseiller"])  # mission locale, CEJ-JR member
    page = unescape(counsellor.get("/annuaire/guides/").content.decode())
    for title in (
        CHARTER,
        "Livret d'accueil des jeunes",
        "Guide pas à pas : du repérage au contrat",
    ):
        assert title in page
    assert "Convention de partenariat porteur – mission locale" in page
    assert "Livret d'accueil des jeunes accueillis par le GME" not in page  # not a GME member
    assert "relecture dépassée" in page
    detail = unescape(counsellor.get(f"/annuaire/guides/{charter.pk}/").content.decode())
    assert "Julie Dumont" in detail  # the owner
    assert "Ajout du rôle du SIAO" in detail and "Première version." in detail
    assert "SIAO du Nord" in detail  # the current version's text
    first = counsellor.get(f"/annuaire/guides/{charter.pk}/v1/").content.decode()
    assert "Repérage et premier contact" in first and "SIAO du Nord" not in first


def test_new_version_never_overwrites_the_previous_one(demo, login_client, charter):
    referent = login_client(demo.users["referente"])
    review = timezone.localdate() + datetime.timedelta(days=180)
    response = referent.post(
        f"/annuaire/guides/{charter.pk}/publier/",
        {
            "change_note": "Ajout de la permanence du CMP.",
            "body": "Santé mentale : permanence mensuelle du CMP chez le porteur.",
            "review_on": review.isoformat(),
            "owner": demo.users["conseiller"].pk,
        },
    )
    assert response.status_code == 302
    charter.refresh_from_db()
    assert [v.number for v in charter.versions.all()] == [3, 2, 1]
    assert charter.review_on == review and charter.owner == demo.users["conseiller"]
    assert "SIAO du Nord" in charter.versions.get(number=2).body
    version = charter.versions.get(number=1)
    version.body = "Réécriture"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        version.save()


def test_files_are_served_only_to_members_of_the_consortium(demo, login_client, charter):
    referent = login_client(demo.users["referente"])
    upload = SimpleUploadedFile("charte-signee.pdf", PDF, content_type="application/pdf")
    response = referent.post(
        f"/annuaire/guides/{charter.pk}/publier/",
        {
            "change_note": "Version signée en copil.",
            "file": upload,
            "review_on": "2030-01-01",
            "owner": demo.users["referente"].pk,
        },
    )
    assert response.status_code == 302
    url = f"/annuaire/guides/{charter.pk}/v3/fichier/"
    member = login_client(demo.users["conseiller"]).get(url)
    assert member.status_code == 200 and member["Cache-Control"] == "private, no-store"
    assert b"".join(member.streaming_content) == PDF
    version = GuideVersion.objects.get(guide=charter, number=3)
    assert "charte-signee" not in version.file.name  # opaque storage name
    outsider = login_client(demo.users["direction"])  # Temps de vie: GME only
    assert outsider.get(url).status_code == 404
    assert outsider.get(f"/annuaire/guides/{charter.pk}/").status_code == 404
    funder = login_client(demo.users["dreets"])  # funds the partnership, not a member
    assert funder.get(url).status_code == 404
    assert CHARTER not in funder.get("/annuaire/guides/").content.decode()
    api = funder.get(f"/api/v1/directory/guides/{charter.pk}/versions/3/file")
    assert api.status_code == 404
    assert AuditLog.objects.filter(
        event=AuditEvent.DENIED, user=demo.users["direction"], reason__contains="pas membre"
    ).exists()


def test_bad_files_and_missing_content_are_refused_in_french(demo, login_client, charter):
    referent = login_client(demo.users["referente"])
    fake = SimpleUploadedFile("charte.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = referent.post(
        f"/annuaire/guides/{charter.pk}/publier/",
        {"change_note": "x", "file": fake, "review_on": "2030-01-01",
         "owner": demo.users["referente"].pk},
    )  # fmt: skip
    assert "seuls les PDF, DOCX et ODT sont acceptés" in page.content.decode()
    empty = referent.post(
        "/annuaire/guides/nouveau/",
        {"consortium": demo.cej_jr.pk, "kind": GuideKind.CONVENTION, "title": "Vide",
         "owner": demo.users["referente"].pk, "review_on": "2030-01-01"},
    )  # fmt: skip
    assert "Écrivez le texte de la page ou joignez un fichier." in empty.content.decode()
    assert charter.versions.count() == 2
    assert not Guide.objects.filter(title="Vide").exists()


def test_only_working_roles_of_members_publish(demo, login_client):
    finance = login_client(demo.users["finances"])  # Alefpa, finance officer
    assert finance.get("/annuaire/guides/nouveau/").status_code == 403
    funder = login_client(demo.users["dreets"])
    response = funder.post(
        "/api/v1/directory/guides",
        {"consortium_id": demo.cej_jr.pk, "kind": "convention", "title": "Convention DREETS",
         "owner_id": demo.users["dreets"].pk, "review_on": "2030-01-01", "body": "…"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 403
    assert not Guide.objects.filter(title="Convention DREETS").exists()


def test_create_a_page_from_the_page_and_the_api(demo, login_client):
    coordinator = login_client(demo.users["coordination"])
    response = coordinator.post(
        "/annuaire/guides/nouveau/",
        {"consortium": demo.gme.pk, "kind": GuideKind.STEP_BY_STEP,
         "title": "Guide pas à pas de l'admission", "owner": demo.users["direction"].pk,
         "review_on": "2030-06-30", "body": "1. Demande du Département.\n2. Proposition."},
    )  # fmt: skip
    guide = Guide.objects.get(title="Guide pas à pas de l'admission")
    assert response.url == f"/annuaire/guides/{guide.pk}/"
    assert guide.owner == demo.users["direction"] and guide.versions.get().number == 1
    outsider_owner = coordinator.post(
        "/api/v1/directory/guides",
        {"consortium_id": demo.gme.pk, "kind": "convention", "title": "Convention GME",
         "owner_id": demo.users["conseiller"].pk, "review_on": "2030-01-01", "body": "…"},
        content_type="application/json",
    )  # fmt: skip
    assert outsider_owner.status_code == 422
    assert "membre du partenariat" in outsider_owner.json()["detail"][0]["msg"]
    created = coordinator.post(
        "/api/v1/directory/guides",
        {"consortium_id": demo.gme.pk, "kind": "convention", "title": "Convention GME",
         "owner_id": demo.users["coordination"].pk, "review_on": "2030-01-01",
         "body": "Convention constitutive du groupement."},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    guide_id = created.json()["id"]
    version = coordinator.post(
        f"/api/v1/directory/guides/{guide_id}/versions",
        {"change_note": "Avenant 1.", "body": "Convention et avenant 1."},
        content_type="application/json",
    )
    assert version.status_code == 201
    assert [v["number"] for v in version.json()["versions"]] == [2, 1]
    listed = coordinator.get("/api/v1/directory/guides", {"q": "convention gme"}).json()
    assert [g["title"] for g in listed] == ["Convention GME"]


def test_review_reminders_are_sent_once_per_review_date(demo, charter):
    mail.outbox.clear()
    assert guide_review_reminders.call_local() == 1  # the demo charter is overdue
    assert mail.outbox[0].to == [demo.users["referente"].email]
    assert (
        CHARTER in mail.outbox[0].subject
        and f"/annuaire/guides/{charter.pk}/" in mail.outbox[0].body
    )
    assert guide_review_reminders.call_local() == 0  # idempotent
    later = timezone.localdate() + datetime.timedelta(days=400)
    Guide.objects.filter(pk=charter.pk).update(review_on=later - datetime.timedelta(days=1))
    others = Guide.objects.filter(review_on__lt=later).exclude(pk=charter.pk).count()
    assert guides.remind_reviews(on=later) == 1 + others  # a new review date, a new reminder
    assert guides.remind_reviews(on=later) == 0


def test_library_query_count_does_not_grow(demo, login_client, django_assert_max_num_queries):
    counsellor = login_client(demo.users["conseiller"])
    with django_assert_max_num_queries(14):
        counsellor.get("/annuaire/guides/")
    other = ConsortiumFactory(name="CEJ-JR Roubaix", funder=demo.dreets)
    ConsortiumMemberFactory(consortium=other, organisation=demo.mission_locale)
    for n in range(30):
        guides.create_guide(
            demo.users["conseiller"], other, kind=GuideKind.OTHER, title=f"Fiche {n}",
            owner=demo.users["conseiller"], review_on=datetime.date(2030, 1, 1), body="…",
        )  # fmt: skip
    with django_assert_max_num_queries(14):
        page = counsellor.get("/annuaire/guides/")
    assert "Fiche 29" in page.content.decode()
    with django_assert_max_num_queries(8):
        listed = counsellor.get("/api/v1/directory/guides").json()
    assert len(listed) == Guide.objects.exclude(consortium=demo.gme).count()  # all but the GME's


def test_administration_corrects_owner_and_review_date_not_content(demo, login_client, charter):
    admin = login_client(demo.users["admin"])
    assert admin.get("/admin/directory/guide/").status_code == 200
    assert admin.get(f"/admin/directory/guide/{charter.pk}/change/").status_code == 200
    assert admin.get("/admin/directory/guide/add/").status_code == 403
    assert admin.get("/admin/directory/meeting/").status_code == 200
