"""Keeping exactly one sweep pending: cron without cron.

django-tasks-db has no periodic tasks, so the sweep re-enqueues itself with `run_after` (the
next run BAGALAU_SWEEP_SECONDS later) and `manage.py ensure_sweeper`, run at start-up, enqueues one
if none is pending (after a fresh install, or a chain broken by a killed worker).

"Pending" means a READY sweep row in django-tasks-db's own table: the queue is the truth, there
is no second record of it to drift. Two processes must not both see "none pending" and both
enqueue, so the look-and-enqueue happens inside one transaction that first locks the `SweepState`
row (SELECT ... FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE transactions serialise writers
anyway). The enqueue writes its task row in that same transaction.

All of this only applies to the database backend. Under any other backend (ImmediateBackend in
tests, the dummy backend) a sweep never schedules another: `schedule_sweep` says so and does
nothing, which also keeps tests from looping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.tasks import TaskResultStatus

from bagalau.inbox import conf
from bagalau.inbox.models import SWEEP_STATE_PK, SweepState


@dataclass(frozen=True)
class ScheduleOutcome:
    enqueued: bool
    task_id: str | None
    run_after: dt.datetime | None
    message: str


def _sweep_task() -> Any:
    from bagalau.inbox.tasks import sweep

    return sweep


def uses_database_backend() -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(_sweep_task().get_backend(), DatabaseBackend)


def _lock_state() -> SweepState:
    state, _created = SweepState.objects.select_for_update().get_or_create(pk=SWEEP_STATE_PK)
    return state


def pending_sweep() -> Any:
    """The READY sweep task row (django_tasks_db's DBTaskResult) that runs first, or None."""
    from django_tasks_db.models import DBTaskResult

    return (DBTaskResult.objects.filter(task_path=_sweep_task().module_path, status=TaskResultStatus.READY)
            .order_by("run_after").first())


def schedule_sweep(*, run_after: dt.datetime | None) -> ScheduleOutcome:
    """Enqueue a sweep to run at `run_after` (None: as soon as a worker is free), unless one is
    already pending. Safe to call from several processes at once."""
    if not uses_database_backend():
        backend = type(_sweep_task().get_backend()).__name__
        return ScheduleOutcome(False, None, None,
                               f"the task backend is {backend}, not django_tasks_db.DatabaseBackend: a sweep "
                               "does not schedule itself there (run `manage.py sweep_now` from a timer instead)")
    with transaction.atomic():
        state = _lock_state()
        pending = pending_sweep()
        if pending is not None:
            run_after_pending = None if pending.run_after.year >= 9999 else pending.run_after
            return ScheduleOutcome(False, str(pending.id), run_after_pending,
                                   f"a sweep is already pending: task {pending.id}, to run "
                                   f"{_show(pending.run_after)}")
        task = _sweep_task()
        result = (task.using(run_after=run_after) if run_after is not None else task).enqueue()
        state.next_run_at = run_after
        state.save(update_fields=["next_run_at"])
        return ScheduleOutcome(True, str(result.id), run_after,
                               f"enqueued sweep task {result.id} to run {_show(run_after)}")


def schedule_next(*, now: dt.datetime) -> ScheduleOutcome:
    """What a running sweep calls first: the next pass, one interval from now."""
    return schedule_sweep(run_after=now + conf.sweep_interval())


def ensure_sweeper() -> ScheduleOutcome:
    """What start-up calls: a sweep now, unless one is pending."""
    return schedule_sweep(run_after=None)


def record_run(*, started: dt.datetime, finished: dt.datetime, summary: dict[str, Any]) -> None:
    """Keep when the sweep last ran and what it did, for operators (SweepState)."""
    with transaction.atomic():
        state = _lock_state()
        state.last_started_at = started
        state.last_finished_at = finished
        state.last_summary = summary
        state.save(update_fields=["last_started_at", "last_finished_at", "last_summary"])


def _show(moment: dt.datetime | None) -> str:
    # django-tasks-db stores "no run_after" as 9999-01-01: that means "as soon as possible".
    if moment is None or moment.year >= 9999:
        return "as soon as a worker is free"
    return "at " + moment.isoformat(timespec="seconds")
