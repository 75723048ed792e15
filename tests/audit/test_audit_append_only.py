"""The database itself refuses to rewrite the trail, through the ORM and through raw SQL alike,
and on both SQLite and PostgreSQL with the same exception (IntegrityError)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import F

from bagalau.audit.models import AuditEvent, AuditHead
from bagalau.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _bulk_wipe(event: AuditEvent) -> None:
    """What each database calls emptying a table outside a test flush."""
    if connection.vendor == "postgresql":
        _raw("SET LOCAL audit.allow_truncate = 'off'")
        _raw("TRUNCATE audit_auditevent")
    else:
        _raw("DELETE FROM audit_auditevent")


def _save_existing(event: AuditEvent) -> None:
    event.action = "forged"
    event.save()


TAMPERING = {
    "orm-update": lambda e: AuditEvent.objects.filter(pk=e.pk).update(action="forged"),
    "orm-bulk-update": lambda e: AuditEvent.objects.update(payload={}),
    "orm-queryset-delete": lambda e: AuditEvent.objects.filter(pk=e.pk).delete(),
    "orm-instance-delete": lambda e: e.delete(),
    "orm-instance-save": _save_existing,
    "raw-update": lambda e: _raw("UPDATE audit_auditevent SET action = 'forged' WHERE id = %s", [e.pk]),
    "raw-delete": lambda e: _raw("DELETE FROM audit_auditevent WHERE id = %s", [e.pk]),
    "bulk-wipe": _bulk_wipe,
    "head-orm-delete": lambda e: AuditHead.objects.all().delete(),
    "head-raw-delete": lambda e: _raw("DELETE FROM audit_audithead"),
}


@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_rewriting_the_trail_raises_integrity_error(write_events, tamper):
    event = write_events(2)[0]
    before = AuditEvent.objects.values().get(pk=event.pk)
    with pytest.raises(IntegrityError, match="audit_(event is append-only|head cannot be deleted)"):
        with transaction.atomic():
            tamper(event)
    assert AuditEvent.objects.values().get(pk=event.pk) == before
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


def test_head_row_can_be_updated_because_it_is_the_writers_lock(write_events):
    write_events(1)
    with transaction.atomic():
        AuditHead.objects.update(event_count=F("event_count") + 1)
    assert AuditHead.objects.get().event_count == 2


def _installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        return {row[0] for row in cursor.fetchall()}


def test_triggers_survive_all_migrations():
    """A later migration that rebuilds an audit table on SQLite drops its triggers silently; this
    test is what notices."""
    expected = {
        "sqlite": {"audit_auditevent_no_update", "audit_auditevent_no_delete", "audit_audithead_no_delete"},
        "postgresql": {"audit_auditevent_append_only", "audit_auditevent_no_truncate",
                       "audit_audithead_no_delete", "audit_audithead_no_truncate"},
    }[connection.vendor]
    assert expected <= _installed_triggers()
