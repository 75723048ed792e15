"""The commission's transition tables, checked over the full STATE x ACTION x ROLE product of each:
every cell is either a move the table lists with that role among its roles, or an IllegalTransition
naming state, action and role."""

from __future__ import annotations

import itertools

import pytest

from bagalau.commission import workflow
from bagalau.commission.models import ItemState, MeetingState, OrderState
from bagalau.commission.workflow import AUTHORIZED, CHAIR, HR, MEMBER, SECRETARY, IllegalTransition
from bagalau.workflow import IllegalTransition as EngineIllegalTransition
from bagalau.workflow import clause_of

SIGNERS = {CHAIR, MEMBER, SECRETARY}
OS, MS, IS = OrderState, MeetingState, ItemState

# Written out by hand from the issue: (state, action) -> (target, roles).
EXPECTED = {
    workflow.ORDER: {
        (OS.DRAFT, "edit"): (OS.DRAFT, {AUTHORIZED}),
        (OS.DRAFT, "issue"): (OS.ACTIVE, {AUTHORIZED}),
        (OS.ACTIVE, "amend"): (OS.AMENDED, {AUTHORIZED}),
        (OS.ACTIVE, "supersede"): (OS.SUPERSEDED, {AUTHORIZED}),
    },
    workflow.MEETING: {
        (MS.PROPOSED, "reschedule"): (MS.PROPOSED, {HR}),
        (MS.SCHEDULED, "reschedule"): (MS.PROPOSED, {HR}),
        (MS.PROPOSED, "agenda"): (MS.PROPOSED, {HR}),
        (MS.SCHEDULED, "agenda"): (MS.SCHEDULED, {HR}),
        (MS.PROPOSED, "prepare_protocol"): (MS.PROPOSED, {HR}),
        (MS.SCHEDULED, "prepare_protocol"): (MS.SCHEDULED, {HR}),
        (MS.PROPOSED, "consent"): (MS.SCHEDULED, {CHAIR}),
        (MS.PROPOSED, "cancel"): (MS.CANCELLED, {HR}),
        (MS.SCHEDULED, "cancel"): (MS.CANCELLED, {HR}),
        (MS.IN_SESSION, "cancel"): (MS.CANCELLED, {HR}),
        (MS.SCHEDULED, "open"): (MS.IN_SESSION, {SECRETARY}),
        (MS.IN_SESSION, "attendance"): (MS.IN_SESSION, {SECRETARY}),
        (MS.IN_SESSION, "conclude"): (MS.DECIDED, {SECRETARY}),
        (MS.DECIDED, "sign"): (MS.DECIDED, SIGNERS),
        (MS.DECIDED, "seal"): (MS.PROTOCOL_SIGNED, SIGNERS),
        (MS.PROTOCOL_SIGNED, "approve"): (MS.APPROVED, {AUTHORIZED}),
    },
    workflow.ITEM: {
        (IS.PENDING, "vote"): (IS.PENDING, {MEMBER}),
        (IS.PENDING, "decide"): (IS.DECIDED, {SECRETARY}),
        (IS.PENDING, "withdraw"): (IS.WITHDRAWN, {SECRETARY}),
    },
}


def _cells():
    for doc_type, table in workflow.TABLES.items():
        for state, action, role in itertools.product(table.states, table.actions, workflow.ROLES):
            yield pytest.param(doc_type, state, action, role, id=f"{doc_type}-{state}-{action}-{role}")


@pytest.mark.parametrize("doc_type, state, action, role", list(_cells()))
def test_every_cell_of_every_table(doc_type, state, action, role):
    expected = EXPECTED[doc_type].get((state, action))
    if expected is not None and role in expected[1]:
        transition, acting = workflow.fire(doc_type, state, action, {role})
        assert (transition.target, acting) == (expected[0], role)
    else:
        with pytest.raises(IllegalTransition) as info:
            workflow.fire(doc_type, state, action, {role})
        message = str(info.value)
        assert state in message and action in message and role in message
        assert info.value.code == "illegal_transition"
        assert isinstance(info.value, EngineIllegalTransition)  # the API answers it with 409


def test_the_product_is_complete_and_the_tables_hold_nothing_else():
    for doc_type, table in workflow.TABLES.items():
        listed = {(tr.source, tr.action): (tr.target, set(tr.roles)) for tr in table.transitions}
        assert listed == EXPECTED[doc_type], doc_type
    assert set(workflow.ORDER_TABLE.states) == set(OrderState.values)
    assert set(workflow.MEETING_TABLE.states) == set(MeetingState.values)
    assert set(workflow.ITEM_TABLE.states) == set(ItemState.values)


def test_an_issued_order_is_never_edited_S1_p59():
    """A seat changes only by an amending order: no move edits an active, amended or superseded order."""
    for state in (OS.ACTIVE, OS.AMENDED, OS.SUPERSEDED):
        assert workflow.ORDER_TABLE.get(state, "edit") is None


def test_the_secretary_never_votes_and_the_commission_never_finalizes_S1_p62_p67():
    assert SECRETARY not in workflow.ITEM_TABLE.roles_for("vote")
    assert workflow.MEETING_TABLE.roles_for("approve") == {AUTHORIZED}
    # Approval is reachable only from a signed protocol.
    assert [tr.source for tr in workflow.MEETING_TABLE.transitions if tr.action == "approve"] == [MS.PROTOCOL_SIGNED]


def test_fire_names_the_role_acted_in_when_several_are_held():
    transition, role = workflow.fire(workflow.MEETING, MS.DECIDED, "sign", {CHAIR, MEMBER})
    assert role == CHAIR and transition.target == MS.DECIDED
    assert [tr.action for tr in workflow.available(workflow.MEETING, MS.PROPOSED, {HR})] == [
        "reschedule", "agenda", "prepare_protocol", "cancel"]


def test_each_move_names_a_parameter_the_demo_version_sets():
    from bagalau.methodology.versions import get_version

    typical = get_version("typical-g2023")
    clauses = {(tr.source, tr.action): clause_of(typical, tr)
               for table in workflow.TABLES.values() for tr in table.transitions}
    assert clauses[(MS.PROPOSED, "consent")] == "G23-schedule-notice"
    assert clauses[(MS.SCHEDULED, "open")] == "G23-quorum"
    assert clauses[(IS.PENDING, "vote")] == "G23-voting"
    assert clauses[(MS.PROTOCOL_SIGNED, "approve")] == "G23-decisions"
    assert clauses[(OS.ACTIVE, "amend")] == "G23-commission"  # typical-g2023 sets no member_replacement
    koksu = get_version("koksu-3-24")
    amend = workflow.ORDER_TABLE.get(OS.ACTIVE, "amend")
    consent = workflow.MEETING_TABLE.get(MS.PROPOSED, "consent")
    assert clause_of(koksu, amend) == "S1-p.59"
    assert clause_of(koksu, consent) == "S1-p.57"
    assert all(clause for (state, action), clause in clauses.items() if action not in ("cancel", "withdraw")
               or state == MS.IN_SESSION)
