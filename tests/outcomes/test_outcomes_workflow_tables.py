"""Every allowed and every forbidden move of the outcomes' transition tables (pure, no database)."""

from __future__ import annotations

import itertools

import pytest

from bagalau.outcomes import workflow

CASES = [(doc, state, action, role) for doc, table in workflow.TABLES.items()
         for state, action, role in itertools.product(table.states, table.actions, workflow.ROLES)]


@pytest.mark.parametrize(("doc", "state", "action", "role"), CASES)
def test_each_move_is_allowed_exactly_when_the_table_says(doc, state, action, role):
    table = workflow.TABLES[doc]
    expected = table.get(state, action)
    if expected is not None and role in expected.roles:
        transition, acted = workflow.fire(doc, state, action, {role})
        assert (transition.target, acted) == (expected.target, role)
    else:
        with pytest.raises(workflow.IllegalTransition):
            workflow.fire(doc, state, action, {role})


def test_the_tables_say_what_the_methodology_says():
    f = workflow.FAMILIARIZATION_TABLE
    assert f.get("pending", "sign").roles == {"servant"}
    assert f.get("pending", "draw_act").roles == {"hr"} and f.get("signed", "draw_act") is None
    assert f.get("act_drawn", "deliver").target == "delivered" and f.get("refused", "deliver") is None
    assert workflow.APPEAL_TABLE.get("revision", "revised").roles == {"system"}
    assert workflow.CONSEQUENCE_TABLE.get("proposed", "approve").roles == {"authorized"}
    assert [tr.action for tr in workflow.available("familiarization", "pending", {"hr"})] == ["draw_act",
                                                                                            "notify_remote"]
