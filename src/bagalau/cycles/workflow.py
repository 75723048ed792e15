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
in which state. The engine (checks, `fire`, the clause) is bagalau.workflow, shared with the other
apps' tables; here each move has one role, so callers pass it and ignore the one `fire` returns.
"""

from __future__ import annotations

from bagalau.cycles.models import CycleState, PlanState, SheetState
from bagalau.workflow import IllegalTransition as IllegalTransition  # re-exported: services and pages catch it here
from bagalau.workflow import Table, Workflow, t

DIRECT_MANAGER = "direct_manager"
REVIEWER = "reviewer"
HR = "hr"
SERVANT = "servant"
ROLES = (DIRECT_MANAGER, REVIEWER, HR, SERVANT)

PLAN = "plan"
SHEET = "sheet"
CYCLE = "cycle"


PLAN_TABLE = Table(
    PLAN,
    states=tuple(PlanState.values),
    actions=("edit", "submit", "approve", "return"),
    transitions=(
        t(PlanState.DRAFT, "edit", PlanState.DRAFT, DIRECT_MANAGER, "kpi.smart_criteria"),
        t(PlanState.RETURNED, "edit", PlanState.RETURNED, DIRECT_MANAGER, "kpi.smart_criteria"),
        t(PlanState.DRAFT, "submit", PlanState.SUBMITTED, DIRECT_MANAGER, "deadlines.iwp_due"),
        t(PlanState.RETURNED, "submit", PlanState.SUBMITTED, DIRECT_MANAGER, "deadlines.iwp_due"),
        t(PlanState.SUBMITTED, "approve", PlanState.APPROVED, REVIEWER, "review.plan_approver",
          first_head_param="review.plan_approver_if_direct_is_first_head"),
        t(PlanState.SUBMITTED, "return", PlanState.RETURNED, REVIEWER, "review.plan_approver",
          first_head_param="review.plan_approver_if_direct_is_first_head"),
    ),
)

SHEET_TABLE = Table(
    SHEET,
    states=tuple(SheetState.values),
    actions=("edit", "sign", "agree", "return", "forward"),
    transitions=(
        t(SheetState.DRAFT, "edit", SheetState.DRAFT, DIRECT_MANAGER, "review.sheet_signed_by"),
        t(SheetState.RETURNED, "edit", SheetState.RETURNED, DIRECT_MANAGER, "review.sheet_signed_by"),
        t(SheetState.DRAFT, "sign", SheetState.UNDER_REVIEW, DIRECT_MANAGER, "review.sheet_signed_by"),
        t(SheetState.RETURNED, "sign", SheetState.UNDER_REVIEW, DIRECT_MANAGER, "deadlines.sheet_resubmission_due"),
        t(SheetState.UNDER_REVIEW, "agree", SheetState.AGREED, REVIEWER, "review.superior_decisions",
          first_head_param="review.sheet_reviewer_if_direct_is_first_head"),
        t(SheetState.UNDER_REVIEW, "return", SheetState.RETURNED, REVIEWER, "review.return_grounds"),
        t(SheetState.AGREED, "forward", SheetState.SUBMITTED_TO_COMMISSION, HR, "deadlines.hr_to_commission_due"),
    ),
)

CYCLE_TABLE = Table(
    CYCLE,
    states=tuple(CycleState.values),
    actions=("launch", "cancel", "close"),
    transitions=(
        t(CycleState.DRAFT, "launch", CycleState.LAUNCHED, HR, "methods_by_group"),
        t(CycleState.DRAFT, "cancel", CycleState.CANCELLED, HR),
        t(CycleState.LAUNCHED, "close", CycleState.CLOSED, HR),
    ),
)

WORKFLOW = Workflow(ROLES, PLAN_TABLE, SHEET_TABLE, CYCLE_TABLE)
TABLES = WORKFLOW.tables
table = WORKFLOW.table
fire = WORKFLOW.fire
available = WORKFLOW.available
