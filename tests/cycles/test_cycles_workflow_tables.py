"""The transition tables, checked over the full STATE x ACTION x ROLE product of each: every cell is
either the one move the table lists (with its one role) or an IllegalTransition naming state, action
and role. The engine's own checks (several roles, clause fallbacks) are in tests/workflow."""

from __future__ import annotations

import itertools

import pytest

from bagalau import workflow as engine
from bagalau.cycles import workflow
from bagalau.cycles.models import CycleState, PlanState, SheetState
from bagalau.cycles.workflow import DIRECT_MANAGER, HR, REVIEWER, IllegalTransition

# The tables as the issue and spec 5.1 state them, written out by hand: (state, action) -> (target, role).
EXPECTED = {
    workflow.PLAN: {
        (PlanState.DRAFT, "edit"): (PlanState.DRAFT, DIRECT_MANAGER),
        (PlanState.RETURNED, "edit"): (PlanState.RETURNED, DIRECT_MANAGER),
        (PlanState.DRAFT, "submit"): (PlanState.SUBMITTED, DIRECT_MANAGER),
        (PlanState.RETURNED, "submit"): (PlanState.SUBMITTED, DIRECT_MANAGER),
        (PlanState.SUBMITTED, "approve"): (PlanState.APPROVED, REVIEWER),
        (PlanState.SUBMITTED, "return"): (PlanState.RETURNED, REVIEWER),
    },
    workflow.SHEET: {
        (SheetState.DRAFT, "edit"): (SheetState.DRAFT, DIRECT_MANAGER),
        (SheetState.RETURNED, "edit"): (SheetState.RETURNED, DIRECT_MANAGER),
        (SheetState.DRAFT, "sign"): (SheetState.UNDER_REVIEW, DIRECT_MANAGER),
        (SheetState.RETURNED, "sign"): (SheetState.UNDER_REVIEW, DIRECT_MANAGER),
        (SheetState.UNDER_REVIEW, "agree"): (SheetState.AGREED, REVIEWER),
        (SheetState.UNDER_REVIEW, "return"): (SheetState.RETURNED, REVIEWER),
        (SheetState.AGREED, "forward"): (SheetState.SUBMITTED_TO_COMMISSION, HR),
    },
    workflow.CYCLE: {
        (CycleState.DRAFT, "launch"): (CycleState.LAUNCHED, HR),
        (CycleState.DRAFT, "cancel"): (CycleState.CANCELLED, HR),
        (CycleState.LAUNCHED, "close"): (CycleState.CLOSED, HR),
    },
}


def _cells():
    for doc_type, table in workflow.TABLES.items():
        for state, action, role in itertools.product(table.states, table.actions, workflow.ROLES):
            yield pytest.param(doc_type, state, action, role, id=f"{doc_type}-{state}-{action}-{role}")


@pytest.mark.parametrize("doc_type, state, action, role", list(_cells()))
def test_every_cell_of_every_table(doc_type, state, action, role):
    expected = EXPECTED[doc_type].get((state, action))
    if expected is not None and expected[1] == role:
        assert workflow.fire(doc_type, state, action, role) == (workflow.table(doc_type).get(state, action), role)
        assert workflow.fire(doc_type, state, action, role)[0].target == expected[0]
    else:
        with pytest.raises(IllegalTransition) as info:
            workflow.fire(doc_type, state, action, role)
        message = str(info.value)
        assert state in message and action in message and role in message
        assert info.value.code == "illegal_transition"


def test_the_product_is_complete_and_the_tables_hold_nothing_else():
    for doc_type, table in workflow.TABLES.items():
        listed = {(t.source, t.action): (t.target, *t.roles) for t in table.transitions}
        assert listed == EXPECTED[doc_type], doc_type
    # States as the models define them: nothing in a model that no table knows.
    assert set(workflow.PLAN_TABLE.states) == set(PlanState.values)
    assert set(workflow.SHEET_TABLE.states) == set(SheetState.values)
    assert set(workflow.CYCLE_TABLE.states) == set(CycleState.values)


def test_the_superior_can_never_edit_a_sheet_or_a_plan_Q19():
    for doc_type in (workflow.PLAN, workflow.SHEET):
        assert all(REVIEWER not in t.roles for t in workflow.table(doc_type).transitions if t.action == "edit")


def test_each_move_names_the_version_parameter_its_clause_comes_from():
    from bagalau.methodology.versions import get_version

    koksu = get_version("koksu-3-24")
    clauses = {(t.source, t.action): koksu.param(t.param).clause
               for t in workflow.SHEET_TABLE.transitions if t.param}
    assert clauses[(SheetState.DRAFT, "sign")] == "S1-p.49"
    assert clauses[(SheetState.RETURNED, "sign")] == "S1-p.55"
    assert clauses[(SheetState.UNDER_REVIEW, "agree")] == "S1-p.53"
    assert clauses[(SheetState.UNDER_REVIEW, "return")] == "S1-p.54"
    assert clauses[(SheetState.AGREED, "forward")] == "S1-p.56"
    approve = workflow.PLAN_TABLE.get(PlanState.SUBMITTED, "approve")
    assert koksu.param(approve.param).clause == "S1-p.45"
    assert koksu.param(approve.first_head_param).clause == "S1-p.46"


def test_available_moves_for_buttons():
    moves = workflow.available(workflow.PLAN, PlanState.SUBMITTED, {REVIEWER, HR})
    assert sorted(t.action for t in moves) == ["approve", "return"]
    assert workflow.available(workflow.PLAN, PlanState.APPROVED, workflow.ROLES) == []


def test_a_malformed_table_is_refused_at_import():
    with pytest.raises(ValueError, match="two transitions"):
        engine.Table("x", ("a", "b"), ("go",), (engine.t("a", "go", "b", HR), engine.t("a", "go", "a", HR)))
    with pytest.raises(ValueError, match="unknown role"):
        engine.Workflow(workflow.ROLES, engine.Table("x", ("a",), ("go",), (engine.t("a", "go", "a", "boss"),)))
    with pytest.raises(ValueError, match="unknown document type"):
        workflow.fire("memo", "a", "go", HR)
