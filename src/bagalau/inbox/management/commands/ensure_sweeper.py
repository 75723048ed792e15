"""`manage.py ensure_sweeper`: make sure a sweep is pending in the database task queue.

Run at start-up (./dev.sh run, the production service unit) before or beside `db_worker`. It
enqueues a sweep to run at once unless one is already waiting, and says which; running it twice,
or while a sweep chain is alive, changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bagalau.inbox import scheduling


class Command(BaseCommand):
    help = "Enqueue the periodic inbox sweep unless one is already pending (database task backend)."

    def handle(self, *args: Any, **options: Any) -> None:
        outcome = scheduling.ensure_sweeper()
        # No task id: nothing is or can be pending (not the database backend), worth a warning.
        style = self.style.SUCCESS if outcome.task_id is not None else self.style.WARNING
        self.stdout.write(style(outcome.message))
