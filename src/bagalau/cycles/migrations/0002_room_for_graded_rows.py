"""Leave room on every page of the KPI sheets and results for their next version (PostgreSQL).

A sheet and its five results are rewritten again and again: each save by the manager, and the
results computation, which sets the achieved flags and the rating of every sheet of the country
at once. PostgreSQL writes a row's new version on the same page when there is room there and no
indexed column changed (a HOT update): no index entry is added, and the old version is pruned in
place. With the pages packed full, every one of those updates goes to another page and adds an
entry to each of the table's indexes, which made the country-wide grading several times slower.
Half of each page is left free, so a whole page of rows can be rewritten in place. Other
databases have no such setting; nothing is done there.
"""

from django.db import migrations

TABLES = ("cycles_kpisheet", "cycles_kpioutcome")


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET (fillfactor = 50)")


def pack_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("cycles", "0001_initial")]

    operations = [migrations.RunPython(leave_room, pack_full, elidable=False)]
