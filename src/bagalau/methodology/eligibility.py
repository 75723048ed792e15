"""Who is evaluated, by which methods, and how (spec 4.2 and 6.3).

* `methods_for`: the methods of the servant's group, chosen by the head flag (never by the
  category code: E-3 is both a head and a specialist category).
* `is_evaluable`: less than one month in the position during the period means no evaluation
  (S1-p.6). "One month" is a calendar month from the later of taking the position and the period
  start; leave counts as time in position (Q-17).
* `participation`: absence during the evaluation does not postpone it; the servant is evaluated
  without participation and familiarized remotely (S1-p.6, S1-p.12).
* `transitional_route`: Koksu's chapter 6 for social leave or incapacity in 01.07.2021-31.12.2022,
  open only while its clause is in force (until 31.08.2023, S1-dec.2).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import ClauseNotInForce, InvalidInput
from bagalau.methodology.model import MethodologyVersion, group_for
from bagalau.methodology.parameters import ABSENCES
from bagalau.methodology.resolution import clause_for
from bagalau.methodology.rulebase import use

WITH_PARTICIPATION = "WITH_PARTICIPATION"
WITHOUT_PARTICIPATION = "WITHOUT_PARTICIPATION"
TRANSITIONAL_ROUTE = "TRANSITIONAL_ROUTE"
NOT_APPLICABLE = "NOT_APPLICABLE"
CLOSED = "ROUTE_CLOSED"


@dataclass(frozen=True)
class Absence:
    kind: str
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.kind not in ABSENCES:
            raise InvalidInput("absence.kind", f"must be one of {', '.join(ABSENCES)}, got {self.kind!r}")
        if self.end < self.start:
            raise InvalidInput("absence.end", f"{self.end} is before {self.start}")

    def overlaps(self, start: dt.date, end: dt.date) -> bool:
        return self.start <= end and start <= self.end


def add_months(date: dt.date, months: int) -> dt.date:
    """Same day `months` later; the last day of the month when that day does not exist."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(date.day, last))


def methods_for(version: MethodologyVersion, is_head: bool, on: dt.date | None = None) -> Decision:
    used = use(version, on)
    by_group = used("methods_by_group")
    group = group_for(is_head)
    return used.decide(tuple(by_group[group]), inputs={"is_head": is_head}, details={"group": group})


def is_evaluable(version: MethodologyVersion, position_start: dt.date, period_start: dt.date,
                 period_end: dt.date, left_on: dt.date | None = None, on: dt.date | None = None) -> Decision:
    """True if the servant held the position at least the minimum time within the period."""
    if period_end < period_start:
        raise InvalidInput("period_end", f"{period_end} is before {period_start}")
    used = use(version, on)
    months = used("eligibility.min_time_in_position")["months"]
    start = max(position_start, period_start)
    end = min(period_end, left_on) if left_on else period_end
    reaches = add_months(start, months) - dt.timedelta(days=1)
    evaluable = reaches <= end
    return used.decide(
        evaluable,
        inputs={"position_start": position_start, "period_start": period_start,
                "period_end": period_end, "left_on": left_on},
        details={"counted_from": start, "counted_to": end, "minimum_reached_on": reaches,
                 "min_months": months},
    )


def participation(version: MethodologyVersion, absences: Sequence[Absence], evaluation_start: dt.date,
                  evaluation_end: dt.date, on: dt.date | None = None) -> Decision:
    """Whether the evaluation runs without the servant's participation (it is never postponed)."""
    used = use(version, on)
    kinds = used("eligibility.absence_without_participation")
    during = [a for a in absences if a.kind in kinds and a.overlaps(evaluation_start, evaluation_end)]
    value = WITHOUT_PARTICIPATION if during else WITH_PARTICIPATION
    warnings: tuple[str, ...] = ()
    if during:
        warnings = ("the evaluation is not postponed; familiarize the servant remotely",)
    return used.decide(
        value,
        inputs={"absences": [(a.kind, a.start, a.end) for a in absences],
                "evaluation": (evaluation_start, evaluation_end)},
        details={"absences_during_evaluation": [a.kind for a in during]},
        warnings=warnings,
    )


def transitional_route(version: MethodologyVersion, absences: Sequence[Absence], on: dt.date) -> Decision:
    """TRANSITIONAL_ROUTE if the absences qualify and the route is open on `on`; else why not."""
    used = use(version)
    rule = used("eligibility.transitional")
    route_clause = version.param("eligibility.transitional").clause
    qualifying = [a for a in absences
                  if a.kind in rule["absence_types"] and a.overlaps(rule["window_from"], rule["window_to"])]
    inputs = {"absences": [(a.kind, a.start, a.end) for a in absences], "on": on}
    details = {"window": (rule["window_from"], rule["window_to"]), "route_clause": rule["route_clause"],
               "qualifying": [a.kind for a in qualifying]}
    if not qualifying:
        return used.decide(NOT_APPLICABLE, route_clause, inputs=inputs, details=details)
    try:  # the route is open only while both its clause and the chapter it leads to are in force
        clause_for(version, route_clause, on)
        clause_for(version, rule["route_clause"], on)
    except ClauseNotInForce as closed:
        return used.decide(CLOSED, route_clause, inputs=inputs, details=details, warnings=(str(closed),))
    return used.decide(TRANSITIONAL_ROUTE, route_clause, inputs=inputs, details=details)
