"""Make the database itself refuse to rewrite the audit trail.

audit_auditevent: no UPDATE, no DELETE, no TRUNCATE. audit_audithead: UPDATE allowed (it is the
lock writers take and move forward), DELETE and TRUNCATE refused.

PostgreSQL raises with ERRCODE restrict_violation so Django maps it to IntegrityError, as SQLite's
RAISE(ABORT) is; without it PG would give ProgrammingError. TRUNCATE is allowed only on a
connection started with `-c audit.allow_truncate=on` (test settings only), so that test flushes
work and production connections cannot wipe the trail.

SQLite has no TRUNCATE (Django flushes with DELETE FROM), so its DELETE triggers consult
bagalau_audit_flushing(), a function the audit app registers on every connection that returns 1
only while `manage.py flush` empties a test database (see bagalau.audit.dbguard).

Careful: on SQLite, a later migration that alters one of these tables rebuilds it and drops its
triggers. Such a migration must run this file's SQLite statements again;
tests/audit/test_audit_append_only.py checks that the triggers exist after all migrations.
"""

from django.db import migrations

EVENT_MESSAGE = "audit_event is append-only"
HEAD_MESSAGE = "audit_head cannot be deleted"

SQLITE_TRIGGERS = {
    "audit_auditevent_no_update": (
        "CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent "
        f"BEGIN SELECT RAISE(ABORT, '{EVENT_MESSAGE}'); END"
    ),
    "audit_auditevent_no_delete": (
        "CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent "
        f"WHEN bagalau_audit_flushing() = 0 BEGIN SELECT RAISE(ABORT, '{EVENT_MESSAGE}'); END"
    ),
    "audit_audithead_no_delete": (
        "CREATE TRIGGER audit_audithead_no_delete BEFORE DELETE ON audit_audithead "
        f"WHEN bagalau_audit_flushing() = 0 BEGIN SELECT RAISE(ABORT, '{HEAD_MESSAGE}'); END"
    ),
}

PG_FUNCTIONS = [
    """
    CREATE OR REPLACE FUNCTION bagalau_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION bagalau_audit_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('audit.allow_truncate', true), '') = 'on' THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
    END $$
    """,
]

PG_TRIGGERS = {
    ("audit_auditevent_append_only", "audit_auditevent"): (
        f"BEFORE UPDATE OR DELETE ON audit_auditevent FOR EACH ROW "
        f"EXECUTE FUNCTION bagalau_audit_refuse('{EVENT_MESSAGE}')"
    ),
    ("audit_auditevent_no_truncate", "audit_auditevent"): (
        f"BEFORE TRUNCATE ON audit_auditevent FOR EACH STATEMENT "
        f"EXECUTE FUNCTION bagalau_audit_refuse_truncate('{EVENT_MESSAGE}')"
    ),
    ("audit_audithead_no_delete", "audit_audithead"): (
        f"BEFORE DELETE ON audit_audithead FOR EACH ROW EXECUTE FUNCTION bagalau_audit_refuse('{HEAD_MESSAGE}')"
    ),
    ("audit_audithead_no_truncate", "audit_audithead"): (
        f"BEFORE TRUNCATE ON audit_audithead FOR EACH STATEMENT "
        f"EXECUTE FUNCTION bagalau_audit_refuse_truncate('{HEAD_MESSAGE}')"
    ),
}


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE_TRIGGERS.values():
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        for sql in PG_FUNCTIONS:
            # params=None: the bodies contain a literal %, which must not be read as a placeholder.
            schema_editor.execute(sql, params=None)
        for (name, _table), body in PG_TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
    else:
        raise NotImplementedError(f"audit triggers are not written for {vendor}; the trail would be editable")


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
    elif vendor == "postgresql":
        for name, table in PG_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS bagalau_audit_refuse_truncate()")
        schema_editor.execute("DROP FUNCTION IF EXISTS bagalau_audit_refuse()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_head_row")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
