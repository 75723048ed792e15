"""`manage.py restore FILE`: load a backup into an empty, migrated database and prove it: the audit
chain verifies and every file matches its hash, or nothing is kept. See accounts.safety.restore.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from bagalau.accounts.safety.restore import RestoreError, restore_backup


class Command(BaseCommand):
    help = "Restore a `manage.py backup` archive into an empty, migrated database, then verify it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive written by `manage.py backup`")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias to restore into")
        parser.add_argument("--media-root", default=None, help="media folder (default: MEDIA_ROOT)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["file"], using=options["database"], media_root=options["media_root"])
        except RestoreError as exc:
            raise CommandError(f"restore refused: {exc}") from exc
        self.stdout.write(f"restored and verified: {report.summary()}")
