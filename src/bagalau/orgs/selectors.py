"""Reads of the organisation model, always scoped to one body and checked against the reader's
roles. A record of another body is simply not found (404), never shown."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.orgs.access import require_role
from bagalau.orgs.models import (
    Absence,
    Appointment,
    Position,
    Role,
    Servant,
    StateBody,
    StructuralUnit,
)
from bagalau.orgs.reporting import OrgSnapshot, ReportingLine

# Who may read the whole staff list of a body.
STAFF_READERS = (Role.HR, Role.ADMIN, Role.AUDITOR, Role.AUTHORIZED_PERSON, Role.COMMISSION_MEMBER)

User = AbstractBaseUser | AnonymousUser


def units(user: User, body: StateBody) -> QuerySet[StructuralUnit]:
    require_role(user, body, STAFF_READERS, action=_("view structural units"))
    return StructuralUnit.objects.filter(body=body).select_related("parent")


def positions(user: User, body: StateBody) -> QuerySet[Position]:
    require_role(user, body, STAFF_READERS, action=_("view positions"))
    return Position.objects.filter(body=body).select_related("unit")


def servants(user: User, body: StateBody, *, on: dt.date | None = None) -> QuerySet[Servant]:
    """The body's servants with their appointment on a date prefetched (two queries in all)."""
    require_role(user, body, STAFF_READERS, action=_("view servants"))
    day = on or timezone.localdate()
    current = Appointment.objects.filter(start__lte=day).exclude(end__lt=day).select_related("position__unit")
    return Servant.objects.filter(body=body).prefetch_related(
        Prefetch("appointments", queryset=current, to_attr="current_appointments")
    )


def servant(user: User, body: StateBody, pk: int) -> Servant:
    """A servant of this body. Servants may read their own record; staff readers any."""
    obj = get_object_or_404(Servant.objects.filter(body=body), pk=pk)
    if obj.user_id is None or obj.user_id != getattr(user, "pk", None):
        require_role(user, body, STAFF_READERS, action=_("view a servant"))
    return obj


def appointments(user: User, body: StateBody) -> QuerySet[Appointment]:
    require_role(user, body, STAFF_READERS, action=_("view appointments"))
    return Appointment.objects.filter(body=body).select_related("servant", "position")


def absences(user: User, body: StateBody) -> QuerySet[Absence]:
    require_role(user, body, STAFF_READERS, action=_("view absences"))
    return Absence.objects.filter(body=body).select_related("servant")


def reporting_lines(user: User, body: StateBody, *, on: dt.date | None = None) -> list[ReportingLine]:
    """Every appointed servant's reporting line on a date, from one snapshot of the structure."""
    require_role(user, body, STAFF_READERS, action=_("view reporting lines"))
    snapshot = OrgSnapshot(body, on or timezone.localdate())
    return [snapshot.line(s) for s in sorted(snapshot.servants.values(), key=lambda s: s.full_name)]


def servant_for_user(user: User, body: StateBody) -> Servant | None:
    if not user.is_authenticated:
        return None
    return Servant.objects.filter(body=body, user_id=user.pk).first()
