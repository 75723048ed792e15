"""`manage.py sweep_now [--today YYYY-MM-DD]`: run one sweep pass here and now, synchronously.

For operators (the worker is down, or a day's reminders must be replayed) and for tests. It does
not schedule another sweep; `ensure_sweeper` does that.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from bagalau.inbox.tasks import run_and_record


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today must be a date written YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Run one pass of the inbox sweep (reminders, overdue marks, outbox retries) synchronously."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="The day to sweep as, YYYY-MM-DD (default: today in Almaty).")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        today = _date(options["today"]) if options.get("today") else timezone.localdate(now)
        summary = run_and_record(today=today, now=now)
        for key, value in summary.items():
            self.stdout.write(f"{key}: {value}")
