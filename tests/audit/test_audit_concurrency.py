"""Concurrent writers queue on the head row instead of forking the chain.

Each thread opens its own connection. On PostgreSQL this is the READ COMMITTED race that forked
the chain when writers locked the last event instead of the head. On SQLite it exercises what
production relies on: a database file, IMMEDIATE transactions and the busy timeout.

The default SQLite test database lives in memory with a shared cache, where a second writer fails
at once with "database table is locked" instead of waiting; that says nothing about production.
So in that case, and only for this test, every thread (the main one included, while it prepares
and checks) swaps its own thread-local "default" connection for one to a temporary file with the
same settings, migrated for the audit app.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor

from bagalau.audit.models import AuditEvent, AuditHead
from bagalau.audit.services import record_event
from bagalau.audit.verify import verify_chain

THREADS = 4
EVENTS_PER_THREAD = 10


@contextmanager
def _default_database(settings_dict: dict[str, Any] | None) -> Iterator[None]:
    """In this thread only, make the "default" alias point at settings_dict (None: leave it)."""
    if settings_dict is None:
        yield
        return
    original = connections[DEFAULT_DB_ALIAS]
    replacement = type(original)(settings_dict, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = replacement
    try:
        yield
    finally:
        replacement.close()
        connections[DEFAULT_DB_ALIAS] = original


@pytest.fixture
def shared_database(tmp_path) -> dict[str, Any] | None:
    """Settings of a database several connections can really share, or None for the configured one."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.vendor != "sqlite" or not default.creation.is_in_memory_db(default.settings_dict["NAME"]):
        return None
    settings_dict = {**copy.deepcopy(default.settings_dict), "NAME": str(tmp_path / "audit.sqlite3")}
    with _default_database(settings_dict):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        executor.migrate(executor.loader.graph.leaf_nodes("audit"))
    return settings_dict


def _writer(worker: int, database: dict[str, Any] | None, start: threading.Barrier,
            errors: list[BaseException]) -> None:
    try:
        with _default_database(database):
            start.wait()
            for i in range(EVENTS_PER_THREAD):
                with transaction.atomic():
                    record_event(action="test.concurrent", object_type="tests.worker", object_id=str(worker),
                                 payload={"i": i})
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which fails the test
        errors.append(exc)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain(shared_database):
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=_writer, args=(n, shared_database, start, errors)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    total = THREADS * EVENTS_PER_THREAD
    with _default_database(shared_database):
        result = verify_chain()
        assert (result.ok, result.checked, result.reason) == (True, total, "")
        assert AuditEvent.objects.count() == total
        assert AuditEvent.objects.values("hash").distinct().count() == total
        assert AuditEvent.objects.values("prev_hash").distinct().count() == total
        assert AuditHead.objects.get().event_count == total
        assert set(AuditEvent.objects.values_list("object_id", flat=True)) == {str(n) for n in range(THREADS)}
