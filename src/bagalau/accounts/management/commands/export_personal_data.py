"""`manage.py export_personal_data SERVANT --body BIN [--output FILE]`: everything the system
holds about one servant, as a ZIP (see accounts.safety.export). SERVANT is an IIN or a servant id
of that body; the export is audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bagalau.accounts.safety.export import export_personal_data, find_servant
from bagalau.orgs.models import StateBody


class Command(BaseCommand):
    help = "Export everything held about one servant (IIN or id) of a state body to a ZIP file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("servant", help="the servant's IIN (12 digits) or id")
        parser.add_argument("--body", required=True, help="BIN of the servant's state body")
        parser.add_argument("--output", default=None, help="ZIP file to write (default: personal-data-<IIN>.zip)")

    def handle(self, *args: Any, **options: Any) -> None:
        body = StateBody.objects.filter(bin=options["body"].strip()).first()
        if body is None:
            raise CommandError(f"--body: no state body has BIN {options['body']!r}")
        try:
            servant = find_servant(body, options["servant"])
            data, manifest = export_personal_data(None, body, servant)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        target = Path(options["output"] or f"personal-data-{servant.iin}.zip")
        if target.exists():
            raise CommandError(f"--output: {target} exists; choose a new name")
        target.write_bytes(data)
        self.stdout.write(f"personal data of servant {servant.pk} written to {target}: "
                          f"{len(manifest['entries'])} entries")
