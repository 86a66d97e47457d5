"""Default dated settings from the regulation (docs/domain-rules.md); editable in the admin."""

from django.db import migrations

from coparcours.cej.defaults import load_regulation_defaults


def load(apps, schema_editor):
    load_regulation_defaults(apps)


class Migration(migrations.Migration):
    dependencies = [("cej", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
