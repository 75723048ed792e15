"""Appeals against the Commission decision (spec 9).

The servant appeals to the authorized body for civil service affairs or its territorial
department within the window counted from the day the Commission decision is issued, not from
familiarization (S1-p.70, Q-08), and may go to court (S1-p.71). The system records whether a
filing is late; it never decides whether a late appeal is admissible: that is the Agency's call.
"""

from __future__ import annotations

import datetime as dt

from bagalau.methodology.calendar import WorkingCalendar
from bagalau.methodology.deadlines import appeal_last_day
from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import use

ON_TIME = "ON_TIME"
LATE = "LATE"


def venues(version: MethodologyVersion, on: dt.date | None = None) -> Decision:
    """Where the servant may appeal, and whether the courts are open (they are, S1-p.71)."""
    used = use(version, on)
    bodies = used("appeal.venues")
    court = used("appeal.court")
    return used.decide(tuple(bodies) + (("court",) if court else ()))


def check_outcome(version: MethodologyVersion, outcome: str, on: dt.date | None = None) -> Decision:
    """The authorized body's result must be one of the outcomes the text lists (S1-p.70): a
    recommendation to the state body, or leaving the result unrevised."""
    used = use(version, on)
    outcomes = used("appeal.outcomes")
    codes = [o["code"] for o in outcomes]
    if outcome not in codes:
        raise InvalidInput("outcome", f"must be one of {', '.join(codes)}, got {outcome!r}")
    label = next(o["label"] for o in outcomes if o["code"] == outcome)
    return used.decide(outcome, details={"label": label.as_dict()})


def appeal_timeliness(version: MethodologyVersion, decision_on: dt.date, filed_on: dt.date,
                      familiarized_on: dt.date | None = None,
                      calendar: WorkingCalendar | None = None) -> Decision:
    """ON_TIME or LATE, recorded only: whether a late appeal is admissible is for the authorized
    body to decide, never for the system (spec 9)."""
    if filed_on < decision_on:
        raise InvalidInput("filed_on", f"{filed_on} is before the Commission decision of {decision_on}")
    last = appeal_last_day(version, decision_on, calendar)
    cal = calendar or WorkingCalendar()
    warnings = list(last.warnings)
    if familiarized_on is not None and familiarized_on > decision_on:
        left = cal.working_days_between(familiarized_on, last.value).value
        warnings.append(
            f"the servant was familiarized on {familiarized_on.isoformat()}, after the decision; the "
            f"appeal window still runs from the decision and had {max(left, 0)} working day(s) left (Q-08)"
        )
    value = ON_TIME if filed_on <= last.value else LATE
    return Decision(
        value=value, clause=last.clause, clauses=last.clauses, version_id=version.id,
        verified=last.verified,
        inputs={"decision_on": decision_on, "filed_on": filed_on, "familiarized_on": familiarized_on},
        details={**last.details, "last_day": last.value,
                 "admissibility": "recorded only; the authorized body decides"},
        warnings=tuple(warnings), trace=last.trace,
    )
