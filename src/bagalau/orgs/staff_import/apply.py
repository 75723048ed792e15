"""A validated plan to rows in the database, through the orgs services.

Going through `create_unit`, `create_position`, `create_servant`, `appoint` and
`set_reporting_override` (rather than bulk inserts) means each object is checked and audited
exactly as if HR had entered it by hand, and the import cannot drift from the rules of the
services. The caller runs this inside one transaction.atomic: if any service refuses (someone
else created the same code a moment ago, say), `ApplyError` names the row and the whole import
rolls back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.orgs.models import Position, ReportingRelation, Servant, StateBody, StructuralUnit
from bagalau.orgs.services import appoint, create_position, create_servant, create_unit, set_reporting_override
from bagalau.orgs.staff_import.validate import Plan, RowError

IMPORT_ACTION = "orgs.import.staff"

# Model fields a service may name in its ValidationError -> the roster column the user knows.
_FIELD_TO_COLUMN = {
    "unit": {"code": "unit_code", "name_kk": "unit_name_kk", "name_ru": "unit_name_ru", "parent": "parent_unit_code"},
    "position": {"code": "position_code", "title_kk": "position_title_kk", "title_ru": "position_title_ru",
                 "category": "category", "is_head_of_unit": "is_head", "unit": "unit_code"},
    "servant": {"iin": "iin", "last_name": "last_name", "first_name": "first_name", "middle_name": "middle_name",
                "email": "email", "phone": "phone"},
    "appointment": {"start": "appointed_from", "position": "position_code", "order_ref": "order_ref",
                    "servant": "iin"},
    "override": {"manager": "direct_manager_iin", "servant": "iin"},
}


class ApplyError(Exception):
    """A service refused a row of a plan that passed validation; carries the row error to report."""

    def __init__(self, error: RowError) -> None:
        super().__init__(error.message)
        self.error = error


@contextmanager
def _row(kind: str, number: int, column: str, value: str) -> Iterator[None]:
    try:
        yield
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            first_field = next(iter(exc.error_dict))
            column = _FIELD_TO_COLUMN[kind].get(first_field, column)
            message = " ".join(str(m) for errors in exc.error_dict.values() for e in errors for m in e.messages)
        else:
            message = " ".join(str(m) for m in exc.messages)
        raise ApplyError(RowError(number, column, value, message, "refused")) from exc
    except IntegrityError as exc:
        raise ApplyError(RowError(number, column, value, _(
            "The database refused this row: someone changed the same data while the import ran. Nothing was "
            "imported; run the import again."), "conflict")) from exc


def apply_plan(plan: Plan, *, actor: Any, role: str, body: StateBody, filename: str, sha256: str,
               rows: int) -> dict[str, int]:
    """Write the plan; call inside transaction.atomic. Returns the counts it created."""
    units = {u.code: u for u in StructuralUnit.objects.filter(body=body)}
    for u in plan.units:
        with _row("unit", u.row, "unit_code", u.code):
            units[u.code] = create_unit(actor=actor, body=body, code=u.code, name_kk=u.name_kk, name_ru=u.name_ru,
                                        parent=units[u.parent_code] if u.parent_code else None)
    positions = {p.code: p for p in Position.objects.filter(body=body)}
    for p in plan.positions:
        with _row("position", p.row, "position_code", p.code):
            positions[p.code] = create_position(actor=actor, body=body, unit=units[p.unit_code], code=p.code,
                                                title_kk=p.title_kk, title_ru=p.title_ru, category=p.category,
                                                is_head_of_unit=p.is_head)
    servants: dict[str, Servant] = {}
    for s in plan.servants:
        with _row("servant", s.row, "iin", s.iin):
            servants[s.iin] = create_servant(actor=actor, body=body, iin=s.iin, last_name=s.last_name,
                                             first_name=s.first_name, middle_name=s.middle_name, email=s.email,
                                             phone=s.phone)
    for a in plan.appointments:
        with _row("appointment", a.row, "appointed_from", a.start.isoformat()):
            appoint(actor=actor, body=body, servant=servants[a.iin], position=positions[a.position_code],
                    start=a.start, order_ref=a.order_ref)
    for o in plan.overrides:
        with _row("override", o.row, "direct_manager_iin", o.manager_iin):
            manager = servants.get(o.manager_iin) or Servant.objects.get(body=body, iin=o.manager_iin)
            set_reporting_override(actor=actor, body=body, servant=servants[o.iin],
                                   relation=ReportingRelation.DIRECT_MANAGER, manager=manager,
                                   reason=_("Staff import %(file)s, row %(row)d") % {"file": filename, "row": o.row})
    counts = plan.counts()
    record_event(action=IMPORT_ACTION, object_type="orgs.statebody", object_id=str(body.pk), actor=actor, role=role,
                 body_id=body.pk, payload={"file": filename, "sha256": sha256, "rows": rows, **counts})
    return counts
