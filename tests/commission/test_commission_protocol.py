"""The protocol (Annex 3), its signatures, and the authorized person's approval that alone makes the
results final (S1-p.64, p.66-68; spec 17 rule 4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.commission import selectors, services
from bagalau.commission.models import FinalResult, MeetingState, Protocol, ProtocolSignature, Vote
from bagalau.commission.workflow import IllegalTransition
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.orgs.models import Role
from tests import factories
from tests.commission import kit

D = dt.date
FOUR = ("m1", "m2", "m3", "m4")
SIGNERS = ("m1", "m2", "m3", "m4", "hr")


def _sign_all(world, meeting, keys=SIGNERS):
    for key in keys:
        services.sign_protocol(world.user(key), world.body, meeting.pk)
    return kit.fresh(meeting)


@pytest.fixture
def decided(world):
    """Five members, m5 absent; head_b approved 4-0, head_c revised PROPER -> SATISFACTORY by the chair's
    casting vote (2-2), head_d approved 3-1. The sitting is closed."""
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), FOUR)
    kit.vote(world, meeting, "head_b", {m: "approve" for m in FOUR})
    kit.vote(world, meeting, "head_c", {"m1": ("revise", "SATISFACTORY", "KPI 2 not met in full"), "m2": "approve",
                                        "m3": "approve", "m4": ("revise", "SATISFACTORY", "As the chair")})
    kit.vote(world, meeting, "head_d", {"m1": "approve", "m2": "approve", "m3": "approve",
                                        "m4": ("revise", "PROPER", "Evidence for KPI 4")})
    for key in ("head_b", "head_c", "head_d"):
        services.record_decision(world.hr, world.body, kit.item_of(meeting, world, key).pk)
    meeting = kit.fresh(meeting)
    return services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)


def test_hr_prepares_the_draft_protocol_before_the_meeting_S1_p64(world):
    kit.form(world)
    meeting = kit.propose(world)
    with pytest.raises(PermissionDenied):
        services.prepare_draft_protocol(world.user("m1"), world.body, meeting.pk)
    protocol = services.prepare_draft_protocol(world.hr, world.body, meeting.pk)
    content = json.loads(protocol.content)
    assert (protocol.state, protocol.number, content["stage"], content["quorum"]) == ("draft", "2025/1", "draft", None)
    assert [(i["servant"]["name"], i["original_result"], i["method"]) for i in content["items"]] == [
        (kit.item_of(meeting, world, k).participant.servant_name, r, "kpi")
        for k, r in (("head_b", "EFFECTIVE"), ("head_c", "PROPER"), ("head_d", "SATISFACTORY"))]
    assert [m["name"] for m in content["members"]][0] == world.servant("m1").full_name
    assert content["secretary"]["name"] == world.hr.get_username()
    assert services.prepare_draft_protocol(world.hr, world.body, meeting.pk).pk == protocol.pk  # no change, no event
    assert AuditEvent.objects.filter(action="commission.protocol.prepare").count() == 1


def test_the_sitting_closes_only_when_every_item_is_decided(world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), FOUR)
    kit.vote(world, meeting, "head_b", {m: "approve" for m in FOUR})
    services.record_decision(world.hr, world.body, kit.item_of(meeting, world, "head_b").pk)
    meeting = kit.fresh(meeting)
    with pytest.raises(ValidationError) as info:
        services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    assert "2 item(s) still await" in info.value.message_dict["items"][0]
    with pytest.raises(PermissionDenied):
        services.conclude_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)


def test_the_protocol_is_generated_from_the_meeting_annex_3(world, decided):
    protocol = Protocol.objects.get(meeting=decided)
    content = json.loads(protocol.content)
    assert protocol.state == "final" and content["stage"] == "final"
    assert [(m["role"], m["present"]) for m in content["members"]] == [
        ("chair", True), ("member", True), ("member", True), ("member", True), ("member", False)]
    assert content["quorum"] == {"members": 5, "present": 4, "required": 4, "fraction": "2/3", "quorate": True,
                                 "clause": "G23-quorum"}
    rows = {i["servant"]["id"]: i for i in content["items"]}
    b, c, d = (rows[world.servant(k).pk] for k in ("head_b", "head_c", "head_d"))
    assert (b["method"], b["original_result"], b["decision"], b["corrected_result"], b["votes_for"],
            b["votes_against"], b["casting_vote"]) == ("kpi", "EFFECTIVE", "approve", "", 4, 0, False)
    assert (c["original_result"], c["decision"], c["corrected_result"], c["votes_for"], c["votes_against"],
            c["casting_vote"]) == ("PROPER", "revise", "SATISFACTORY", 2, 2, True)
    assert (d["decision"], d["votes_for"], d["votes_against"]) == ("approve", 3, 1)
    assert [(v["choice"], v["corrected_result"]) for v in c["votes"]] == [
        ("revise", "SATISFACTORY"), ("approve", ""), ("approve", ""), ("revise", "SATISFACTORY")]
    view = selectors.protocol(world.hr, world.body, decided.pk)
    assert [s.user for s in view.required] == [world.user(k) for k in SIGNERS]
    assert view.current_valid and not view.complete and not view.valid


def test_signed_by_the_chair_the_members_present_and_the_secretary_then_sealed(world, decided):
    with pytest.raises(PermissionDenied):
        services.sign_protocol(world.user("m5"), world.body, decided.pk)  # absent
    with pytest.raises(PermissionDenied):
        services.sign_protocol(world.authorized, world.body, decided.pk)
    first = services.sign_protocol(world.user("m1"), world.body, decided.pk)
    assert services.sign_protocol(world.user("m1"), world.body, decided.pk) == first  # twice: the same signature
    assert first.role == "chair" and first.content == Protocol.objects.get(meeting=decided).content
    assert WorkItem.objects.get(action="commission.sign", assignee=world.user("m1")).state == ItemState.DONE
    assert WorkItem.objects.filter(action="commission.sign", state=ItemState.OPEN).count() == 4
    meeting = _sign_all(world, decided, ("m2", "m3", "m4"))
    assert meeting.state == MeetingState.DECIDED
    meeting = _sign_all(world, decided, ("hr",))
    assert meeting.state == MeetingState.PROTOCOL_SIGNED
    assert [s.role for s in ProtocolSignature.objects.order_by("pk")] == [
        "chair", "member", "member", "member", "secretary"]
    seal = AuditEvent.objects.get(action="commission.meeting.seal")
    assert (seal.from_state, seal.to_state, seal.role, seal.payload["missing"]) == (
        "decided", "protocol_signed", "secretary", [])
    assert WorkItem.objects.get(action="commission.approve").assignee == world.authorized
    assert selectors.protocol(world.hr, world.body, decided.pk).valid


def test_a_result_cannot_become_final_without_the_authorized_persons_approval_S1_p67(world, decided):
    assert not FinalResult.objects.exists()
    with pytest.raises(IllegalTransition):  # the protocol is not signed yet
        services.approve_results(world.authorized, world.body, decided.pk, expected_version=decided.version)
    meeting = _sign_all(world, decided)
    assert not FinalResult.objects.exists()
    for actor in (world.hr, world.user("m1")):
        with pytest.raises(PermissionDenied):
            services.approve_results(actor, world.body, meeting.pk, expected_version=meeting.version)
    assert not FinalResult.objects.exists()
    assert list(selectors.final_results(world.hr, world.body)) == []


def test_approval_makes_the_results_final_and_starts_familiarization_S1_p67_p68(world, decided):
    """Approved on Fri 24.01.2025: familiarization within 2 working days, counted by hand: Sat 25 and
    Sun 26 do not count, Mon 27.01 is day 1, Tue 28.01.2025 day 2."""
    meeting = _sign_all(world, decided)
    world.clock.day = D(2025, 1, 24)
    meeting = services.approve_results(world.authorized, world.body, meeting.pk, expected_version=meeting.version)
    assert (meeting.state, meeting.approved_on, meeting.approval_clause) == (
        MeetingState.APPROVED, D(2025, 1, 24), "G23-decisions")
    protocol = Protocol.objects.get(meeting=meeting)
    assert (protocol.approved_on, protocol.approved_by) == (D(2025, 1, 24), world.authorized)
    assert protocol.approved_by_name == world.servant("chairman").full_name
    results = {r.participant.servant_id: r for r in FinalResult.objects.select_related("participant")}
    b, c, d = (results[world.servant(k).pk] for k in ("head_b", "head_c", "head_d"))
    assert (b.value, b.revised, b.value_clause) == ("EFFECTIVE", False, "G23-kpi-grading")
    assert (c.value, c.original_result, c.revised, c.value_clause) == ("SATISFACTORY", "PROPER", True, "G23-decisions")
    assert (d.value, d.revised) == ("SATISFACTORY", False)
    for r in results.values():
        assert (r.approved_on, r.clause, r.protocol, r.methodology_version) == (
            D(2025, 1, 24), "G23-decisions", protocol, "typical-g2023")
        assert (r.familiarization_due, r.familiarization_rule, r.familiarization_clause) == (
            D(2025, 1, 28), "familiarization_due", "G23-familiarization")
        assert r.familiarization_explanation["lines"]["ru"]
    finals = AuditEvent.objects.filter(action="commission.result.final")
    assert finals.count() == 3 and {e.payload["familiarization_due"] for e in finals} == {"2025-01-28"}
    approval = ProtocolSignature.objects.get(role="authorized")
    assert approval.user == world.authorized
    view = selectors.protocol(world.hr, world.body, meeting.pk)
    assert view.valid and view.approved_on == D(2025, 1, 24)
    assert [r.value for r in selectors.final_results(world.authorized, world.body, cycle_id=world.cycle.pk)] != []
    assert WorkItem.objects.get(action="commission.approve").state == ItemState.DONE
    again = services.approve_results(world.authorized, world.body, meeting.pk, expected_version=1)
    assert again.version == meeting.version and FinalResult.objects.count() == 3


def test_the_authorized_person_grant_approves_too(world, decided):
    meeting = _sign_all(world, decided)
    deputy = factories.user("acting_head")
    factories.grant(deputy, world.body, Role.AUTHORIZED_PERSON)
    assert [m.pk for m in selectors.approval_queue(deputy, world.body)] == [meeting.pk]
    meeting = services.approve_results(deputy, world.body, meeting.pk, expected_version=meeting.version)
    assert meeting.state == MeetingState.APPROVED and FinalResult.objects.count() == 3


def test_a_protocol_changed_after_signing_shows_invalid_signatures_and_is_not_approved(world, decided):
    meeting = _sign_all(world, decided)
    Vote.objects.filter(item__meeting=meeting, seat__user=world.user("m4"), choice="revise",
                        corrected_result="PROPER").update(reason="edited behind the commission's back")
    view = selectors.protocol(world.hr, world.body, meeting.pk)
    assert not view.current_valid and not view.valid and not any(s.valid for s in view.signatures)
    with pytest.raises(ValidationError) as info:
        services.approve_results(world.authorized, world.body, meeting.pk, expected_version=meeting.version)
    assert "does not match" in info.value.message_dict["protocol"][0]
    assert not FinalResult.objects.exists()


def test_each_meeting_move_is_refused_in_the_wrong_state(world, decided):
    meeting = decided
    for call in (
        lambda: services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version),
        lambda: services.reschedule_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                            meeting_on=D(2025, 2, 3)),
        lambda: services.open_session(world.hr, world.body, meeting.pk, expected_version=meeting.version, present=[]),
        lambda: services.cancel_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                        reason="x"),
        lambda: services.prepare_draft_protocol(world.hr, world.body, meeting.pk),
        lambda: services.refresh_agenda(world.hr, world.body, meeting.pk, expected_version=meeting.version),
        lambda: services.record_attendance(world.hr, world.body, meeting.pk, present=[]),
        lambda: services.withdraw_item(world.hr, world.body, kit.item_of(meeting, world, "head_b").pk, reason="x"),
    ):
        with pytest.raises(IllegalTransition):
            call()
