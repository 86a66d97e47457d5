"""The migrations, applied for real to a database of their own (on the engine of this run:
SQLite, or PostgreSQL in CI's second half), build the very database the tests run on: the
same tables, columns, constraints, indexes, triggers and rows as the models' tables seeded
by tests/database.py. A production database is always built by the migrations."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.database import SEEDED, describe, project_migrations, seeding_operations

ROOT = Path(__file__).resolve().parents[1]

#: Tables an app took over from another with their indexes and keys, whose names the
#: migrations keep from the former table (space 0001 took cej's youth links): compared
#: without these names.
MOVED_TABLES = ("space_youthlink",)

#: A column of Django's own apps built differently by their migrations and their models:
#: the id of auth's groups-permissions link is a bigint from the former on PostgreSQL, an
#: integer from the latter. Coparcours never reads it.
DJANGOS_OWN_COLUMNS = (("auth_group_permissions", "id"),)

#: Run in another process: migrate the database of DATABASE_URL, then describe it.
MIGRATE_AND_DESCRIBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.db import connection
from tests.database import describe
call_command("migrate", verbosity=0, interactive=False)
print(json.dumps(describe(connection)))
"""


@contextmanager
def database_of_its_own(tmp_path: Path) -> Iterator[str]:
    """The address of an empty database on this run's engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"{settings['NAME']}_migrated"[:63]
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    user = quote(settings["USER"] or "", safe="")
    password = f":{quote(settings['PASSWORD'], safe='')}" if settings["PASSWORD"] else ""
    host = quote(settings["HOST"] or "localhost", safe="")
    try:
        yield f"postgres://{user}{password}@{host}:{settings['PORT'] or 5432}/{name}"
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_the_migrations_build_the_database_the_tests_run_on(tmp_path):
    with database_of_its_own(tmp_path) as address:
        migrated = subprocess.run(
            [sys.executable, "-c", MIGRATE_AND_DESCRIBE],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "coparcours.settings",
                "DATABASE_URL": address,
                "PYTHONPATH": str(ROOT),
            },
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert migrated.returncode == 0, migrated.stderr[-3000:]
    expected = json.loads(migrated.stdout.strip().splitlines()[-1])
    ours = json.loads(json.dumps(describe(connection)))  # the same JSON types
    for description in (ours, expected):
        for table, column in DJANGOS_OWN_COLUMNS:
            description["tables"][table]["columns"].pop(column)
        for table in MOVED_TABLES:
            for constraint in description["tables"][table]["constraints"]:
                constraint[0] = ""
            description["tables"][table]["constraints"].sort()
    assert ours["triggers"] == expected["triggers"]
    assert set(ours["tables"]) ^ set(expected["tables"]) == set()
    different = {
        table: {
            part: (ours["tables"][table][part], found[part])
            for part in found
            if ours["tables"][table][part] != found[part]
        }
        for table, found in expected["tables"].items()
        if ours["tables"][table] != found
    }
    assert different == {}


def test_the_seeding_operations_are_those_of_a_new_database():
    """The replayed operations: the dated rules, reference values, triggers and indexes;
    a transform of existing rows is marked elidable and is not among them."""
    replayed = {
        (migration.app_label, migration.name)
        for migration in project_migrations()
        if seeding_operations(migration)
    }
    assert ("core", "0002_audit_log_append_only") in replayed
    assert ("housing", "0006_default_permit_rules") in replayed
    assert ("space", "0002_link_per_youth") not in replayed
    assert SEEDED[0] not in {migration.app_label for migration in project_migrations()}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transactional_test_returns_to_the_seeded_database():
    """After a transactional test's flush, the next one finds the seeds again: the copy it
    is reloaded from holds them (Django copies only the apps it knows to have migrations)."""
    contents = json.loads(connection._test_serialized_contents)
    models = {row["model"] for row in contents}
    assert {"housing.permitroute", "housing.housingsettings", "youths.retentionrule"} <= models
