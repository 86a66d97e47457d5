"""Default retention periods (CNIL référentiel 2023-095; CEJ: décret 2015-59 as amended)."""

import datetime

from django.db import migrations

DEFAULTS = [
    (
        "last_contact",
        24,
        datetime.date(2023, 11, 15),
        "CNIL, référentiel durées de conservation du secteur social et médico-social "
        "(délibération 2023-095) : deux ans après le dernier contact",
    ),
    (
        "cej_end",
        120,
        datetime.date(2022, 3, 1),
        "Contrat d'engagement jeune : dix ans après la fin du contrat (décret 2015-59 modifié)",
    ),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("youths", "RetentionRule")
    for scope, months, valid_from, basis in DEFAULTS:
        RetentionRule.objects.get_or_create(
            scope=scope,
            category="",
            valid_from=valid_from,
            defaults={"months": months, "basis": basis},
        )


def unseed(apps, schema_editor):
    RetentionRule = apps.get_model("youths", "RetentionRule")
    for scope, _months, valid_from, _basis in DEFAULTS:
        RetentionRule.objects.filter(scope=scope, category="", valid_from=valid_from).delete()


class Migration(migrations.Migration):
    dependencies = [("youths", "0002_retention_and_erasure")]

    operations = [migrations.RunPython(seed, unseed)]
