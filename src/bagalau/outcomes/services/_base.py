"""What every outcomes move shares: the row version check, the transition, the audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.cycles.errors import Conflict
from bagalau.outcomes import workflow


def check_version(doc: Any, expected_version: Any) -> None:
    """Conflict unless the caller read the row's current version (a page or API call on stale data)."""
    try:
        expected = None if isinstance(expected_version, bool) else int(str(expected_version))
    except ValueError:
        expected = None
    if expected != doc.version:
        who = doc.updated_by.get_username() if getattr(doc, "updated_by_id", None) else ""
        raise Conflict(who=who, when=doc.updated_at, current_version=doc.version)


def move(doc: Any, *, doc_type: str, action: str, roles: set[str], actor: Any, body_id: int, clause: str,
         payload: dict[str, Any] | None = None, update: dict[str, Any] | None = None) -> str:
    """Fire `action` on `doc` (IllegalTransition if the table refuses), store the new state and the
    `update` fields, bump the row version, and record the audit event. Returns the role acted in."""
    transition, role = workflow.fire(doc_type, doc.state, action, roles)
    before = doc.state
    for name, value in (update or {}).items():
        setattr(doc, name, value)
    doc.state = transition.target
    doc.last_action = action
    if hasattr(doc, "version"):
        doc.version += 1
    if hasattr(doc, "updated_by_id") and actor is not None:
        doc.updated_by = actor
    doc.save()
    record_event(action=f"outcomes.{doc_type}.{action}", obj=doc, actor=actor, role=role, body_id=body_id,
                 from_state=before, to_state=doc.state, clause=clause,
                 payload={"version": getattr(doc, "version", None), **(payload or {})})
    return role


def text(value: Any, field: str, *, required: bool = False, max_length: int = 4000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Text expected.")})
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}})
    return value
