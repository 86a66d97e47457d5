"""The youth sends a piece of their administrative file from their phone: checked like any
upload, nothing stored for a bad file (told in their language), waiting on the referent's
home page, then accepted into the record as a document or refused with a reason the youth
reads."""

from __future__ import annotations

import os
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from coparcours.cej.models import DossierItem
from coparcours.cej.models.dossier import DossierStatus
from coparcours.cej.services.dossier import prepare_dossier
from coparcours.core.access import Category
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.models import Document, Youth
from coparcours.youths.privacy.anonymisation import anonymise_youth

from .conftest import born, plain
from .test_youth_page import _link, pathway  # noqa: F401 (the fixture)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def phone(world, pathway, client_for, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path / "media"
    prepare_dossier(world.referent, world.porteur, pathway)
    phone = Client()
    phone.post(_link(client_for(world.referent), pathway), born(pathway))
    return phone


def _send(phone, item, name="carte.png", content=PNG, **headers):
    upload = SimpleUploadedFile(name, content, content_type="image/png")
    return phone.post(f"/cej/mon-parcours/papiers/{item.pk}/", {"file": upload}, **headers)


def test_a_piece_sent_from_the_phone_lands_with_the_referent_then_in_the_file(
    world,
    pathway,  # noqa: F811
    phone,
    client_for,
):
    item = DossierItem.objects.filter(pathway=pathway).first()
    page = re.sub(r"<[^>]+>", "", plain(phone.get("/mon-espace/").content.decode()))
    assert "Mes papiers pour le dossier" in page and f"{item.kind} : à donner." in page
    assert _send(phone, item)["Location"] == "/mon-espace/#papiers"
    item.refresh_from_db()
    assert item.youth_file and item.youth_file_type == "image/png"
    line = AuditLog.objects.filter(event=AuditEvent.WRITE, youth_id=pathway.youth_id).latest("pk")
    assert line.user is None and "envoie depuis son espace une pièce" in line.reason
    assert "la personne qui vous accompagne va la regarder" in plain(
        phone.get("/mon-espace/").content.decode()
    )
    referent = client_for(world.referent)
    home = plain(referent.get("/").content.decode())
    assert "Papiers envoyés par les jeunes" in home and f"{item.kind}, envoyée le" in home
    detail = referent.get(f"/cej/parcours/{pathway.pk}/").content.decode()
    assert f"/cej/parcours/{pathway.pk}/dossier/{item.pk}/envoi-du-jeune/" in detail
    shown = referent.get(f"/cej/parcours/{pathway.pk}/dossier/{item.pk}/envoi-du-jeune/")
    assert b"".join(shown.streaming_content) == PNG
    referent.post(
        f"/cej/parcours/{pathway.pk}/dossier/{item.pk}/envoi-du-jeune/decider/",
        {"decision": "accept"},
    )
    item.refresh_from_db()
    assert item.status == DossierStatus.COLLECTED and not item.youth_file
    document = Document.objects.get(pk=item.document_id)
    assert document.category == Category.ADMIN_DOCUMENTS and document.file.read() == PNG
    assert "reçue." in plain(phone.get("/mon-espace/").content.decode())
    assert f"{item.kind}, envoyée le" not in plain(referent.get("/").content.decode())


def test_a_refusal_is_read_by_the_youth_and_the_file_deleted(
    world,
    pathway,  # noqa: F811
    phone,
    client_for,
    django_capture_on_commit_callbacks,
):
    item = DossierItem.objects.filter(pathway=pathway).first()
    _send(phone, item)
    item.refresh_from_db()
    stored = item.youth_file.path
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.referent).post(
            f"/cej/parcours/{pathway.pk}/dossier/{item.pk}/envoi-du-jeune/decider/",
            {"decision": "refuse", "reason": "La photo est floue."},
        )
    item.refresh_from_db()
    assert item.status == DossierStatus.MISSING and not item.youth_file
    page = plain(phone.get("/mon-espace/").content.decode())
    assert "Votre envoi n'a pas été accepté : La photo est floue." in page
    assert not os.path.exists(stored)


def test_a_disguised_or_oversized_file_is_refused_in_the_youths_language(
    world,
    pathway,  # noqa: F811
    phone,
    settings,
):
    item = DossierItem.objects.filter(pathway=pathway).first()
    _send(phone, item, name="carte.png", content=b"MZ\x90\x00" + b"\x00" * 64)  # a program
    assert "Envoyez une photo (JPEG, PNG) ou un PDF." in plain(
        phone.get("/mon-espace/").content.decode()
    )
    settings.YOUTH_DOCUMENT_MAX_BYTES = 32
    phone.post("/mon-espace/langue/", {"language": "en", "next": "/mon-espace/"})
    _send(phone, item)
    assert "This file is too large" in plain(phone.get("/mon-espace/").content.decode())
    item.refresh_from_db()
    assert not item.youth_file and item.youth_sent_at is None


def test_only_a_missing_piece_of_ones_own_file_is_sent(world, pathway, phone, client_for):  # noqa: F811
    other = world.outreach()
    mine = DossierItem.objects.filter(pathway=pathway).first()
    foreign = DossierItem.objects.create(
        pathway=other, youth=other.youth, kind=mine.kind, author_organisation=world.porteur
    )
    assert _send(phone, foreign).status_code == 404
    assert _send(Client(), foreign).status_code == 403
    assert not DossierItem.objects.exclude(youth_file="").exists()


def test_anonymising_the_record_erases_what_the_youth_sent_and_chose(
    world,
    pathway,  # noqa: F811
    phone,
    django_capture_on_commit_callbacks,
):
    item = DossierItem.objects.filter(pathway=pathway).first()
    _send(phone, item)
    item.refresh_from_db()
    stored = item.youth_file.path
    Youth.objects.filter(pk=pathway.youth_id).update(
        reminder_channel="sms", space_pin="pbkdf2$…", reminders_agreed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_youth(pathway.youth_id, reason="demande d'effacement acceptée")
    item.refresh_from_db()
    assert not item.youth_file and not os.path.exists(stored)
    youth = Youth.objects.get(pk=pathway.youth_id)
    assert (youth.reminder_channel, youth.space_pin, youth.reminders_agreed_at) == ("", "", None)
