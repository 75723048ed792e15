"""Reporting lines derived from the unit tree, with explicit overrides.

- A non-head's direct manager is the holder of the head position of their unit; a head's is the
  head of the parent unit; the head of a top unit reports to the first head of the body. A vacant
  head position passes the line up to the next unit.
- The superior manager is the direct manager's direct manager, except where the direct manager is
  the first head: then there is no superior level and the first head approves the plan and
  receives the sheet himself (S1-p.46, S1-p.52).
- The first head has no manager inside the body.

One `OrgSnapshot` loads the body's structure on a date in a fixed number of queries, so deriving
the lines of every servant of a body costs the same as deriving one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bagalau.orgs.models import (
    Appointment,
    Position,
    ReportingOverride,
    ReportingRelation,
    Servant,
    StateBody,
    StructuralUnit,
)


@dataclass(frozen=True)
class ReportingLine:
    servant: Servant
    position: Position | None
    direct_manager: Servant | None
    superior_manager: Servant | None
    first_head: Servant | None
    direct_source: str  # "tree", "override", "first_head" or "none"
    superior_source: str
    clause: str  # the rule the superior level rests on ("S1-p.46" when the first head approves)

    @property
    def first_head_is_direct(self) -> bool:
        return self.first_head is not None and self.direct_manager == self.first_head


class OrgSnapshot:
    """The body's units, positions, holders and overrides on one date."""

    def __init__(self, body: StateBody, day: dt.date) -> None:
        self.body = body
        self.day = day
        self.units = {u.pk: u for u in StructuralUnit.objects.filter(body=body)}
        appointments = (
            Appointment.objects.filter(body=body, start__lte=day)
            .exclude(end__lt=day)
            .select_related("servant__user", "position")
        )
        self.position_of: dict[int, Position] = {}
        self.head_of_unit: dict[int, Servant] = {}
        self.servants: dict[int, Servant] = {}
        for a in appointments:
            self.position_of[a.servant_id] = a.position
            self.servants[a.servant_id] = a.servant
            if a.position.is_head_of_unit:
                self.head_of_unit[a.position.unit_id] = a.servant
        self.first_head = (
            Servant.objects.get(pk=body.first_head_id) if body.first_head_id else None
        )
        self.overrides: dict[tuple[int, str], Servant] = {
            (o.servant_id, o.relation): o.manager
            for o in ReportingOverride.objects.filter(body=body).select_related("manager")
        }

    def _head_above(self, unit_id: int | None, *, excluding: int) -> Servant | None:
        while unit_id is not None:
            head = self.head_of_unit.get(unit_id)
            if head is not None and head.pk != excluding:
                return head
            unit_id = self.units[unit_id].parent_id
        return self.first_head

    def direct_manager(self, servant: Servant) -> tuple[Servant | None, str]:
        if self.first_head is not None and servant.pk == self.first_head.pk:
            return None, "none"
        override = self.overrides.get((servant.pk, ReportingRelation.DIRECT_MANAGER))
        if override is not None:
            return override, "override"
        position = self.position_of.get(servant.pk)
        if position is None:
            return None, "none"
        start_unit = self.units[position.unit_id].parent_id if position.is_head_of_unit else position.unit_id
        manager = self._head_above(start_unit, excluding=servant.pk)
        if manager is None:
            return None, "none"
        is_first_head = self.first_head is not None and manager.pk == self.first_head.pk
        return manager, "first_head" if is_first_head else "tree"

    def line(self, servant: Servant) -> ReportingLine:
        direct, direct_source = self.direct_manager(servant)
        override = self.overrides.get((servant.pk, ReportingRelation.SUPERIOR_MANAGER))
        superior: Servant | None
        clause = "S1-p.45"
        if override is not None:
            superior, superior_source = override, "override"
        elif direct is None:
            superior, superior_source = None, "none"
        elif direct_source == "first_head":
            # No level above the first head: he approves the plan and reviews the sheet himself.
            superior, superior_source, clause = None, "first_head", "S1-p.46"
        else:
            superior, source = self.direct_manager(direct)
            superior_source = "tree" if source in {"tree", "first_head"} else source
        return ReportingLine(
            servant=servant,
            position=self.position_of.get(servant.pk),
            direct_manager=direct,
            superior_manager=superior,
            first_head=self.first_head,
            direct_source=direct_source,
            superior_source=superior_source,
            clause=clause,
        )


def reporting_line(servant: Servant, day: dt.date) -> ReportingLine:
    return OrgSnapshot(servant.body, day).line(servant)
