"""The returns of a plan or a sheet, read from its audit trail (one query): when and why it was
returned, by when it had to come back (the due date with its rule), and when it did.

The audit events are the record: the document row keeps only its latest return reason, the events
keep every one, with the grounds and the due date the service computed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from bagalau.audit.selectors import events_for_object
from bagalau.cycles import workflow
from bagalau.cycles.models import Participant, ReviewerKind
from bagalau.methodology.model import MethodologyVersion
from bagalau.web.cycles import display
from bagalau.web.cycles.display import DueInfo

# The action that brings a returned document back, per document type.
RESUBMIT = {workflow.PLAN: "submit", workflow.SHEET: "sign"}


@dataclass
class ReturnEntry:
    number: int
    returned_at: dt.datetime
    by: str
    grounds: list[str]
    reason: str
    due: DueInfo
    resubmitted_at: dt.datetime | None = None
    late: bool | None = None
    clause: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _reviewer_name(participant: Participant, doc_type: str) -> str:
    kind = participant.plan_approver_kind if doc_type == workflow.PLAN else participant.sheet_reviewer_kind
    if kind == ReviewerKind.FIRST_HEAD:
        return participant.first_head_name
    return participant.superior_manager_name


def returns(doc, doc_type: str, participant: Participant, *, version: MethodologyVersion | None,
            today: dt.date) -> list[ReturnEntry]:
    prefix = f"cycles.{doc_type}."
    wanted = [prefix + "return", prefix + RESUBMIT[doc_type]]
    out: list[ReturnEntry] = []
    for event in events_for_object(doc).filter(action__in=wanted):
        payload = event.payload or {}
        if event.action == prefix + "return":
            due_on = payload.get("due")
            due = display.due_info(dt.date.fromisoformat(due_on) if due_on else None, payload.get("due_rule", ""),
                                   payload.get("due_clause", ""), today=today, version=version)
            out.append(ReturnEntry(
                number=len(out) + 1, returned_at=timezone.localtime(event.ts), by=_reviewer_name(participant, doc_type),
                grounds=display.labels(payload.get("grounds") or [], display.GROUND_LABELS),
                reason=str(payload.get("reason", "")), due=due, clause=event.clause))
        elif out and out[-1].resubmitted_at is None:
            last = out[-1]
            last.resubmitted_at = timezone.localtime(event.ts)
            late = payload.get("late")
            last.late = bool(late) if late is not None else None
            # Once it is back, its due date is history, not an overdue step.
            last.due = DueInfo(on=last.due.on, label=last.due.label, rule_text=last.due.rule_text,
                               clause=last.due.clause, overdue=False, lines=last.due.lines)
    return out
