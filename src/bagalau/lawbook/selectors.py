"""Reads of the lawbook, turned into the plain values the rules core takes.

The core never touches the database: these functions load the rows and hand over core objects
(`CalendarOverride`, `Adoption`, `MethodologyVersion`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bagalau.lawbook import models
from bagalau.methodology import calendar, resolution
from bagalau.methodology.local import apply_local_parameters
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
        for a in _adoption_rows(body)
    )


def _adoption_rows(body: StateBody) -> list[models.MethodologyAdoption]:
    return list(models.MethodologyAdoption.objects.filter(body=body).order_by("valid_from"))


def version_for(body: StateBody, on: dt.date) -> MethodologyVersion:
    """The *effective* methodology version `body` had adopted on `on` (NoVersionInForce if none).

    Effective: the shipped version with the body's own parameters applied. A typical version
    leaves open what only the body's act can say (the ranking scale and quotas, Q-01; the
    competency annex, Q-21); the adoption fills them, each citing the body's act as its clause::

        MethodologyAdoption(body=..., version_id="typical-g2023", valid_from=...,
                            local_parameters={"ranking": {"value": {...}, "clause": "B-ord-12-p.3",
                                                          "act": "Order No. 12, p.3",
                                                          "verified": False, "note": "..."},
                                              "competencies": {"value": {"groups": ..., "items": ...},
                                                               "clause": ..., "act": ..., ...}})

    Only what the version leaves null may be filled; the values are checked on save
    (`methodology.local.apply_local_parameters`), so the rules can rely on them here.
    """
    rows = _adoption_rows(body)
    version_id = resolution.version_for(
        (resolution.Adoption(a.version_id, a.valid_from, a.valid_to) for a in rows), on)
    row = next(a for a in rows if a.version_id == version_id and a.valid_from <= on
               and (a.valid_to is None or on <= a.valid_to))
    return apply_local_parameters(get_version(version_id), row.local_parameters)


def version_named(body: StateBody, version_id: str, on: dt.date | None = None) -> MethodologyVersion:
    """The effective version `version_id` for `body`, for records pinned to a version id (a cycle).

    The body's parameters come from its adoption of that version covering `on` (or its latest
    adoption of it); a version the body never adopted is returned as shipped.
    """
    rows = [a for a in _adoption_rows(body) if a.version_id == version_id]
    if on is not None:
        rows = [a for a in rows if a.valid_from <= on and (a.valid_to is None or on <= a.valid_to)] or rows
    local = rows[-1].local_parameters if rows else None
    return apply_local_parameters(get_version(version_id), local)
