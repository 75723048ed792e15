"""The open vote and the decision per servant: majority of the votes cast by the members present
(Q-09), the chair's vote decides a tie (S1-p.61), the secretary never votes (S1-p.62), a member does
not vote on his own result and the quorum is recomputed without him (Q-16), a revision keeps the
original result beside the corrected one (S1-p.66)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.commission import selectors, services
from bagalau.commission.models import AgendaItem, ItemState, Vote
from bagalau.commission.workflow import IllegalTransition
from tests import factories
from tests.commission import kit

FOUR = ("m1", "m2", "m3", "m4")


@pytest.fixture
def sitting(world):
    """Five members (m1 chairs), m1-m4 present."""
    kit.form(world)
    return kit.open_with(world, kit.schedule(world), FOUR)


def _refusal():
    return AuditEvent.objects.filter(action="commission.vote_refused").latest("id")


def test_the_secretarys_vote_is_refused_and_audited_S1_p62(world, sitting):
    item = kit.item_of(sitting, world, "head_b")
    with pytest.raises(PermissionDenied) as info:
        services.cast_vote(world.hr, world.body, item.pk, choice="approve")
    assert "does not vote" in str(info.value) and "G23-secretary" in str(info.value)
    event = _refusal()
    assert (event.object_type, event.object_id, event.role, event.clause, event.actor_id) == (
        "commission.agendaitem", str(item.pk), "secretary", "G23-secretary", world.hr.pk)
    assert event.payload["reason"] == "secretary" and event.payload["choice"] == "approve"
    assert not Vote.objects.exists()


def test_votes_by_non_members_and_absent_members_are_refused_and_audited(world, sitting):
    item = kit.item_of(sitting, world, "head_b")
    for actor, reason in ((world.user("head_d"), "not_member"), (world.user("m5"), "absent"),
                          (world.authorized, "not_member")):
        with pytest.raises(PermissionDenied):
            services.cast_vote(actor, world.body, item.pk, choice="approve")
        assert _refusal().payload["reason"] == reason
    assert not Vote.objects.exists()


def test_a_majority_of_the_members_present_decides_Q09(world, sitting):
    kit.vote(world, sitting, "head_b", {"m1": "approve", "m2": "approve", "m3": "approve",
                                        "m4": ("revise", "PROPER", "KPI 3 evidence is weak")})
    item = services.record_decision(world.hr, world.body, kit.item_of(sitting, world, "head_b").pk)
    assert (item.state, item.decision, item.votes_for, item.votes_against, item.casting_vote) == (
        ItemState.DECIDED, "approve", 3, 1, False)
    assert (item.original_result, item.corrected_result, item.final_value, item.decision_clause) == (
        "EFFECTIVE", "", "EFFECTIVE", "G23-voting")
    event = AuditEvent.objects.get(action="commission.item.decide")
    assert (event.from_state, event.to_state, event.role, event.clause) == ("pending", "decided", "secretary",
                                                                           "G23-voting")


def test_a_tie_is_broken_by_the_chairs_vote_S1_p61(world, sitting):
    kit.vote(world, sitting, "head_c", {"m1": ("revise", "SATISFACTORY", "KPI 2 not met in full"),
                                        "m2": "approve", "m3": "approve",
                                        "m4": ("revise", "SATISFACTORY", "Agree with the chair")})
    tally = selectors.item_tally(world.hr, world.body, kit.item_of(sitting, world, "head_c").pk)
    assert (tally.approve, tally.revise, tally.projected, tally.casting_vote, tally.missing) == (
        2, 2, "REVISE", True, [])
    item = services.record_decision(world.hr, world.body, tally.item.pk)
    assert (item.decision, item.casting_vote, item.votes_for, item.votes_against) == ("revise", True, 2, 2)
    assert (item.original_result, item.corrected_result) == ("PROPER", "SATISFACTORY")


def test_without_the_chairs_casting_vote_a_tie_stays_undecided(world):
    kit.form(world, ("m1", "m2", "m3", "m4", "m5", "m6"))
    meeting = kit.open_with(world, kit.schedule(world), ("m2", "m3", "m4", "m5"))  # 4 of 6: quorate, chair absent
    assert meeting.quorum["quorate"] is True
    kit.vote(world, meeting, "head_b", {"m2": "approve", "m3": "approve", "m4": ("revise", "PROPER", "x"),
                                        "m5": ("revise", "PROPER", "y")})
    item = kit.item_of(meeting, world, "head_b")
    assert selectors.item_tally(world.hr, world.body, item.pk).projected == "TIE_UNRESOLVED"
    with pytest.raises(ValidationError) as info:
        services.record_decision(world.hr, world.body, item.pk)
    message = info.value.message_dict["votes"][0]
    assert "tied (2 to approve, 2 to revise)" in message and "G23-voting" in message
    item = kit.fresh(item)
    assert (item.state, item.decision) == (ItemState.PENDING, "")
    # The way out: the item goes to a later meeting; the sitting closes on the others.
    services.withdraw_item(world.hr, world.body, item.pk, reason="Tie without the chair (S1-p.61)")
    for key in ("head_c", "head_d"):
        voters = {m: "approve" for m in ("m2", "m3", "m4", "m5")}
        kit.vote(world, meeting, key, voters)
        services.record_decision(world.hr, world.body, kit.item_of(meeting, world, key).pk)
    meeting = kit.fresh(meeting)
    meeting = services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    assert meeting.state == "decided"
    assert AgendaItem.objects.get(pk=item.pk).state == ItemState.WITHDRAWN


def test_a_member_does_not_vote_on_his_own_result_and_the_quorum_is_recomputed_Q16(world):
    """head_c sits on the commission (6 members) and is evaluated. Present: m1, m2, m3 and head_c, 4 of
    6: the sitting is quorate (4 needed). On head_c's own item the base is 5 members and 3 of them are
    present: ceil(2*5/3) = 4 are needed, so nothing can be decided on it at this sitting; the other
    items proceed."""
    kit.form(world, ("m1", "m2", "m3", "m4", "m5", "head_c"))
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "head_c"))
    assert meeting.quorum["quorate"] is True
    own = kit.item_of(meeting, world, "head_c")
    with pytest.raises(PermissionDenied) as info:
        services.cast_vote(world.user("head_c"), world.body, own.pk, choice="approve")
    assert "own evaluation result" in str(info.value)
    assert (_refusal().payload["reason"], _refusal().clause) == ("recused", "G23-voting")
    with pytest.raises(ValidationError) as info:
        services.cast_vote(world.user("m1"), world.body, own.pk, choice="approve")
    assert "No quorum: 3 of 5" in info.value.message_dict["quorum"][0]
    tally = selectors.item_tally(world.hr, world.body, own.pk)
    assert tally.recused.user == world.user("head_c")
    assert (tally.quorum.members, tally.quorum.present, tally.quorum.required, tally.quorum.quorate) == (5, 3, 4, False)
    # head_c votes on the others, e.g. head_d whose direct manager she is.
    kit.vote(world, meeting, "head_d", {"m1": "approve", "m2": "approve", "m3": "approve", "head_c": "approve"})
    assert services.record_decision(world.hr, world.body, kit.item_of(meeting, world, "head_d").pk).votes_for == 4


def test_with_a_recused_member_present_the_others_decide_his_item(world):
    """Five members with head_c; all present. On head_c's item: base 4, present 4, 3 needed."""
    kit.form(world, ("m1", "m2", "m3", "m4", "head_c"))
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4", "head_c"))
    own = kit.item_of(meeting, world, "head_c")
    with pytest.raises(ValidationError) as info:
        services.record_decision(world.hr, world.body, own.pk)
    assert "No vote yet from" in info.value.message_dict["votes"][0]
    assert world.servant("head_c").full_name not in info.value.message_dict["votes"][0]
    kit.vote(world, meeting, "head_c", {"m1": "approve", "m2": "approve", "m3": ("revise", "SATISFACTORY", "r"),
                                        "m4": "approve"})
    item = services.record_decision(world.hr, world.body, own.pk)
    assert (item.decision, item.votes_for, item.votes_against, item.recused_seat.user) == (
        "approve", 3, 1, world.user("head_c"))
    assert item.decision_detail["details"]["recused"] is not None
    assert selectors.item_tally(world.hr, world.body, own.pk).quorum.members == 4


