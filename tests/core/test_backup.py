"""`coparcours backup` / `coparcours restore`: a restore gives back identical data, audit log
and uploaded files included, and a damaged archive is refused before anything is written."""

from __future__ import annotations

import io
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from coparcours.core import audit
from coparcours.core.access import Category
from coparcours.core.backup import BackupError, create_backup, restore_backup
from coparcours.core.models import AuditEvent, AuditLog
from coparcours.youths.factories import YouthFactory
from coparcours.youths.models import Document, Youth
from tests.conftest import empty_audit_log_on_sqlite

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path, transactional_db):
    """A transactional database (the restore replaces it whole) and uploads in a scratch
    folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    yield
    empty_audit_log_on_sqlite()


def _snapshot() -> str:
    out = io.StringIO()
    call_command(
        "dumpdata",
        "core",
        "accounts",
        "organisations",
        "youths",
        "--natural-foreign",
        "--indent=0",
        stdout=out,
    )
    return out.getvalue()


def _world() -> Document:
    youth = YouthFactory(last_name="Sauvegarde")
    document = Document(
        youth=youth,
        category=Category.ADMIN_DOCUMENTS,
        title="Pièce d'identité",
        original_name="identite.pdf",
        content_type="application/pdf",
        size=len(PDF),
        author_organisation=youth.owner_organisation,
    )
    document.file.save("identite.pdf", ContentFile(PDF), save=True)
    audit.record(None, AuditEvent.READ, youth_id=youth.pk, category=Category.IDENTITY)
    return document


def test_restore_gives_back_identical_data_and_files(tmp_path):
    document = _world()
    before = _snapshot()
    assert AuditLog.objects.exists()
    archive = create_backup(tmp_path / "backups")

    # life goes on after the backup: new records, changes, a file lost
    YouthFactory(last_name="Apres")
    Youth.objects.filter(last_name="SAUVEGARDE").update(first_names="Modifie")
    audit.record(None, AuditEvent.READ, youth_id=document.youth_id, category=Category.CONTACT)
    document.file.storage.delete(document.file.name)
    assert _snapshot() != before

    restore_backup(archive)

    assert _snapshot() == before  # the audit log included, row for row
    assert not Youth.objects.filter(last_name="APRES").exists()
    restored = Document.objects.get(pk=document.pk)
    with restored.file.open("rb") as stream:
        assert stream.read() == PDF


def test_a_site_without_uploaded_files_is_restored(settings, tmp_path):
    """Its archive has no media/ member: the restore gives back the data and no file."""
    YouthFactory(last_name="Sauvegarde")
    before = _snapshot()
    archive = create_backup(tmp_path / "backups")
    with tarfile.open(archive) as tar:
        assert not [name for name in tar.getnames() if name.startswith("media")]
    YouthFactory(last_name="Apres")

    restore_backup(archive)

    assert _snapshot() == before
    assert list(settings.MEDIA_ROOT.iterdir()) == []


def test_a_damaged_archive_is_refused_and_nothing_changes(tmp_path):
    _world()
    archive = create_backup(tmp_path / "backups")
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data.replace(b"%PDF", b"%XXX")
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    YouthFactory(last_name="Apres")
    before = _snapshot()

    with pytest.raises(BackupError, match="altéré"):
        restore_backup(damaged)
    assert _snapshot() == before


def test_restore_command_asks_for_confirmation(tmp_path):
    archive = create_backup(tmp_path / "backups")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    with pytest.raises(CommandError, match="illisible"):
        call_command("restore", str(tmp_path / "absent.tar"), "--yes")


def test_backup_command_writes_an_archive(tmp_path):
    out = io.StringIO()
    call_command("backup", str(tmp_path / "out"), stdout=out)
    archives = list((tmp_path / "out").glob("coparcours-*.tar"))
    assert len(archives) == 1 and "Sauvegarde écrite" in out.getvalue()
