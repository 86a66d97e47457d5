# The youth's link now belongs to the youth's space (space 0001 takes over the table).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('cej', '0011_home_notice_indexes'),
        ('space', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='YouthLink')],
        ),
    ]
