"""How the test databases are built: from the models (pytest-django's ``--no-migrations``,
set in pyproject.toml), then seeded as the migrations seed a new database.

Applying the migrations renders the project's state again for nearly every operation (each
model points to the user model, so each reloads them all): a minute per database, for each
pytest-xdist worker and each CI half. Creating the tables from the models takes seconds.
What the migrations put in a new database besides the tables (the dated rules, the
directory's reference values, the audit log's triggers, the trigram indexes) is their
``RunPython`` and ``RunSQL`` operations, replayed here in the migrations' order against the
project's state; an operation that only transforms rows already there is ``elidable`` and
skipped, as squashing would skip it. ``tests/test_migrations.py`` applies the real
migrations to another database and checks that both roads give the same tables, columns,
constraints, indexes, triggers and rows.
"""

from __future__ import annotations

import re
from typing import Any

from django.apps import apps as global_apps
from django.conf import settings
from django.db.migrations import Migration
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL, SeparateDatabaseAndState
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState
from django.test import override_settings

#: Recorded in ``django_migrations`` once the seeds are in: a database kept between runs
#: (``--reuse-db``) is not seeded twice, nor one built by the real migrations.
SEEDED = ("coparcours_tests", "seeds_of_the_migrations")


def project_migrations() -> list[Migration]:
    """Coparcours's migrations in the order ``migrate`` applies them."""
    with override_settings(MIGRATION_MODULES={}):  # pytest-django disables them
        loader = MigrationLoader(None, ignore_no_migrations=True)
    ordered: list[Migration] = []
    seen: set[tuple[str, str]] = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                ordered.append(loader.graph.nodes[key])
    return [
        m for m in ordered if global_apps.get_app_config(m.app_label).name.startswith("coparcours")
    ]


def seeding_operations(migration: Migration) -> list[Any]:
    """The operations of a migration that write to a new database besides its tables."""
    found = []
    for operation in migration.operations:
        if isinstance(operation, SeparateDatabaseAndState) and operation.database_operations:
            raise NotImplementedError(
                f"{migration.app_label}.{migration.name}: database operations inside "
                "SeparateDatabaseAndState are not replayed on the test databases "
                "(tests/database.py)"
            )
        if isinstance(operation, RunPython | RunSQL) and not operation.elidable:
            found.append(operation)
    return found


def seed_like_the_migrations(connection: Any) -> bool:
    """Replay the migrations' seeding operations on a database whose tables come from the
    models; nothing when it was seeded already or built by the migrations. Returns whether
    it seeded."""
    recorder = MigrationRecorder(connection)
    recorder.ensure_schema()
    if recorder.applied_migrations():
        return False
    state = ProjectState.from_apps(global_apps)
    with connection.schema_editor() as editor:
        for migration in project_migrations():
            for operation in seeding_operations(migration):
                operation.database_forwards(migration.app_label, editor, state, state)
    recorder.record_applied(*SEEDED)
    return True


#: Tables a database has beside the migrations': their record, the cache's table
#: (``createcachetable``, which the test databases' creation runs too).
_NOT_THE_MIGRATIONS = {
    MigrationRecorder.Migration._meta.db_table,
    *(
        cache["LOCATION"]
        for cache in settings.CACHES.values()
        if cache["BACKEND"].endswith("DatabaseCache")
    ),
}


def describe(connection: Any) -> dict[str, Any]:
    """The database as the tests see it: each table's columns, constraints and indexes
    (their names when chosen, not the engine's), its row count, and the triggers."""
    introspection = connection.introspection
    tables: dict[str, Any] = {}
    with connection.cursor() as cursor:
        for table in sorted(introspection.table_names(cursor)):
            if table in _NOT_THE_MIGRATIONS:
                continue
            columns = {
                column.name: [column.type_code, column.null_ok, column.default]
                for column in introspection.get_table_description(cursor, table)
            }
            constraints = sorted(
                [
                    "" if _engine_named(name) else name,
                    sorted(c["columns"] or []),
                    bool(c["primary_key"]),
                    bool(c["unique"]),
                    list(c["foreign_key"] or []),
                    bool(c["check"]),
                    bool(c["index"]),
                    str(c.get("type") or ""),
                ]
                for name, c in introspection.get_constraints(cursor, table).items()
            )
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            tables[table] = {
                "columns": columns,
                "constraints": constraints,
                "rows": cursor.fetchone()[0],
            }
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"
            )
        triggers = sorted([list(row) for row in cursor.fetchall()])
    return {"tables": tables, "triggers": triggers}


def _engine_named(name: str) -> bool:
    """A name the engine gave (SQLite's inline constraints, their indexes and its foreign
    keys, numbered in the order of the table's columns)."""
    return name.startswith(("__unnamed_constraint_", "sqlite_autoindex_", "__primary__")) or (
        re.fullmatch(r"fk_\d+", name) is not None
    )
