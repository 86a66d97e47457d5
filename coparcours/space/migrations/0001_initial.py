# The youth's link moves from the CEJ-JR app to the youth's space: the table is kept, only
# Django's state changes here (cej 0012 forgets the model).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cej', '0011_home_notice_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='YouthLink',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='modifié le')),
                        ('token_hash', models.CharField(max_length=64, unique=True)),
                        ('expires_at', models.DateTimeField(verbose_name='expire le')),
                        ('used_at', models.DateTimeField(blank=True, null=True, verbose_name='utilisé le')),
                        ('failed_attempts', models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='dates de naissance erronées')),
                        ('locked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='bloqué le')),
                        ('revoked_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='accès fermé le')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pathway', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='youth_links', to='cej.pathway')),
                    ],
                    options={
                        'verbose_name': 'lien vers la page du jeune',
                        'db_table': 'cej_youthlink',
                    },
                ),
            ],
        ),
    ]