def test_a_revision_keeps_the_original_and_records_the_corrected_result_S1_p66(world, sitting):
    kit.vote(world, sitting, "head_d", {
        "m1": ("revise", "PROPER", "KPI 4 was met: act No. 7"), "m2": ("revise", "PROPER", "Same"),
        "m3": ("revise", "EFFECTIVE", "All met"), "m4": "approve"})
    item = services.record_decision(world.hr, world.body, kit.item_of(sitting, world, "head_d").pk)
    assert (item.decision, item.original_result, item.corrected_result, item.final_value) == (
        "revise", "SATISFACTORY", "PROPER", "PROPER")
    assert (item.votes_for, item.votes_against) == (3, 1)
    assert [r["corrected_result"] for r in item.revision_reasons] == ["PROPER", "PROPER", "EFFECTIVE"]
    assert item.decision_detail["correction"] == {"value": "PROPER", "by_chair": False, "clause": "G23-decisions"}
    sheet = world.sheets["head_d"]
    assert kit.fresh(sheet).rating == "SATISFACTORY"  # the sheet is not rewritten


def test_revising_members_who_disagree_on_the_value_are_settled_by_the_chair_or_vote_again(world, sitting):
    kit.vote(world, sitting, "head_b", {"m1": "approve", "m2": ("revise", "PROPER", "a"),
                                        "m3": ("revise", "SATISFACTORY", "b"), "m4": ("revise", "PROPER", "c")})
    item = services.record_decision(world.hr, world.body, kit.item_of(sitting, world, "head_b").pk)
    assert item.corrected_result == "PROPER"
    kit.vote(world, sitting, "head_c", {"m1": "approve", "m2": ("revise", "SATISFACTORY", "a"),
                                        "m3": ("revise", "UNSATISFACTORY", "b"), "m4": ("revise", "EFFECTIVE", "c")})
    with pytest.raises(ValidationError) as info:
        services.record_decision(world.hr, world.body, kit.item_of(sitting, world, "head_c").pk)
    assert "vote again" in info.value.message_dict["corrected_result"][0]
    kit.vote(world, sitting, "head_c", {"m4": ("revise", "SATISFACTORY", "c, after discussion")})
    item = services.record_decision(world.hr, world.body, kit.item_of(sitting, world, "head_c").pk)
    assert item.corrected_result == "SATISFACTORY"


