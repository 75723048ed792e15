"""`manage.py backup FILE`: the database and the media files in one ZIP with a SHA-256 manifest.

Works on SQLite and PostgreSQL alike (the archive is engine-neutral). See accounts.safety.backup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from bagalau.accounts.safety.backup import create_backup


class Command(BaseCommand):
    help = "Write the whole database and MEDIA_ROOT to one ZIP archive with a SHA-256 manifest."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive to write (a .zip)")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias to back up")
        parser.add_argument("--media-root", default=None, help="media folder (default: MEDIA_ROOT)")

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(options["file"])
        if target.exists():
            raise CommandError(f"file: {target} exists; choose a new name (a backup never overwrites one)")
        if not target.parent.is_dir():
            raise CommandError(f"file: folder {target.parent} does not exist")
        manifest = create_backup(target, using=options["database"], media_root=options["media_root"])
        rows = sum(t["rows"] for t in manifest["models"])
        self.stdout.write(f"backup written to {target}: {rows} rows of {len(manifest['models'])} tables, "
                          f"{len(manifest['media'])} files, {manifest['audit']['event_count']} audit events "
                          f"(last hash {manifest['audit']['last_hash'][:16]}…)")
