"""Reads of the lawbook, turned into the plain values the rules core takes.

The core never touches the database: these functions load the rows and hand over core objects
(`CalendarOverride`, `Adoption`, `MethodologyVersion`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bagalau.lawbook import models
from bagalau.methodology import calendar, resolution
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version

if TYPE_CHECKING:
    from bagalau.orgs.models import StateBody


def calendar_overrides() -> tuple[calendar.CalendarOverride, ...]:
    """Every override in date order, as the calendar takes them."""
    return tuple(
        calendar.CalendarOverride(
            date=row.date, is_working=row.is_working, legal_act=row.legal_act,
            note_kk=row.note_kk, note_ru=row.note_ru,
        )
        for row in models.CalendarOverride.objects.order_by("date")
    )


def working_calendar() -> calendar.WorkingCalendar:
    return calendar.WorkingCalendar(calendar_overrides())


def adoptions(body: StateBody) -> tuple[resolution.Adoption, ...]:
    return tuple(
        resolution.Adoption(a.version_id, a.valid_from, a.valid_to)
        for a in models.MethodologyAdoption.objects.filter(body=body).order_by("valid_from")
    )


def version_for(body: StateBody, on: dt.date) -> MethodologyVersion:
    """The methodology version `body` had adopted on `on` (NoVersionInForce if none)."""
    return get_version(resolution.version_for(adoptions(body), on))
