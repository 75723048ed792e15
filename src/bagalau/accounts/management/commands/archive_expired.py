"""`manage.py archive_expired [--dry-run] [--today YYYY-MM-DD]`: archive the evaluation cycles whose
retention period (the methodology version's `records.retention_years`) is over. Never deletes;
each archived cycle is audited. Meant for a daily cron job."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bagalau.accounts.retention import archive_expired


class Command(BaseCommand):
    help = "Archive (never delete) evaluation cycles past their retention period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would be archived, change nothing")
        parser.add_argument("--today", default=None, help="judge as of this date (YYYY-MM-DD), e.g. to preview")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today: {options['today']!r} is not a date (YYYY-MM-DD)") from None
        outcomes = archive_expired(today=today, dry_run=options["dry_run"])
        verb = "would archive" if options["dry_run"] else "archived"
        for o in outcomes:
            if o.reason == "retention period over":
                self.stdout.write(f"cycle {o.cycle_id} (body {o.body_id}): {verb}, kept until {o.kept_until} "
                                  f"[{o.clause}]")
            elif o.kept_until is None:
                self.stdout.write(f"cycle {o.cycle_id} (body {o.body_id}): not archived: {o.reason}")
        done = sum(1 for o in outcomes if o.reason == "retention period over")
        self.stdout.write(f"{done} cycle(s) {verb}; {len(outcomes) - done} kept")
