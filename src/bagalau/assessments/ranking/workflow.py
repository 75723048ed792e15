"""The ranking list's workflow as an explicit transition table (DESIGN.md section 2).

The same table machinery and roles as the KPI sheet (cycles.workflow): the evaluator the version
names acts as the `direct_manager` of the snapshot (ranking.rater_role), the superior as the
`reviewer` (the snapshot's sheet reviewer), HR as `hr`. Each move cites the version parameter its
clause comes from: the ranking block (the body's own act, when it filled it) for grading, signing
and the superior's decision; the HR submission deadline for forwarding (S1-p.56).
"""

from __future__ import annotations

from bagalau.assessments.ranking.models import ListState
from bagalau.cycles.workflow import DIRECT_MANAGER, HR, REVIEWER, IllegalTransition, Table, Transition

RANKING = "ranking_list"
EVALUATOR = DIRECT_MANAGER

LIST_TABLE = Table(
    RANKING,
    states=tuple(ListState.values),
    actions=("edit", "sign", "agree", "return", "forward"),
    transitions=(
        Transition(ListState.DRAFT, "edit", ListState.DRAFT, EVALUATOR, "ranking"),
        Transition(ListState.RETURNED, "edit", ListState.RETURNED, EVALUATOR, "ranking"),
        Transition(ListState.DRAFT, "sign", ListState.UNDER_REVIEW, EVALUATOR, "ranking"),
        Transition(ListState.RETURNED, "sign", ListState.UNDER_REVIEW, EVALUATOR, "deadlines.sheet_resubmission_due"),
        Transition(ListState.UNDER_REVIEW, "agree", ListState.AGREED, REVIEWER, "ranking"),
        Transition(ListState.UNDER_REVIEW, "return", ListState.RETURNED, REVIEWER, "ranking"),
        Transition(ListState.AGREED, "forward", ListState.SUBMITTED_TO_COMMISSION, HR,
                   "deadlines.hr_to_commission_due"),
    ),
)


def fire(state: str, action: str, role: str) -> Transition:
    """The transition for `state x action` made by `role`, or IllegalTransition."""
    t = LIST_TABLE.get(state, action)
    if t is None or t.role != role:
        raise IllegalTransition(RANKING, state, action, role)
    return t


def available(state: str, roles: frozenset[str] | set[str]) -> list[Transition]:
    return [t for t in LIST_TABLE.transitions if t.source == state and t.role in roles]
