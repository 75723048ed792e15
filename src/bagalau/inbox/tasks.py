"""The inbox's background task: the periodic sweep (see sweep.py for what one pass does).

The sweep lives here, in the inbox, because it walks work items; it calls into notifications for
the outbox part, and notifications knows nothing of the inbox. The single-message delivery task is
`bagalau.notifications.tasks.deliver_notification`.

Under the database backend a running sweep first enqueues the next one (scheduling.py): first,
so that a crash in the pass itself does not end the chain (and if that enqueue fails, it is tried
again after the pass). `manage.py ensure_sweeper` at start-up
re-creates a chain a killed worker broke.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.tasks import task
from django.utils import timezone

from bagalau.inbox import scheduling
from bagalau.inbox.sweep import run_sweep

logger = logging.getLogger(__name__)


def run_and_record(*, today: dt.date, now: dt.datetime) -> dict[str, Any]:
    """One pass, remembered in SweepState (used by the task and by `manage.py sweep_now`)."""
    summary: dict[str, Any] = {"today": today.isoformat(), **run_sweep(today=today, now=now)}
    scheduling.record_run(started=now, finished=timezone.now(), summary=summary)
    return summary


@task()
def sweep(today_iso: str | None = None) -> dict[str, Any]:
    """Periodic pass over deadlines and the outbox. `today_iso` (YYYY-MM-DD) replays a given day;
    by default it is today in Almaty."""
    now = timezone.now()
    today = dt.date.fromisoformat(today_iso) if today_iso else timezone.localdate(now)
    try:
        scheduling.schedule_next(now=now)
        scheduled = True
    except Exception:  # e.g. the database briefly locked: try again after the pass, never drop the chain
        logger.exception("sweep: could not schedule the next sweep before the pass; retrying after it")
        scheduled = False
    try:
        return run_and_record(today=today, now=now)
    finally:
        if not scheduled:
            scheduling.schedule_next(now=timezone.now())
