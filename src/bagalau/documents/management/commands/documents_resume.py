"""Re-enqueue document batches whose worker went silent (killed, crashed, the machine restarted).

    manage.py documents_resume [--silent-minutes 5] [--job ID] [--run]

A job keeps its progress in its own row, so running it again skips every item already done; this
command is safe to run at any time (cron, or by hand after a worker was killed). `--run` renders
in this process instead of enqueueing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bagalau.documents import services
from bagalau.documents.tasks import build_batch


class Command(BaseCommand):
    help = "Resume unfinished document batches whose worker went silent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--silent-minutes", type=int, default=5)
        parser.add_argument("--job", type=int, action="append", default=[])
        parser.add_argument("--run", action="store_true", help="Render here instead of enqueueing.")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["job"] or services.stale_batches(silent_for=dt.timedelta(minutes=options["silent_minutes"]))
        for job_id in ids:
            if options["run"]:
                job = services.run_batch(job_id)
                self.stdout.write(f"batch {job_id}: {job.state} {job.done}/{job.total}")
            else:
                build_batch.enqueue(job_id)
                self.stdout.write(f"batch {job_id}: enqueued")
        if not ids:
            self.stdout.write("no batch to resume")
