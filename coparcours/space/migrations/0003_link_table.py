# The link no longer names a pathway; its table takes the space's name.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('space', '0002_link_per_youth'),
    ]

    operations = [
        migrations.AlterField(
            model_name='youthlink',
            name='youth',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='space_links', to='youths.youth', verbose_name='jeune'),
        ),
        migrations.RemoveField(model_name='youthlink', name='pathway'),
        migrations.AlterField(
            model_name='youthlink',
            name='failed_attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='réponses erronées'),
        ),
        migrations.AlterModelOptions(
            name='youthlink',
            options={'verbose_name': "lien vers l'espace du jeune", 'verbose_name_plural': "liens vers l'espace du jeune"},
        ),
        migrations.AlterModelTable(name='youthlink', table=None),
    ]
