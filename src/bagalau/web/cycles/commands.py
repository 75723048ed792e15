"""What one button of a form does when it takes several service calls: all of them, or none.

"Save and submit" is `save_plan` then `submit_plan`; the sheet's "Save" records the results, drops
the files ticked for removal and attaches the new uploads, and "Save and sign" then signs. Each
call checks its own permission, rules and row version (the next call expects the version the
previous one left); the enclosing transaction makes the button all-or-nothing, so a refused
submit, a wrong file type or a stale version writes nothing and the form comes back as typed.
(A file an attach wrote to storage before a later call failed stays unreferenced, content-named,
and is never served: see `cycles.services.sheets.attach_evidence`.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from bagalau.cycles import services
from bagalau.cycles.models import IndividualWorkPlan, KpiSheet
from bagalau.orgs.models import StateBody
from bagalau.web.cycles.forms import SheetInput


def save_plan(actor: Any, body: StateBody, plan_id: int, *, kpis: Sequence[Mapping[str, Any]],
              expected_version: int, submit: bool) -> IndividualWorkPlan:
    with transaction.atomic():
        plan = services.save_plan(actor, body, plan_id, kpis=kpis, expected_version=expected_version)
        if submit:
            plan = services.submit_plan(actor, body, plan.pk, expected_version=plan.version)
    return plan


def save_sheet(actor: Any, body: StateBody, sheet_id: int, *, data: SheetInput, expected_version: int,
               sign: bool) -> KpiSheet:
    with transaction.atomic():
        sheet = services.save_sheet(actor, body, sheet_id, results=data.results, expected_version=expected_version)
        version = sheet.version
        for file_id in data.removals:
            version = services.remove_evidence(actor, body, sheet_id, file_id=file_id,
                                               expected_version=version).version
        for number, upload in data.uploads:
            evidence = services.attach_evidence(actor, body, sheet_id, number=number, name=upload.name or "",
                                                stream=upload, expected_version=version)
            version = evidence.sheet.version
        if sign:
            sheet = services.sign_sheet(actor, body, sheet_id, expected_version=version)
        else:
            sheet.version = version
    return sheet
