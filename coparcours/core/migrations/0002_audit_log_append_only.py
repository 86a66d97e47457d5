"""Database triggers that refuse UPDATE and DELETE on the audit log (append-only)."""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_auditlog_no_update BEFORE UPDATE ON core_auditlog
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
    """CREATE TRIGGER core_auditlog_no_delete BEFORE DELETE ON core_auditlog
       BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditlog_no_update;",
    "DROP TRIGGER IF EXISTS core_auditlog_no_delete;",
]
POSTGRESQL = [
    """CREATE FUNCTION core_auditlog_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER core_auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog
       FOR EACH ROW EXECUTE FUNCTION core_auditlog_refuse_change();""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS core_auditlog_append_only ON core_auditlog;",
    "DROP FUNCTION IF EXISTS core_auditlog_refuse_change();",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
