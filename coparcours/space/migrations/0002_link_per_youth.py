# One link per youth, whichever programme gave it: the youth comes from the pathway.

import django.db.models.deletion
from django.db import migrations, models


def youth_of_pathway(apps, schema_editor):
    YouthLink = apps.get_model('space', 'YouthLink')
    for link in YouthLink.objects.select_related('pathway').only('pk', 'pathway__youth_id'):
        YouthLink.objects.filter(pk=link.pk).update(youth_id=link.pathway.youth_id)


class Migration(migrations.Migration):

    dependencies = [
        ('space', '0001_initial'),
        ('organisations', '0005_contact_phones'),
        ('youths', '0008_home_notice_indexes'),
    ]

    operations = [
        migrations.AddField(
            model_name='youthlink',
            name='youth',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='space_links', to='youths.youth', verbose_name='jeune'),
        ),
        migrations.AddField(
            model_name='youthlink',
            name='organisation',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organisations.organisation', verbose_name="organisation qui l'a donné"),
        ),
        # Existing links only: a new database has none (elidable, tests/database.py).
        migrations.RunPython(youth_of_pathway, migrations.RunPython.noop, elidable=True),
    ]
