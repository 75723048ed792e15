"""Helpers for the audit tests: writing events the normal way, and tampering the way someone with
the database owner's rights could, by switching the append-only triggers off for a moment."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.db import connection, transaction

from bagalau.audit.models import AuditEvent
from bagalau.audit.services import record_event

AUDIT_TABLES = ("audit_auditevent", "audit_audithead")


@contextmanager
def triggers_bypassed() -> Iterator[None]:
    """Run the block with the audit triggers off, then put them back exactly as they were.

    SQLite cannot disable a trigger, so its definitions are read from sqlite_master, dropped and
    re-created; PostgreSQL has ALTER TABLE ... DISABLE TRIGGER USER.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(AUDIT_TABLES))
            cursor.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",
                AUDIT_TABLES,
            )
            saved = cursor.fetchall()
            assert saved, "no audit triggers found to bypass"
            for name, _sql in saved:
                cursor.execute(f"DROP TRIGGER {name}")
            yield
            for _name, sql in saved:
                cursor.execute(sql)
        else:
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            for table in AUDIT_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def write_events() -> Callable[..., list[AuditEvent]]:
    """write_events(n, **fields): record n events, each in its own transaction like a service."""

    def write(n: int, **fields) -> list[AuditEvent]:
        events = []
        for i in range(n):
            with transaction.atomic():
                kwargs = {"action": "test.step", "object_type": "tests.thing", "object_id": str(i),
                          "payload": {"step": i}, **fields}
                events.append(record_event(**kwargs))
        return events

    return write
