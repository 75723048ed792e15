"""The Evaluation Commission (spec 7): composition, quorum, the vote, and the steps around it."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagalau.methodology import commission
from bagalau.methodology.commission import NO_QUORUM, TIE_UNRESOLVED, Sitting
from bagalau.methodology.errors import ClauseNotInForce, InvalidInput, ParameterNotSet
from bagalau.methodology.versions import get_version

D = dt.date
FIVE = ("chair", "m2", "m3", "m4", "m5")


# -- composition (S0-p.5, S1-p.62) ---------------------------------------------------------------


def test_commission_has_at_least_five_members_S0_p5(kentau):
    assert commission.check_composition(kentau, FIVE, "chair", "hr").value == "VALID"
    d = commission.check_composition(kentau, FIVE[:4], "chair", "hr")
    assert d.value == "INVALID"
    assert (d.problems[0].code, d.problems[0].clause) == ("too_few_members", "S0-p.5")
    assert d.verified  # Kentau's new p.5 is verified text


def test_koksu_minimum_size_is_an_unverified_inference(koksu):
    d = commission.check_composition(koksu, FIVE, "chair", "hr")
    assert d.value == "VALID" and d.verified is False


def test_chair_is_one_of_the_members_S0_p5(kentau):
    d = commission.check_composition(kentau, FIVE, "outsider", "hr")
    assert [p.code for p in d.problems] == ["chair_not_member"]


def test_secretary_is_not_a_member_S1_p62(koksu):
    d = commission.check_composition(koksu, FIVE, "chair", "m5")
    assert [(p.code, p.clause) for p in d.problems] == [("secretary_is_member", "S1-p.62")]


# -- quorum (S1-p.58) ----------------------------------------------------------------------------


@pytest.mark.parametrize("members, required", [(5, 4), (6, 4), (7, 5), (8, 6), (9, 6)])
def test_quorum_is_two_thirds_of_the_members_rounded_up_S1_p58(koksu, members, required):
    met = commission.quorum(koksu, members, required)
    assert (met.value, met.clause, met.details["required"]) == (True, "S1-p.58", required)
    assert commission.quorum(koksu, members, required - 1).value is False


def test_quorum_refuses_impossible_counts_S1_p58(koksu):
    for members, present, field in ((5, 6, "present"), (-1, 0, "members"), (5, -1, "present"), (0, 0, "members")):
        with pytest.raises(InvalidInput) as err:
            commission.quorum(koksu, members, present)
        assert err.value.field == field


def test_quorum_unknown_in_kentau_is_refused(kentau):
    with pytest.raises(ParameterNotSet, match="quorum_fraction"):
        commission.quorum(kentau, 5, 4)


@settings(max_examples=80, deadline=None)
@given(members=st.integers(min_value=1, max_value=40), data=st.data())
def test_quorum_is_never_met_below_two_thirds_S1_p58(members, data):
    present = data.draw(st.integers(min_value=0, max_value=members))
    met = commission.quorum(get_version("koksu-3-24"), members, present).value
    assert met == (3 * present >= 2 * members)


# -- the vote (S1-p.60, S1-p.61, S1-p.62, Q-16) --------------------------------------------------


def sitting(present=FIVE, secretary="hr"):
    return Sitting(members=FIVE, present=tuple(present), chair="chair", secretary=secretary)


def test_open_vote_S1_p60_by_majority_of_members_present_S1_p61(koksu):
    votes = {"chair": "revise", "m2": "approve", "m3": "approve", "m4": "approve", "m5": "revise"}
    d = commission.count_votes(koksu, sitting(), votes)
    assert (d.value, d.clause) == ("APPROVE", "S1-p.61")
    assert d.details["tally"] == {"approve": 3, "revise": 2}
    assert d.details["open_vote"] is True  # S1-p.60
    assert d.details["casting_vote"] is False


def test_tie_is_broken_by_the_chair_S1_p61(koksu):
    votes = {"chair": "revise", "m2": "approve", "m3": "approve", "m4": "revise"}
    d = commission.count_votes(koksu, sitting(FIVE[:4]), votes)
    assert (d.value, d.details["casting_vote"]) == ("REVISE", True)


def test_tie_without_the_chair_stays_unresolved_S1_p61(koksu):
    votes = {"m2": "approve", "m3": "approve", "m4": "revise", "m5": "revise"}
    d = commission.count_votes(koksu, sitting(FIVE[1:]), votes)
    assert d.value == TIE_UNRESOLVED and d.problems[0].code == "tie_without_chair"


def test_secretary_vote_is_never_counted_S1_p62(koksu):
    votes = {"chair": "revise", "m2": "approve", "m3": "approve", "m4": "revise", "hr": "approve"}
    d = commission.count_votes(koksu, sitting(FIVE[:4]), votes)
    assert d.value == "REVISE"  # 2-2 among members, the chair decides; the secretary's approve is ignored
    assert "the secretary's vote is not counted" in d.warnings
    assert "S1-p.62" in d.clauses


def test_no_decision_without_quorum_S1_p58(koksu):
    d = commission.count_votes(koksu, sitting(FIVE[:3]), {"chair": "approve", "m2": "approve", "m3": "approve"})
    assert (d.value, d.clause) == (NO_QUORUM, "S1-p.58")


def test_member_under_evaluation_recuses_and_quorum_is_recomputed_Q16_S1_p61(koksu):
    # 5 members, 4 present including m4 who is evaluated: base 4, present 3, required ceil(8/3) = 3.
    votes = {"chair": "approve", "m2": "approve", "m3": "revise", "m4": "approve"}
    d = commission.count_votes(koksu, sitting(FIVE[:4]), votes, evaluated="m4")
    assert (d.value, d.details["members"], d.details["present"], d.details["required"]) == ("APPROVE", 4, 3, 3)
    assert d.details["tally"] == {"approve": 2, "revise": 1}
    assert "the member being evaluated does not vote on their own result" in d.warnings


def test_recusal_can_break_the_quorum_Q16_S1_p58(koksu):
    six = Sitting(members=FIVE + ("m6",), present=("chair", "m2", "m3", "m4"), chair="chair", secretary="hr")
    votes = {"chair": "approve", "m2": "approve", "m3": "approve"}
    assert commission.count_votes(koksu, six, {**votes, "m4": "approve"}).value == "APPROVE"  # 4 of 6
    d = commission.count_votes(koksu, six, votes, evaluated="m4")  # 3 of 5 < 4
    assert d.value == NO_QUORUM


def test_decisions_are_approve_or_revise_S1_p65(koksu):
    with pytest.raises(InvalidInput, match=r"votes\[m2\]"):
        commission.count_votes(koksu, sitting(), dict.fromkeys(FIVE, "approve") | {"m2": "abstain"})


def test_every_member_present_votes_Q09_S1_p61(koksu):
    with pytest.raises(InvalidInput, match="no vote from members present: m5"):
        commission.count_votes(koksu, sitting(), dict.fromkeys(FIVE[:4], "approve"))


def test_absent_member_cannot_vote_S1_p61(koksu):
    with pytest.raises(InvalidInput, match="only members present vote"):
        commission.count_votes(koksu, sitting(FIVE[:4]), dict.fromkeys(FIVE, "approve"))


def test_vote_after_the_sunset_is_refused_S1_dec2(koksu):
    with pytest.raises(ClauseNotInForce):
        commission.count_votes(koksu, sitting(), dict.fromkeys(FIVE, "approve"), on=D(2023, 9, 1))


# -- around the sitting (S1-p.57, 59, 63, 64, 66, 67) --------------------------------------------


def test_schedule_agreed_with_the_chair_S1_p57_S1_p63(koksu):
    d = commission.schedule_agreed_with(koksu)
    assert (d.value, d.clause) == ("chair", "S1-p.57")


def test_member_replaced_only_by_amending_the_order_S1_p59(koksu):
    assert commission.check_member_replacement(koksu, "authorized_person_order_amendment").value == "VALID"
    d = commission.check_member_replacement(koksu, "chair_appoints_deputy")
    assert d.value == "INVALID" and d.problems[0].clause == "S1-p.59"


def test_sitting_needs_the_sheets_and_the_draft_protocol_S1_p64(koksu):
    assert commission.check_session_documents(koksu, ["evaluation_sheets", "draft_protocol"]).value == "VALID"
    d = commission.check_session_documents(koksu, ["evaluation_sheets"])
    assert d.details["missing"] == ["draft_protocol"] and d.problems[0].clause == "S1-p.64"


def test_revision_records_the_corrected_rating_S1_p66(koksu):
    ok = commission.check_revision(koksu, "SATISFACTORY", "evidence for KPI 2 is unreliable")
    assert (ok.value, ok.clause, ok.details["recorded_in"]) == ("VALID", "S1-p.66", "protocol_correction_column")
    bad = commission.check_revision(koksu, None, " ")
    assert [p.code for p in bad.problems] == ["revision_rating", "revision_justification"]


def test_results_are_approved_by_the_authorized_person_S1_p67(koksu):
    d = commission.final_approver(koksu)
    assert (d.value, d.clause) == ("authorized_person", "S1-p.67")
