"""The ranking list's workflow as an explicit transition table (DESIGN.md section 2).

The same engine (bagalau.workflow) and roles as the KPI sheet (cycles.workflow): the evaluator the
version names acts as the `direct_manager` of the snapshot (ranking.rater_role), the superior as the
`reviewer` (the snapshot's sheet reviewer), HR as `hr`. Each move cites the version parameter its
clause comes from: the ranking block (the body's own act, when it filled it) for grading, signing
and the superior's decision; the HR submission deadline for forwarding (S1-p.56).
"""

from __future__ import annotations

from bagalau.assessments.ranking.models import ListState
from bagalau.cycles.workflow import DIRECT_MANAGER, HR, REVIEWER, ROLES
from bagalau.workflow import Table, Workflow, t

RANKING = "ranking_list"
EVALUATOR = DIRECT_MANAGER

LIST_TABLE = Table(
    RANKING,
    states=tuple(ListState.values),
    actions=("edit", "sign", "agree", "return", "forward"),
    transitions=(
        t(ListState.DRAFT, "edit", ListState.DRAFT, EVALUATOR, "ranking"),
        t(ListState.RETURNED, "edit", ListState.RETURNED, EVALUATOR, "ranking"),
        t(ListState.DRAFT, "sign", ListState.UNDER_REVIEW, EVALUATOR, "ranking"),
        t(ListState.RETURNED, "sign", ListState.UNDER_REVIEW, EVALUATOR, "deadlines.sheet_resubmission_due"),
        t(ListState.UNDER_REVIEW, "agree", ListState.AGREED, REVIEWER, "ranking"),
        t(ListState.UNDER_REVIEW, "return", ListState.RETURNED, REVIEWER, "ranking"),
        t(ListState.AGREED, "forward", ListState.SUBMITTED_TO_COMMISSION, HR, "deadlines.hr_to_commission_due"),
    ),
)

WORKFLOW = Workflow(ROLES, LIST_TABLE)
fire = WORKFLOW.fire
available = WORKFLOW.available
