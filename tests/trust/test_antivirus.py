"""Uploaded files are scanned by ClamAV before being stored.

A fake ``clamd`` speaks the real INSTREAM protocol on a Unix socket: it reports EICAR's
test signature as a virus. Nothing is stored when the scan refuses, nor when the scanner
is configured but does not answer.
"""

from __future__ import annotations

import io
import socketserver
import struct
import tempfile
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coparcours.core.antivirus import instream, scan_upload
from coparcours.organisations.models import Role
from tests.youths.conftest import _build_world, _member_client

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class FakeClamd(socketserver.StreamRequestHandler):
    received: list[bytes] = []

    def handle(self) -> None:
        assert self.rfile.read(10) == b"zINSTREAM\0"
        content = b""
        while size := struct.unpack(">I", self.rfile.read(4))[0]:
            content += self.rfile.read(size)
        FakeClamd.received.append(content)
        found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in content
        self.wfile.write(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")


@pytest.fixture
def clamd(settings):
    folder = Path(tempfile.mkdtemp(prefix="clamd", dir="/tmp"))
    path = str(folder / "clamd.ctl")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeClamd.received = []
    settings.CLAMAV_SOCKET = path
    settings.CLAMAV_TIMEOUT = 5
    yield path
    server.shutdown()
    server.server_close()
    Path(path).unlink(missing_ok=True)
    folder.rmdir()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def test_the_client_speaks_instream_in_chunks(clamd):
    content = PDF + b"x" * 200_000  # several 64 KiB chunks
    assert instream(clamd, io.BytesIO(content)) == "stream: OK"
    assert FakeClamd.received == [content]


@pytest.mark.django_db
def test_a_clean_document_is_scanned_then_stored(clamd, media):
    world = _build_world()
    client, _ = _member_client(world.owner, Role.REFERENT)
    before = world.youth.documents.count()
    response = client.post(
        f"/jeunes/{world.youth.pk}/documents/ajouter/",
        {"category": "identity", "title": "Pièce", "file": SimpleUploadedFile("cni.pdf", PDF)},
    )
    assert response.status_code == 302
    assert FakeClamd.received == [PDF]
    assert world.youth.documents.count() == before + 1


@pytest.mark.django_db
def test_an_infected_document_is_refused_and_nothing_is_stored(clamd, media):
    world = _build_world()
    client, _ = _member_client(world.owner, Role.REFERENT)
    before, files = world.youth.documents.count(), stored_files(media)
    infected = SimpleUploadedFile("cni.pdf", PDF + EICAR)
    response = client.post(
        f"/jeunes/{world.youth.pk}/documents/ajouter/",
        {"category": "identity", "title": "Pièce", "file": infected},
    )
    assert response.status_code == 200
    assert "l&#x27;antivirus y a détecté un virus (Eicar-Signature)" in response.content.decode()
    assert world.youth.documents.count() == before
    assert stored_files(media) == files


@pytest.mark.django_db
def test_a_configured_but_silent_scanner_refuses_the_upload_with_a_clear_message(settings, media):
    settings.CLAMAV_SOCKET = "/tmp/clamd-absent/clamd.ctl"
    world = _build_world()
    client, _ = _member_client(world.owner, Role.REFERENT)
    before, files = world.youth.documents.count(), stored_files(media)
    response = client.post(
        f"/jeunes/{world.youth.pk}/documents/ajouter/",
        {"category": "identity", "title": "Pièce", "file": SimpleUploadedFile("cni.pdf", PDF)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "antivirus est indisponible : le fichier n&#x27;a pas été enregistré" in page
    assert world.youth.documents.count() == before
    assert stored_files(media) == files


def test_without_a_scanner_configured_nothing_is_sent(settings):
    settings.CLAMAV_SOCKET = ""
    scan_upload(io.BytesIO(EICAR))  # no scanner, no refusal: the type check stays


def test_a_guide_upload_is_scanned_too(clamd):
    from coparcours.directory.guides import validate_guide_file

    with pytest.raises(ValidationError, match="détecté un virus"):
        validate_guide_file(SimpleUploadedFile("guide.pdf", PDF + EICAR))
