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
from bagalau.commission.models import CommissionMeeting, Vote
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


def _hold(settings_dict: dict[str, Any] | None, lock: Any, held: threading.Event, release: threading.Event,
          released_at: list[float]) -> threading.Thread:
    """A thread that takes `lock()` in a transaction, says so, and commits only when told."""
    import time

    from django.db import transaction

    def run() -> None:
        with _default_database(settings_dict):
            with transaction.atomic():
                lock()
                held.set()
                release.wait(timeout=30)
                released_at.append(time.monotonic())

    thread = threading.Thread(target=run)
    thread.start()
    assert held.wait(timeout=30), "the lock was never taken"
    return thread


def _timed_vote(settings_dict: dict[str, Any] | None, user: Any, body: Any, item_id: int, done_at: list[float]
                ) -> threading.Thread:
    import time

    def run() -> None:
        with _default_database(settings_dict):
            services.cast_vote(user, body, item_id, choice="approve")
            done_at.append(time.monotonic())

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_vote_waits_for_a_move_that_changes_the_sitting(sitting):
    """Attendance, opening and concluding lock the meeting for update: a vote must not slip in
    between their reads and their writes."""
    from bagalau.commission.services._base import lock_meeting

    settings_dict, world, item = sitting
    held, release, released_at, done_at = threading.Event(), threading.Event(), [], []
    holder = _hold(settings_dict, lambda: lock_meeting(world.body, item.meeting_id), held, release, released_at)
    voter = _timed_vote(settings_dict, world.user("m2"), world.body, item.pk, done_at)
    voter.join(timeout=0.5)
    assert voter.is_alive(), "the vote went through while the sitting was being changed"
    release.set()
    holder.join(timeout=30)
    voter.join(timeout=30)
    assert done_at and released_at and done_at[0] >= released_at[0]


def test_votes_on_two_items_of_one_sitting_do_not_wait_for_each_other(sitting):
    """A vote locks its own item (and shares the meeting): a member voting on another item of the
    same sitting goes through meanwhile. SQLite has one writer at a time, so there it waits."""
    from django.db import connection

    from bagalau.commission.services._base import lock_item

    settings_dict, world, item = sitting
    with _default_database(settings_dict):
        other = kit.item_of(CommissionMeeting.objects.get(pk=item.meeting_id), world, "head_c")
    held, release, released_at, done_at = threading.Event(), threading.Event(), [], []
    holder = _hold(settings_dict, lambda: lock_item(world.body, item.pk, meeting_changes=False), held, release,
                   released_at)
    voter = _timed_vote(settings_dict, world.user("m3"), world.body, other.pk, done_at)
    voter.join(timeout=10 if connection.vendor == "postgresql" else 0.5)
    finished_first = bool(done_at)
    release.set()
    holder.join(timeout=30)
    voter.join(timeout=30)
    assert done_at, "the vote on the other item never went through"
    assert finished_first == (connection.vendor == "postgresql")
    with _default_database(settings_dict):
        assert Vote.objects.filter(item_id=other.pk, user=world.user("m3")).count() == 1
