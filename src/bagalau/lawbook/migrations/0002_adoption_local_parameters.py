from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('lawbook', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='methodologyadoption',
            name='local_parameters',
            field=models.JSONField(blank=True, default=dict, help_text="Values the version leaves open (the ranking scale and quotas, the competency annex), keyed by parameter name, each with its value, the clause and title of the body's own act, and whether it is verified.", verbose_name="the body's own parameters"),
        ),
    ]
