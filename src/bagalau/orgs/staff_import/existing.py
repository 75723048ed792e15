"""What the body already holds, as plain values, so validation can stay a pure function.

A second import adds to a body that has units, positions and servants: rows may refer to its units
and vacant positions by code, must not repeat its IINs or position codes, and the reporting lines
it produces (checked for cycles) run through the people already in post. Loaded in a fixed
number of queries whatever the size of the body.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from bagalau.orgs.models import Appointment, Position, ReportingOverride, ReportingRelation, Servant, StateBody
from bagalau.orgs.models import StructuralUnit as Unit


@dataclass(frozen=True)
class ExistingUnit:
    code: str
    name_kk: str
    name_ru: str
    parent_code: str


@dataclass(frozen=True)
class ExistingPosition:
    code: str
    unit_code: str
    title_kk: str
    title_ru: str
    category: str
    is_head: bool
    busy_until: dt.date | None  # last day of the latest appointment; None = vacant
    busy_open: bool  # held with an open end


@dataclass
class ExistingOrg:
    units: dict[str, ExistingUnit] = field(default_factory=dict)
    positions: dict[str, ExistingPosition] = field(default_factory=dict)
    servants: dict[str, str] = field(default_factory=dict)  # IIN -> full name
    holder_of: dict[str, str] = field(default_factory=dict)  # position code -> IIN, on the day
    overrides: dict[str, str] = field(default_factory=dict)  # IIN -> direct manager's IIN
    first_head_iin: str = ""


def load_existing(body: StateBody, day: dt.date) -> ExistingOrg:
    org = ExistingOrg()
    unit_codes = dict(Unit.objects.filter(body=body).values_list("pk", "code"))
    for code, name_kk, name_ru, parent_id in Unit.objects.filter(body=body).values_list(
        "code", "name_kk", "name_ru", "parent_id"
    ):
        org.units[code] = ExistingUnit(code, name_kk, name_ru, unit_codes.get(parent_id, ""))
    iin_of = {}
    for pk, iin, last, first, middle in Servant.objects.filter(body=body).values_list(
        "pk", "iin", "last_name", "first_name", "middle_name"
    ):
        iin_of[pk] = iin
        org.servants[iin] = " ".join(p for p in (last, first, middle) if p)
    busy: dict[int, tuple[dt.date | None, bool]] = {}
    holder: dict[int, str] = {}
    for position_id, servant_id, start, end in Appointment.objects.filter(body=body).values_list(
        "position_id", "servant_id", "start", "end"
    ):
        until, is_open = busy.get(position_id, (None, False))
        if end is None:
            is_open = True
        elif until is None or end > until:
            until = end
        busy[position_id] = (until, is_open)
        if start <= day and (end is None or end >= day):
            holder[position_id] = iin_of[servant_id]
    for pk, code, unit_id, title_kk, title_ru, category, is_head in Position.objects.filter(body=body).values_list(
        "pk", "code", "unit_id", "title_kk", "title_ru", "category", "is_head_of_unit"
    ):
        until, is_open = busy.get(pk, (None, False))
        org.positions[code] = ExistingPosition(code, unit_codes[unit_id], title_kk, title_ru, category, is_head,
                                               until, is_open)
        if pk in holder:
            org.holder_of[code] = holder[pk]
    for servant_id, manager_id in ReportingOverride.objects.filter(
        body=body, relation=ReportingRelation.DIRECT_MANAGER
    ).values_list("servant_id", "manager_id"):
        if servant_id in iin_of and manager_id in iin_of:
            org.overrides[iin_of[servant_id]] = iin_of[manager_id]
    if body.first_head_id is not None:
        org.first_head_iin = iin_of.get(body.first_head_id, "")
    return org
