import datetime

from django.db import migrations


def create_defaults(apps, schema_editor):
    HousingSettings = apps.get_model("housing", "HousingSettings")
    HousingSettings.objects.get_or_create(
        valid_from=datetime.date(2016, 3, 14),
        defaults={
            "preparation_interview_days": 365,
            "coordinator_alert_days": 90,
            "saturation_threshold_percent": 95,
            "after_18_max_age": 21,
            "source": "CASF L.222-5 et L.222-5-1 (loi n° 2016-297 du 14 mars 2016) ; "
            "alerte et seuil : choix du groupement",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("housing", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
