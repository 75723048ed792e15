"""`manage.py flush`, able to empty the audit tables of a SQLite *test* database.

Django's flush is what pytest-django runs after each transactional test. Without this override it
fails on SQLite, because the audit triggers refuse `DELETE FROM` (see bagalau.audit.dbguard). On a
non-test SQLite database, and on PostgreSQL without `audit.allow_truncate=on`, the triggers still
refuse and flush fails: the legal trail is not wiped by a mistyped command.

After emptying, the chain head row is put back at genesis, so the next event can be recorded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from bagalau.audit.dbguard import sqlite_flush_allowed
from bagalau.audit.models import GENESIS_HASH, HEAD_PK, AuditHead


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        database = options["database"]
        with sqlite_flush_allowed(connections[database]):
            super().handle(**options)
        AuditHead.objects.using(database).get_or_create(
            pk=HEAD_PK, defaults={"last_hash": GENESIS_HASH, "event_count": 0}
        )
