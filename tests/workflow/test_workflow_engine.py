"""The engine every app's transition tables run on (bagalau.workflow): a small table of its own,
so the cases no real table happens to have (a move with no role, a refusal of another kind) are
checked too. Pure: no database."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bagalau.methodology.versions import get_version
from bagalau.workflow import IllegalTransition, Table, Workflow, clause_of, t

MEMO = "memo"
CLERK, HEAD, DEPUTY = "clerk", "head", "deputy"

MEMO_TABLE = Table(
    MEMO,
    states=("draft", "sent", "filed"),
    actions=("send", "file"),
    transitions=(
        t("draft", "send", "sent", CLERK, "deadlines.iwp_due"),
        # Either head may file; the clerk may not.
        t("sent", "file", "filed", (DEPUTY, HEAD), "commission.member_replacement", "commission.min_members"),
    ),
)
MEMOS = Workflow((HEAD, DEPUTY, CLERK), MEMO_TABLE)


class Labelled(IllegalTransition):
    labels = {MEMO: "internal memo"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_fire_answers_the_move_and_the_role_it_is_made_in_preferring_the_order_of_the_roles():
    assert MEMOS.fire(MEMO, "sent", "file", {DEPUTY}) == (MEMO_TABLE.get("sent", "file"), DEPUTY)
    assert MEMOS.fire(MEMO, "sent", "file", {CLERK, DEPUTY, HEAD})[1] == HEAD
    assert MEMOS.fire(MEMO, "draft", "send", CLERK)[0].target == "sent"  # one role may come as a string


def test_a_refusal_names_document_state_action_and_every_role_held():
    with pytest.raises(IllegalTransition) as refused:
        MEMOS.fire(MEMO, "sent", "file", {CLERK})
    assert refused.value.code == "illegal_transition" and refused.value.roles == (CLERK,)
    assert str(refused.value.messages[0]) == ("Not allowed: memo in state “sent” cannot take the action “file” "
                                              "by the role “clerk”.")
    with pytest.raises(IllegalTransition) as refused:
        MEMOS.fire(MEMO, "filed", "send", {HEAD, CLERK})  # no such move at all
    assert "“clerk, head”" in refused.value.messages[0]
    assert "role “-”" in str(IllegalTransition(MEMO, "draft", "send", set()).messages[0])


def test_an_app_names_its_documents_and_may_keep_its_own_kind_of_refusal():
    labelled = Workflow((HEAD, DEPUTY, CLERK), MEMO_TABLE, refusal=Labelled)
    with pytest.raises(Labelled) as refused:
        labelled.fire(MEMO, "draft", "file", HEAD)
    assert refused.value.messages[0].startswith("Not allowed: internal memo in state “draft”")

    def as_field_error(doc_type: str, state: str, action: str, roles: frozenset[str]) -> ValidationError:
        return ValidationError({"state": f"{doc_type}: no {action} from {state}"})

    plain = Workflow((HEAD, DEPUTY, CLERK), MEMO_TABLE, refusal=as_field_error)
    with pytest.raises(ValidationError) as refused:
        plain.fire(MEMO, "draft", "file", HEAD)
    assert not isinstance(refused.value, IllegalTransition)
    assert refused.value.message_dict == {"state": ["memo: no file from draft"]}


def test_available_lists_the_moves_open_to_the_roles_held():
    assert MEMOS.available(MEMO, "sent", {DEPUTY, CLERK}) == [MEMO_TABLE.get("sent", "file")]
    assert MEMOS.available(MEMO, "sent", {CLERK}) == []


def test_the_table_answers_who_makes_an_action():
    assert MEMO_TABLE.roles_for("file") == {HEAD, DEPUTY}
    assert MEMO_TABLE.role_for("send") == CLERK
    with pytest.raises(ValueError, match="has roles"):
        MEMO_TABLE.role_for("file")
    assert MEMO_TABLE.targets("file") == {"filed"}


def test_a_malformed_table_or_workflow_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown state or action"):
        Table(MEMO, ("draft",), ("send",), (t("draft", "send", "sent", CLERK),))
    with pytest.raises(ValueError, match="unknown role"):
        Workflow((HEAD,), MEMO_TABLE)
    with pytest.raises(ValueError, match="unknown role"):
        Workflow((HEAD,), Table(MEMO, ("draft",), ("send",), (t("draft", "send", "draft", ()),)))
    with pytest.raises(ValueError, match="unknown document type 'letter'; known: memo"):
        MEMOS.fire("letter", "draft", "send", CLERK)


def test_one_parameter_or_several_the_first_one_the_version_sets_gives_the_clause():
    typical, koksu = get_version("typical-g2023"), get_version("koksu-3-24")
    send, file = MEMO_TABLE.get("draft", "send"), MEMO_TABLE.get("sent", "file")
    assert (send.param, send.params) == ("deadlines.iwp_due", ("deadlines.iwp_due",))
    assert file.param == "commission.member_replacement"
    assert clause_of(koksu, file) == "S1-p.59"
    assert clause_of(typical, file) == "G23-commission"  # typical-g2023 sets no member_replacement
    assert t("a", "go", "b", CLERK).param == "" and clause_of(koksu, t("a", "go", "b", CLERK)) == ""
    assert clause_of(koksu, t("a", "go", "b", CLERK, "no.such.parameter")) == ""


def test_the_first_head_variant_is_cited_only_when_the_first_head_is_the_direct_manager():
    koksu = get_version("koksu-3-24")
    approve = t("submitted", "approve", "approved", HEAD, "review.plan_approver",
                first_head_param="review.plan_approver_if_direct_is_first_head")
    assert clause_of(koksu, approve) == "S1-p.45"
    assert clause_of(koksu, approve, first_head_is_direct=True) == "S1-p.46"
    assert clause_of(koksu, MEMO_TABLE.get("draft", "send"), first_head_is_direct=True) == clause_of(
        koksu, MEMO_TABLE.get("draft", "send"))
