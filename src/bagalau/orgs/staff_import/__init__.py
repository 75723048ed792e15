"""The staff import: the roster of a new body (units, positions, servants, appointments) from one
CSV or XLSX file, all or nothing.

    result = import_staff(actor=user, body=body, filename="roster.xlsx", data=raw_bytes)
    result.ok, result.file_errors, result.row_errors, result.created

The steps are separate modules so each can be tested alone: `read` (bytes -> rows, or file
errors), `validate` (rows -> a plan, or every row error; pure), `apply` (plan -> service calls).
The page, the command and any future API all call `import_staff`, which checks the actor's role
first, so the permission holds whichever door the file came through.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.orgs.access import STAFF_EDITORS, require_role
from bagalau.orgs.models import StateBody
from bagalau.orgs.staff_import.apply import IMPORT_ACTION, ApplyError, apply_plan
from bagalau.orgs.staff_import.existing import load_existing
from bagalau.orgs.staff_import.read import MAX_ROWS, FileError, max_bytes, read_table, size_error
from bagalau.orgs.staff_import.validate import RowError, validate

__all__ = [
    "IMPORT_ACTION", "MAX_ROWS", "FileError", "ImportResult", "RowError", "check_permission", "import_staff",
    "max_bytes", "size_error",
]

_NO_COUNTS = {"units": 0, "positions": 0, "servants": 0, "appointments": 0, "overrides": 0}


@dataclass
class ImportResult:
    filename: str
    sha256: str = ""
    check_only: bool = False
    rows: int = 0  # data rows read (blank rows not counted)
    file_errors: list[FileError] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    planned: dict[str, int] = field(default_factory=lambda: dict(_NO_COUNTS))  # what the file would create
    created: dict[str, int] = field(default_factory=lambda: dict(_NO_COUNTS))  # what was written

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors

    @property
    def applied(self) -> bool:
        return self.ok and not self.check_only


def check_permission(actor: Any, body: StateBody) -> str:
    """The role the actor imports in (HR or administrator of the body), or PermissionDenied."""
    return require_role(actor, body, STAFF_EDITORS, action=_("import staff"))


def clean_filename(filename: str) -> str:
    """The base name only, short enough for the audit payload and the override reason."""
    name = os.path.basename(filename.replace("\\", "/")).strip() or "upload"
    return name[-120:]


def import_staff(*, actor: Any, body: StateBody, filename: str, data: bytes, check_only: bool = False
                 ) -> ImportResult:
    """Validate the whole file, then (unless check_only, and only if nothing is wrong) write it in
    one transaction with an audit event per object and one summary event. Raises PermissionDenied
    for an actor who is not HR or administrator of `body`; every problem with the file itself comes
    back in the result, never as an exception."""
    role = check_permission(actor, body)
    filename = clean_filename(filename)
    result = ImportResult(filename=filename, sha256=hashlib.sha256(data).hexdigest(), check_only=check_only)
    table = read_table(filename, data)
    if table.errors:
        result.file_errors = table.errors
        return result
    result.rows = len(table.rows)
    today = timezone.localdate()
    try:
        with transaction.atomic():
            # Read and write in one transaction, so what was validated is what is written to.
            plan, errors = validate(table.rows, load_existing(body, today), today=today)
            result.planned = plan.counts()
            if errors or check_only:
                result.row_errors = errors
                return result
            result.created = apply_plan(plan, actor=actor, role=role, body=body, filename=filename,
                                        sha256=result.sha256, rows=result.rows)
    except ApplyError as exc:
        result.row_errors = [exc.error]
        result.created = dict(_NO_COUNTS)
    return result
