"""Reading the audit trail. Tenancy is the caller's job: pass the body the user may see."""

from __future__ import annotations

from django.db import models
from django.db.models import QuerySet

from bagalau.audit.models import AuditEvent
from bagalau.audit.services import object_key

MAX_PAGE = 500


def events_for_body(body_id: int, *, limit: int = 50, offset: int = 0) -> QuerySet[AuditEvent]:
    """One page of a body's events, newest first (served by the (body_id, ts) index)."""
    if not 0 < limit <= MAX_PAGE:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE}, got {limit}")
    if offset < 0:
        raise ValueError(f"offset must not be negative, got {offset}")
    return AuditEvent.objects.filter(body_id=body_id).order_by("-ts", "-id")[offset : offset + limit]


def events_for_object(obj: models.Model) -> QuerySet[AuditEvent]:
    """The whole history of one object, oldest first."""
    object_type, object_id = object_key(obj)
    return AuditEvent.objects.filter(object_type=object_type, object_id=object_id).order_by("id")
