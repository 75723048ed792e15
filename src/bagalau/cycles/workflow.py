"""The workflows of the cycle as explicit transition tables: STATE x ACTION -> STATE, with the one
workflow role allowed to make the move (DESIGN.md section 2).

Workflow roles are resolved from the cycle's snapshot, not from grants: `direct_manager` (the
snapshot's direct manager), `reviewer` (the plan approver or sheet reviewer the core chose: the
superior manager, or the first head when he is the direct manager, S1-p.45/46, p.51/52),
`servant` (the evaluated person) and `hr` (a holder of the HR role in the body).

Each transition names the version parameter its clause comes from (and, for the first-head case,
the parameter of that variant), so the audit event cites the clause of the cycle's own version
(S1-p.45 in Koksu, G23-kpi-setting in the typical text) without any clause typed in Python.

`edit` is a move to the same state: it is how the tables say who may change a document's content
in which state. Nothing else changes a document's state: services call `fire()` and store its
target.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.cycles.models import CycleState, PlanState, SheetState

DIRECT_MANAGER = "direct_manager"
REVIEWER = "reviewer"
HR = "hr"
SERVANT = "servant"
ROLES = (DIRECT_MANAGER, REVIEWER, HR, SERVANT)

PLAN = "plan"
SHEET = "sheet"
CYCLE = "cycle"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    role: str
    param: str | None = None  # the version parameter whose clause the move rests on
    first_head_param: str | None = None  # its variant when the first head is the direct manager


@dataclass(frozen=True)
class Table:
    doc_type: str
    states: tuple[str, ...]
    actions: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            if t.source not in self.states or t.target not in self.states or t.action not in self.actions:
                raise ValueError(f"{self.doc_type}: {t} uses an unknown state or action")
            if t.role not in ROLES:
                raise ValueError(f"{self.doc_type}: {t} uses an unknown role")
            if (t.source, t.action) in seen:
                raise ValueError(f"{self.doc_type}: two transitions for {t.source} x {t.action}")
            seen.add((t.source, t.action))

    def get(self, state: str, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == state and t.action == action), None)

    def role_for(self, action: str) -> str:
        """The role that makes `action` (one per action in every table here)."""
        roles = {t.role for t in self.transitions if t.action == action}
        if len(roles) != 1:
            raise ValueError(f"{self.doc_type}: action {action!r} has roles {roles}")
        return roles.pop()

    def targets(self, action: str) -> set[str]:
        return {t.target for t in self.transitions if t.action == action}


PLAN_TABLE = Table(
    PLAN,
    states=tuple(PlanState.values),
    actions=("edit", "submit", "approve", "return"),
    transitions=(
        Transition(PlanState.DRAFT, "edit", PlanState.DRAFT, DIRECT_MANAGER, "kpi.smart_criteria"),
        Transition(PlanState.RETURNED, "edit", PlanState.RETURNED, DIRECT_MANAGER, "kpi.smart_criteria"),
        Transition(PlanState.DRAFT, "submit", PlanState.SUBMITTED, DIRECT_MANAGER, "deadlines.iwp_due"),
        Transition(PlanState.RETURNED, "submit", PlanState.SUBMITTED, DIRECT_MANAGER, "deadlines.iwp_due"),
        Transition(PlanState.SUBMITTED, "approve", PlanState.APPROVED, REVIEWER, "review.plan_approver",
                   "review.plan_approver_if_direct_is_first_head"),
        Transition(PlanState.SUBMITTED, "return", PlanState.RETURNED, REVIEWER, "review.plan_approver",
                   "review.plan_approver_if_direct_is_first_head"),
    ),
)

SHEET_TABLE = Table(
    SHEET,
    states=tuple(SheetState.values),
    actions=("edit", "sign", "agree", "return", "forward"),
    transitions=(
        Transition(SheetState.DRAFT, "edit", SheetState.DRAFT, DIRECT_MANAGER, "review.sheet_signed_by"),
        Transition(SheetState.RETURNED, "edit", SheetState.RETURNED, DIRECT_MANAGER, "review.sheet_signed_by"),
        Transition(SheetState.DRAFT, "sign", SheetState.UNDER_REVIEW, DIRECT_MANAGER, "review.sheet_signed_by"),
        Transition(SheetState.RETURNED, "sign", SheetState.UNDER_REVIEW, DIRECT_MANAGER,
                   "deadlines.sheet_resubmission_due"),
        Transition(SheetState.UNDER_REVIEW, "agree", SheetState.AGREED, REVIEWER, "review.superior_decisions",
                   "review.sheet_reviewer_if_direct_is_first_head"),
        Transition(SheetState.UNDER_REVIEW, "return", SheetState.RETURNED, REVIEWER, "review.return_grounds"),
        Transition(SheetState.AGREED, "forward", SheetState.SUBMITTED_TO_COMMISSION, HR,
                   "deadlines.hr_to_commission_due"),
    ),
)

CYCLE_TABLE = Table(
    CYCLE,
    states=tuple(CycleState.values),
    actions=("launch", "cancel", "close"),
    transitions=(
        Transition(CycleState.DRAFT, "launch", CycleState.LAUNCHED, HR, "methods_by_group"),
        Transition(CycleState.DRAFT, "cancel", CycleState.CANCELLED, HR),
        Transition(CycleState.LAUNCHED, "close", CycleState.CLOSED, HR),
    ),
)

TABLES = {PLAN: PLAN_TABLE, SHEET: SHEET_TABLE, CYCLE: CYCLE_TABLE}


class IllegalTransition(ValidationError):
    """A move the table does not allow. The message names the document, state, action and role."""

    def __init__(self, doc_type: str, state: str, action: str, role: str) -> None:
        self.doc_type, self.state, self.action, self.role = doc_type, state, action, role
        super().__init__(
            _("Not allowed: %(doc)s in state “%(state)s” cannot take the action “%(action)s” "
              "by the role “%(role)s”.")
            % {"doc": doc_type, "state": state, "action": action, "role": role},
            code="illegal_transition",
        )


def table(doc_type: str) -> Table:
    try:
        return TABLES[doc_type]
    except KeyError:
        raise ValueError(f"unknown document type {doc_type!r}; known: {', '.join(TABLES)}") from None


def fire(doc_type: str, state: str, action: str, role: str) -> Transition:
    """The transition for `state x action` made by `role`, or IllegalTransition."""
    t = table(doc_type).get(state, action)
    if t is None or t.role != role:
        raise IllegalTransition(doc_type, state, action, role)
    return t


def available(doc_type: str, state: str, roles: Iterable[str]) -> list[Transition]:
    """The moves open in `state` to someone holding `roles` (for the pages' buttons)."""
    held = set(roles)
    return [t for t in table(doc_type).transitions if t.source == state and t.role in held]
