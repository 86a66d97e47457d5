"""Backups of everything Coparcours holds: the database (audit log included) and the
uploaded files, in one archive that a restore checks before it writes anything.

PostgreSQL is dumped with ``pg_dump --format=custom`` and restored with ``pg_restore
--clean``; SQLite is copied with its online backup API (consistent while the site runs).
The archive (``.tar``) holds ``manifest.json`` (date, database engine, the last migration of
each app, a SHA-256 of every member), the database, and ``media/``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot proceed; the message is for the operator, in French."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump / pg_restore, the password through the environment."""
    db = connection.settings_dict
    arguments = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        arguments += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        arguments += ["--port", str(db["PORT"])]
    if db.get("USER"):
        arguments += ["--username", db["USER"]]
    environment = dict(os.environ)
    if db.get("PASSWORD"):
        environment["PGPASSWORD"] = db["PASSWORD"]
    return arguments, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    try:
        subprocess.run(  # noqa: S603 - fixed programs, arguments from the settings
            command, env=environment, check=True, capture_output=True, text=True
        )
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} est introuvable : installez les outils clients PostgreSQL."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} a échoué : {error.stderr.strip()}") from error


def _dump_database(target: Path) -> str:
    """Write the database to ``target``; returns the member's name in the archive."""
    if connection.vendor == "postgresql":
        arguments, environment = _pg_environment()
        name = "database.pgdump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--file", str(target / name), *arguments],
            environment,
        )
        return name
    if connection.vendor == "sqlite":
        name = "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target / name)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return name
    raise BackupError(f"Base de données non prise en charge : {connection.vendor}.")


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        latest[app] = max(latest.get(app, ""), name)
    return latest


def create_backup(directory: Path) -> Path:
    """Write a backup archive into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    archive = directory / f"coparcours-{stamp}.tar"
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        database = _dump_database(work)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            shutil.copytree(media_root, work / MEDIA)
        else:
            (work / MEDIA).mkdir()
        members = sorted(
            path.relative_to(work).as_posix() for path in work.rglob("*") if path.is_file()
        )
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "engine": connection.vendor,
            "database": database,
            "migrations": _migrations(),
            "files": {member: _sha256(work / member) for member in members},
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = archive.with_suffix(".tar.partial")
        with tarfile.open(partial, "w") as tar:
            tar.add(work / MANIFEST, arcname=MANIFEST)
            for member in members:
                tar.add(work / member, arcname=member)
        partial.rename(archive)  # a backup interrupted half-way never looks complete
    return archive


def _extract(archive: Path, target: Path) -> dict:
    """Unpack and verify the archive; raises before anything is restored."""
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"Archive illisible : {archive} ({error}).") from error
    try:
        manifest = json.loads((target / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(
            "L'archive n'a pas de manifeste lisible : ce n'est pas une sauvegarde Coparcours."
        ) from error
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Format de sauvegarde inconnu : {manifest.get('format')}.")
    for member, expected in manifest["files"].items():
        path = target / member
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"Fichier absent ou altéré dans l'archive : {member}.")
    if manifest["engine"] != connection.vendor:
        raise BackupError(
            f"Cette sauvegarde vient d'une base {manifest['engine']} ; la base configurée est "
            f"{connection.vendor}. Restaurez-la sur le même moteur."
        )
    return manifest


def restore_backup(archive: Path) -> dict:
    """Replace the database and the uploaded files by the archive's; returns its manifest.

    The archive is verified whole (checksums, engine) before the first write. The database
    is restored first, then the files are swapped in place of the current ones.
    """
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        manifest = _extract(archive, work)
        # A site without uploaded files leaves no media/ member in its archive.
        (work / MEDIA).mkdir(exist_ok=True)
        database = work / manifest["database"]
        if connection.vendor == "postgresql":
            connection.close()
            arguments, environment = _pg_environment()
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    *arguments,
                    str(database),
                ],
                environment,
            )
        else:
            connection.ensure_connection()
            source = sqlite3.connect(database)
            try:
                source.backup(connection.connection)
            finally:
                source.close()
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            previous = media_root.with_name(media_root.name + ".before-restore")
            shutil.rmtree(previous, ignore_errors=True)
            media_root.rename(previous)
            shutil.copytree(work / MEDIA, media_root)
            shutil.rmtree(previous)
        else:
            shutil.copytree(work / MEDIA, media_root)
    return manifest


def describe(manifest: dict) -> str:
    """One French line about a backup, for the commands' output."""
    files = sum(1 for member in manifest["files"] if member.startswith(MEDIA + "/"))
    return (
        f"sauvegarde du {manifest['created_at'][:19].replace('T', ' ')} UTC, base "
        f"{manifest['engine']}, {files} fichier{'s' if files > 1 else ''} déposé"
        f"{'s' if files > 1 else ''}"
    )
