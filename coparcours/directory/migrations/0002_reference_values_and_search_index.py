"""Load the data·inclusion value lists and, on PostgreSQL, trigram indexes for the search.

The search column is already accent-free and lower-case (``rules.normalise``), so a
``gin_trgm_ops`` index serves ``LIKE '%…%'`` on it; SQLite scans the same column.
"""

from django.db import migrations


def load_values(apps, schema_editor):
    from coparcours.directory.services.exchange import sync_reference_values

    sync_reference_values(apps.get_model("directory", "ReferenceValue"))


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in ("directory_service", "directory_structure"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_text gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("directory_service", "directory_structure"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.RunPython(load_values, migrations.RunPython.noop),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
