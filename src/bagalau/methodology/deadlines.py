"""Deadlines of the evaluation (spec 6.1), counted on the Kazakhstan calendar (spec 6.2, 14).

"Dates are computed, never typed" (DESIGN.md): every due date comes from a rule of the version
(amount, unit, direction, anchor, clause) and carries the day-by-day count that produced it, the
calendar data used and the warnings, so the UI can show the date with the rule it came from.

Units: working days (the event is day 0, not counted), calendar days, and calendar dates such as
"no later than the 20th of the month after the quarter" (G2025), which are never shifted when
they fall on a day off; a warning says so instead (Q-10).
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bagalau.methodology.calendar import CalendarAnswer, DayStatus, WorkingCalendar
from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import InvalidInput, UnknownRule
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import use


@dataclass(frozen=True)
class CountedDay:
    """One day of a deadline count: day 0 (the anchor), a counted day (1..n) or a skipped one."""

    status: DayStatus
    counted: int | None
    is_anchor: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {**self.status.as_dict(), "counted": self.counted, "is_anchor": self.is_anchor}


def _working_day_trace(answer: CalendarAnswer) -> tuple[CountedDay, ...]:
    trace, n = [], 0
    for i, status in enumerate(answer.days):
        if i == 0:
            trace.append(CountedDay(status, None, is_anchor=True))
        elif status.working:
            n += 1
            trace.append(CountedDay(status, n))
        else:
            trace.append(CountedDay(status, None))
    return tuple(trace)


def _calendar_date(anchor: dt.date, month_offset: int, day: int) -> tuple[dt.date, bool]:
    index = anchor.month - 1 + month_offset
    year, month = anchor.year + index // 12, index % 12 + 1
    last = _stdlib_calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day, last)), day > last


def compute_deadline(version: MethodologyVersion, rule_id: str, anchor: dt.date,
                     calendar: WorkingCalendar | None = None) -> Decision:
    """The due date of deadline rule `rule_id` counted from `anchor` (the event of the rule).

    The rule's clause must be in force on the anchor day: that is the day the step is taken.
    """
    if rule_id not in version.deadline_rules():
        raise UnknownRule(rule_id, version.id, version.deadline_rules())
    if not isinstance(anchor, dt.date) or isinstance(anchor, dt.datetime):
        raise InvalidInput("anchor", f"must be a date, got {anchor!r}")
    cal = calendar or WorkingCalendar()
    used = use(version, on=anchor)
    param = used.param(f"deadlines.{rule_id}")
    rule = param.value
    unit = rule["unit"]
    warnings: list[str] = []
    if unit == "working_days":
        n = rule["amount"] if rule["direction"] == "after" else -rule["amount"]
        answer = cal.add_working_days(anchor, n)
        due, trace = answer.value, _working_day_trace(answer)
        provenance = answer.calendar
    elif unit == "calendar_days":
        sign = 1 if rule["direction"] == "after" else -1
        days = [cal.day(anchor + dt.timedelta(days=sign * i)) for i in range(rule["amount"] + 1)]
        trace = tuple(CountedDay(s, i or None, is_anchor=i == 0) for i, s in enumerate(days))
        due = days[-1].date
        provenance = cal.is_working_day(due).calendar
        if not days[-1].working:
            warnings.append(f"{due.isoformat()} is not a working day; the deadline is not shifted")
    else:
        due, clamped = _calendar_date(anchor, rule["month_offset"], rule["day"])
        answer = cal.is_working_day(due)
        trace = (CountedDay(cal.day(anchor), None, is_anchor=True), CountedDay(answer.days[0], None))
        provenance = answer.calendar
        if clamped:
            warnings.append(f"day {rule['day']} does not exist in that month; the last day is used")
        if not answer.value:
            warnings.append(f"{due.isoformat()} is not a working day; a calendar-date deadline is not "
                            "shifted, act earlier (Q-10)")
    warnings.extend(provenance.warnings)
    return used.decide(
        due,
        inputs={"rule": rule_id, "anchor": anchor},
        details={
            "rule": rule_id,
            "label": param.label.as_dict() if param.label else None,
            "anchor_label": rule["anchor"].as_dict(),
            "unit": unit,
            "amount": rule.get("amount"),
            "direction": rule.get("direction"),
            "month_offset": rule.get("month_offset"),
            "day": rule.get("day"),
            "note": param.note,
            "calendar": provenance.as_dict(),
        },
        warnings=tuple(warnings),
        trace=trace,
    )


# Named rules, so that services read like the methodology.


def iwp_due(version: MethodologyVersion, period_start: dt.date, calendar: WorkingCalendar | None = None) -> Decision:
    """KPIs set in the individual work plan: counted from the start of the KPI period (S1-p.44)."""
    return compute_deadline(version, "iwp_due", period_start, calendar)


def sheet_resubmission_due(version: MethodologyVersion, returned_on: dt.date,
                           calendar: WorkingCalendar | None = None) -> Decision:
    """A returned sheet goes back to the superior manager (S1-p.55)."""
    return compute_deadline(version, "sheet_resubmission_due", returned_on, calendar)


def hr_to_commission_due(version: MethodologyVersion, superior_signed_on: dt.date,
                         calendar: WorkingCalendar | None = None) -> Decision:
    """HR submits the signed sheet to the Commission (S1-p.56)."""
    return compute_deadline(version, "hr_to_commission_due", superior_signed_on, calendar)


def commission_notice_by(version: MethodologyVersion, meeting_on: dt.date,
                         calendar: WorkingCalendar | None = None) -> Decision:
    """Latest day to notify the evaluators, counted back from the meeting (S1-p.57, Q-06)."""
    return compute_deadline(version, "commission_notice_by", meeting_on, calendar)


def familiarization_due(version: MethodologyVersion, completed_on: dt.date,
                        calendar: WorkingCalendar | None = None) -> Decision:
    """Familiarization after the evaluation ends, i.e. after approval (S1-p.12, Q-07)."""
    return compute_deadline(version, "familiarization_due", completed_on, calendar)


def appeal_last_day(version: MethodologyVersion, decision_on: dt.date,
                    calendar: WorkingCalendar | None = None) -> Decision:
    """Last day to appeal, counted from the Commission decision, not familiarization (S1-p.70)."""
    return compute_deadline(version, "appeal_last_day", decision_on, calendar)
