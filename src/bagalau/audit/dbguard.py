"""The one door through which the audit tables may be emptied: flushing a *test* database.

pytest-django empties the database after every transactional test with `manage.py flush`. On
PostgreSQL that is a TRUNCATE, which the audit trigger allows only on connections opened with
`audit.allow_truncate=on` (config/settings_test.py sets it). SQLite has no TRUNCATE and no session
settings: flush there is `DELETE FROM` each table, which the row triggers refuse. So the SQLite
triggers ask a per-connection SQL function, `bagalau_audit_flushing()`, registered on every
connection below; it returns 1 only while this app's `flush` command runs against a test database.
A connection that lacks the function (the sqlite3 shell, another program) fails the WHEN clause
with "no such function", so the guard fails closed.

SQLite triggers protect the trail from the application, not from whoever owns the file (they can
drop a trigger); the hash chain is what makes such tampering visible.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_FLUSH_FUNCTION = "bagalau_audit_flushing"

_state = threading.local()


def _flushing() -> int:
    return 1 if getattr(_state, "flushing", False) else 0


def register_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: give every SQLite connection the function the triggers call."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FLUSH_FUNCTION, 0, _flushing)


def is_test_database(connection: BaseDatabaseWrapper) -> bool:
    """True when the connection points at the database the test runner created, never at the
    configured one (a production settings file does not name its own database as TEST NAME)."""
    # _get_test_db_name() is how Django's own test runner names that database (private, but stable
    # since Django 1.x and defined on every backend's creation class).
    test_name = connection.creation._get_test_db_name()  # type: ignore[attr-defined]
    return connection.settings_dict["NAME"] == test_name


@contextmanager
def sqlite_flush_allowed(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Let this thread's SQLite connections empty the audit tables, on a test database only."""
    allowed = connection.vendor == "sqlite" and is_test_database(connection)
    previous = getattr(_state, "flushing", False)
    _state.flushing = previous or allowed
    try:
        yield
    finally:
        _state.flushing = previous
