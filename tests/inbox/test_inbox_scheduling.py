"""The sweep keeps itself going under the database backend, with at most one sweep pending, and
never reschedules under the other backends."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bagalau.inbox import scheduling
from bagalau.inbox.models import SweepState
from bagalau.inbox.tasks import sweep

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
SWEEP_PATH = "bagalau.inbox.tasks.sweep"


def ready_sweeps():
    return DBTaskResult.objects.filter(task_path=SWEEP_PATH, status="READY")


def ensure() -> str:
    out = io.StringIO()
    call_command("ensure_sweeper", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_ensure_sweeper_enqueues_one_sweep_and_only_one():
    assert "enqueued sweep task" in ensure()
    [pending] = ready_sweeps()
    assert pending.task.run_after is None  # as soon as a worker is free

    assert f"already pending: task {pending.id}" in ensure()
    assert ready_sweeps().count() == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, BAGALAU_SWEEP_SECONDS=300)
def test_a_running_sweep_schedules_the_next_one_once():
    before = timezone.now()
    sweep.call()  # what the worker does with a sweep task
    sweep.call()  # a second run while the next is pending adds none
    after = timezone.now()

    [pending] = ready_sweeps()
    assert before + timezone.timedelta(seconds=300) <= pending.run_after <= after + timezone.timedelta(seconds=300)
    state = SweepState.objects.get()
    assert state.next_run_at == pending.run_after
    assert "reminders_queued" in state.last_summary


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_pending_sweep_due_later_counts_as_pending():
    first = scheduling.schedule_next(now=timezone.now())
    assert first.enqueued
    again = scheduling.schedule_sweep(run_after=None)
    assert not again.enqueued and again.task_id == first.task_id
    assert ready_sweeps().count() == 1


@pytest.mark.django_db
def test_no_self_scheduling_outside_the_database_backend():
    # settings_test uses the ImmediateBackend: the sweep runs at once and schedules nothing.
    result = sweep.enqueue("2024-05-04")
    assert result.status == "SUCCESSFUL"
    assert result.return_value["today"] == "2024-05-04"
    assert DBTaskResult.objects.count() == 0
    assert "not django_tasks_db.DatabaseBackend" in ensure()


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_a_failed_first_scheduling_is_retried_after_the_pass(monkeypatch):
    real = scheduling.schedule_next
    calls = []

    def flaky(*, now):
        calls.append(now)
        if len(calls) == 1:
            raise RuntimeError("database is locked")
        return real(now=now)

    monkeypatch.setattr(scheduling, "schedule_next", flaky)
    sweep.call()
    assert len(calls) == 2
    assert ready_sweeps().count() == 1
