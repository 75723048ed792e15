"""Two commission members voting at the same instant both count, once each; one member's double
submission (two requests racing) counts once.

Each voter is a thread with its own database connection, released together by a barrier, so the
two transactions really overlap: on PostgreSQL they race on READ COMMITTED and the item's row lock
(`lock_item`) must serialize them; on SQLite the threads share a database file (the in-memory test
database cannot hold two writers; see tests/audit/test_audit_concurrency.py) with IMMEDIATE
transactions and the busy timeout, as in production."""

from __future__ import annotations

import copy
import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor

from bagalau.audit.models import AuditEvent
from bagalau.commission import selectors, services
from bagalau.commission.models import Vote
from tests import factories
from tests.clock import install_fake_clock
from tests.commission import kit


@contextmanager
def _default_database(settings_dict: dict[str, Any] | None) -> Iterator[None]:
    """In this thread only, make the "default" alias point at settings_dict (None: leave it)."""
    if settings_dict is None:
        try:
            yield
        finally:
            if threading.current_thread() is not threading.main_thread():
                connections[DEFAULT_DB_ALIAS].close()
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
def shared_database(transactional_db, tmp_path) -> dict[str, Any] | None:
    default = connections[DEFAULT_DB_ALIAS]
    if default.vendor != "sqlite" or not default.creation.is_in_memory_db(default.settings_dict["NAME"]):
        return None
    settings_dict = {**copy.deepcopy(default.settings_dict), "NAME": str(tmp_path / "votes.sqlite3")}
    with _default_database(settings_dict):
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        executor.migrate(executor.loader.graph.leaf_nodes())
    return settings_dict


@pytest.fixture
def sitting(shared_database, monkeypatch):
    """The commission world with a sitting in session (m1..m4 present), committed."""
    clock = install_fake_clock(monkeypatch, dt.date(2024, 1, 10))
    with _default_database(shared_database):
        hr = factories.user("hr_votes")
        body = factories.body("Votes body")
        factories.grant(hr, body)
        world = kit.build(body, hr, clock)
        kit.form(world)
        meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4"))
        item = kit.item_of(meeting, world, "head_d")
    return shared_database, world, item


def _race(settings_dict: dict[str, Any] | None, calls: list[Any]) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def run(call: Any) -> None:
        with _default_database(settings_dict):
            try:
                barrier.wait(timeout=30)
                call()
            except BaseException as exc:  # noqa: BLE001 - reported to the main thread
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a voter never finished"
    return errors


def test_two_members_voting_at_the_same_instant_both_count_once(sitting):
    settings_dict, world, item = sitting
    body, m2, m3 = world.body, world.user("m2"), world.user("m3")
    errors = _race(settings_dict, [
        lambda: services.cast_vote(m2, body, item.pk, choice="approve"),
        lambda: services.cast_vote(m3, body, item.pk, choice="approve"),
    ])
    assert not errors
    with _default_database(settings_dict):
        votes = sorted(Vote.objects.filter(item_id=item.pk).values_list("user_id", "choice", "changes"))
        tally = selectors.item_tally(world.hr, body, item.pk)
        events = AuditEvent.objects.filter(action="commission.item.vote", object_id=str(item.pk)).count()
    assert votes == sorted([(m2.pk, "approve", 0), (m3.pk, "approve", 0)])
    assert (tally.approve, tally.revise) == (2, 0)
    assert events == 2


def test_one_member_submitting_twice_at_the_same_instant_counts_once(sitting):
    settings_dict, world, item = sitting
    body, m2 = world.body, world.user("m2")
    errors = _race(settings_dict, [
        lambda: services.cast_vote(m2, body, item.pk, choice="approve"),
        lambda: services.cast_vote(m2, body, item.pk, choice="approve"),
    ])
    assert not errors
    with _default_database(settings_dict):
        votes = list(Vote.objects.filter(item_id=item.pk).values_list("user_id", "choice", "changes"))
        tally = selectors.item_tally(world.hr, body, item.pk)
        events = AuditEvent.objects.filter(action="commission.item.vote", object_id=str(item.pk)).count()
    assert votes == [(m2.pk, "approve", 0)]
    assert (tally.approve, tally.revise) == (1, 0)
    assert events == 1
