"""Create the single AuditHead row every writer locks; it starts at the genesis hash."""

from django.db import migrations

GENESIS_HASH = "0" * 64


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"last_hash": GENESIS_HASH, "event_count": 0}
    )


def delete_head(apps, schema_editor):
    AuditHead = apps.get_model("audit", "AuditHead")
    AuditHead.objects.using(schema_editor.connection.alias).filter(pk=1).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_head, delete_head)]