@pytest.mark.parametrize("choice, corrected, reason, field, words", [
    ("revise", "", "why", "corrected_result", "G23-decisions"),
    ("revise", "GOOD", "why", "corrected_result", "EFFECTIVE, PROPER, SATISFACTORY, UNSATISFACTORY"),
    ("revise", "PROPER", " ", "reason", "G23-decisions"),
    ("revise", "EFFECTIVE", "same as original", "corrected_result", "original result EFFECTIVE"),
    ("approve", "PROPER", "", "corrected_result", "no corrected result"),
    ("abstain", "", "", "choice", "Q-09"),
])
def test_a_vote_is_checked_before_it_is_stored(world, sitting, choice, corrected, reason, field, words):
    item = kit.item_of(sitting, world, "head_b")  # original EFFECTIVE
    with pytest.raises(ValidationError) as info:
        services.cast_vote(world.user("m2"), world.body, item.pk, choice=choice, corrected_result=corrected,
                           reason=reason)
    assert words in info.value.message_dict[field][0]
    assert not Vote.objects.exists()


def test_a_vote_may_change_until_the_decision_then_not(world, sitting):
    item = kit.item_of(sitting, world, "head_b")
    services.cast_vote(world.user("m2"), world.body, item.pk, choice="revise", corrected_result="PROPER", reason="r")
    vote = services.cast_vote(world.user("m2"), world.body, item.pk, choice="approve")
    assert (vote.choice, vote.corrected_result, vote.changes) == ("approve", "", 1)
    changed = AuditEvent.objects.filter(action="commission.item.vote").latest("id")
    assert changed.payload["previous"]["choice"] == "revise" and changed.role == "member"
    kit.vote(world, sitting, "head_b", {"m1": "approve", "m3": "approve", "m4": "approve"})
    assert AuditEvent.objects.filter(action="commission.item.vote").latest("id").role == "member"
    chair_vote = AuditEvent.objects.filter(action="commission.item.vote", payload__seat=kit.seat(sitting, world, "m1")
                                           .pk).get()
    assert chair_vote.role == "chair"
    services.record_decision(world.hr, world.body, item.pk)
    with pytest.raises(IllegalTransition):
        services.cast_vote(world.user("m2"), world.body, item.pk, choice="revise", corrected_result="PROPER",
                           reason="too late")


def test_only_the_secretary_records_the_decision(world, sitting):
    kit.vote(world, sitting, "head_b", {m: "approve" for m in FOUR})
    item = kit.item_of(sitting, world, "head_b")
    other_hr = factories.user("hr_other")
    factories.grant(other_hr, world.body)
    for actor in (world.user("m1"), world.authorized, other_hr):
        with pytest.raises(PermissionDenied):
            services.record_decision(actor, world.body, item.pk)
    assert services.record_decision(world.hr, world.body, item.pk).decision == "approve"
