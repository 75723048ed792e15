"""`manage.py import_staff FILE --body <id or BIN> [--actor USERNAME] [--check]`

The same import as the page, for a first load done by an administrator on the server. The actor
is a real user (the audit trail names them) who must be HR or administrator of the body, as on
the page; without --actor, the only active superuser is used if there is exactly one. Errors go
to stderr and the exit status is non-zero, so a script can stop on a bad roster.
"""

from __future__ import annotations

import os

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from bagalau.orgs.models import StateBody
from bagalau.orgs.staff_import import import_staff, max_bytes, size_error


class Command(BaseCommand):
    help = "Import units, positions, servants and appointments of a state body from a CSV or XLSX roster."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the roster, .csv (UTF-8) or .xlsx")
        parser.add_argument("--body", required=True, help="the state body: its id or its 12-digit BIN")
        parser.add_argument("--actor", help="username of the HR officer or administrator doing the import")
        parser.add_argument("--check", action="store_true", help="validate only; write nothing")

    def handle(self, *args: object, **options: object) -> None:
        path = str(options["file"])
        body = self._body(str(options["body"]))
        actor = self._actor(options.get("actor"))
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if size > max_bytes():
            raise CommandError(size_error(size).message)  # refused before reading the file
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            result = import_staff(actor=actor, body=body, filename=os.path.basename(path), data=data,
                                  check_only=bool(options["check"]))
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc

        for file_error in result.file_errors:
            self.stderr.write(f"{result.filename}: {file_error.message} [{file_error.rule}]")
        for row_error in result.row_errors:
            self.stderr.write(f"{result.filename}: row {row_error.row}, column {row_error.column}, value "
                              f"{row_error.value!r}: {row_error.message} [{row_error.rule}]")
        if not result.ok:
            count = len(result.file_errors) + len(result.row_errors)
            raise CommandError(f"{count} error(s); nothing was imported.")
        counts = result.created if result.applied else result.planned
        summary = ", ".join(f"{name}: {value}" for name, value in counts.items())
        if result.check_only:
            self.stdout.write(f"Check passed for {result.rows} rows; nothing written. Would create {summary}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported {result.rows} rows into {body.bin}: created {summary}."))

    def _body(self, ref: str) -> StateBody:
        ref = ref.strip()
        query = StateBody.objects.filter(bin=ref) if len(ref) == 12 else StateBody.objects.filter(
            pk=int(ref) if ref.isdigit() else -1)
        body = query.first()
        if body is None:
            raise CommandError(f"no state body with id or BIN {ref!r}")
        return body

    def _actor(self, username: object) -> object:
        User = get_user_model()
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"no active user {username!r}")
            return user
        superusers = list(User.objects.filter(is_superuser=True, is_active=True)[:2])
        if len(superusers) != 1:
            raise CommandError("give --actor USERNAME: the HR officer or administrator the audit trail will name")
        self.stderr.write(f"acting as superuser {superusers[0].get_username()}")
        return superusers[0]
