"""Due dates of the cycle's steps, computed by the rules core on the working calendar and stored
with the rule, clause and the day-by-day explanation (DESIGN.md: dates are computed, never typed).

A step whose deadline the version does not set (plan approval, sheet review, the sheet's own
drafting: the p.5 timeline was not retrieved, Q-05) gets `Due.none()`: no date, no rule, and the
board shows it as such rather than inventing one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bagalau.cycles.errors import core_error
from bagalau.lawbook.selectors import working_calendar
from bagalau.methodology import deadlines
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.explain import render_deadline
from bagalau.methodology.model import LANGUAGES, MethodologyVersion

IWP_DUE = "iwp_due"
SHEET_RESUBMISSION_DUE = "sheet_resubmission_due"
HR_TO_COMMISSION_DUE = "hr_to_commission_due"


@dataclass(frozen=True)
class Due:
    on: dt.date | None
    rule: str = ""
    clause: str = ""
    explanation: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def none(cls) -> Due:
        return cls(None)

    def fields(self) -> dict[str, Any]:
        """The WorkflowDocument fields this due fills."""
        return {"due_on": self.on, "due_rule": self.rule, "due_clause": self.clause,
                "due_explanation": self.explanation}

    def payload(self) -> dict[str, Any]:
        """What the audit event keeps of it."""
        return {"due": self.on.isoformat() if self.on else None, "due_rule": self.rule, "due_clause": self.clause}


def compute(version: MethodologyVersion, rule_id: str, anchor: dt.date, *, field_name: str = "__all__") -> Due:
    """The due date of `rule_id` counted from `anchor`, or a ValidationError naming `field_name`
    when the core refuses (the rule's clause not in force on the anchor day, an unknown rule)."""
    try:
        decision = deadlines.compute_deadline(version, rule_id, anchor, working_calendar())
        lines = {lang: render_deadline(decision, lang) for lang in LANGUAGES}
    except MethodologyError as exc:
        raise core_error(exc, field_name) from exc
    return Due(
        on=decision.value, rule=rule_id, clause=decision.clause,
        explanation={"decision": decision.as_dict(), "lines": lines},
    )


def fields_of(doc: Any) -> dict[str, Any]:
    """The stored due of a document, in the shape open_item takes."""
    return {"due": doc.due_on, "due_rule": doc.due_rule, "due_clause": doc.due_clause,
            "due_explanation": doc.due_explanation or None}
