"""Quorum: a sitting is valid when at least two thirds of the members attend, rounded up (S1-p.58);
the secretary is counted in neither the base nor the attendance (Q-15). Without quorum no vote and
no decision is possible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.commission import selectors, services
from bagalau.commission.models import AgendaItem, MeetingState, Vote
from bagalau.commission.workflow import IllegalTransition
from tests.commission import kit

D = dt.date
NINE = ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "ext")


@pytest.mark.parametrize("size, required", [(5, 4), (6, 4), (7, 5), (9, 6)])
def test_quorum_is_two_thirds_of_the_members_rounded_up_S1_p58(world, size, required):
    members = NINE[:size]
    kit.form(world, members)
    assert selectors.commission(world.hr, world.body).quorum_required == required
    meeting = kit.schedule(world)
    before = selectors.meeting_detail(world.hr, world.body, meeting.pk).quorum
    assert (before.members, before.present, before.required, before.quorate) == (size, None, required, None)
    short = kit.open_with(world, meeting, members[:required - 1])
    live = selectors.meeting_detail(world.hr, world.body, short.pk).quorum
    assert (live.members, live.present, live.required, live.quorate, live.clause) == (
        size, required - 1, required, False, "G23-quorum")
    services.record_attendance(world.hr, world.body, short.pk,
                               present=[kit.seat(short, world, k).pk for k in members[:required]])
    live = selectors.meeting_detail(world.hr, world.body, short.pk).quorum
    assert (live.present, live.quorate) == (required, True)


def test_three_of_five_is_no_quorum_nothing_can_be_decided(world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3"))
    assert meeting.state == MeetingState.IN_SESSION
    assert meeting.quorum["quorate"] is False and meeting.quorum["required"] == 4
    item = kit.item_of(meeting, world, "head_b")
    with pytest.raises(ValidationError) as info:
        services.cast_vote(world.user("m1"), world.body, item.pk, choice="approve")
    assert "No quorum: 3 of 5" in info.value.message_dict["quorum"][0]
    assert "G23-quorum" in info.value.message_dict["quorum"][0]
    refused = AuditEvent.objects.get(action="commission.vote_refused")
    assert (refused.payload["reason"], refused.clause) == ("no_quorum", "G23-quorum")
    assert not Vote.objects.exists()
    with pytest.raises(ValidationError) as info:
        services.record_decision(world.hr, world.body, item.pk)
    assert "quorum" in info.value.message_dict
    meeting = kit.fresh(meeting)
    with pytest.raises(ValidationError):
        services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True)) == {"pending"}
    meeting = services.cancel_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                      reason="No quorum (S1-p.58)")
    assert meeting.state == MeetingState.CANCELLED
    assert AuditEvent.objects.get(action="commission.meeting.cancel").clause == "G23-quorum"


def test_four_of_five_proceed(world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4"))
    assert meeting.quorum["quorate"] is True
    kit.decide_all_approve(world, meeting, ("m1", "m2", "m3", "m4"))
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("decision", flat=True)) == {"approve"}
    opened = AuditEvent.objects.get(action="commission.meeting.open")
    assert opened.clause == "G23-quorum" and opened.payload["quorum"] == {
        "members": 5, "present": 4, "required": 4, "fraction": "2/3", "quorate": True, "clause": "G23-quorum"}


def test_the_secretary_is_not_counted_for_quorum_Q15(world):
    kit.form(world)
    meeting = kit.fresh(kit.schedule(world))
    world.clock.day = meeting.meeting_on
    secretary = kit.seat(meeting, world, "hr")
    with pytest.raises(ValidationError) as info:
        services.open_session(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                              present=[secretary.pk, *(kit.seat(meeting, world, k).pk for k in ("m1", "m2", "m3"))])
    assert "secretary is not counted" in info.value.message_dict["present"][0]


def test_a_late_arrival_makes_the_sitting_quorate_a_voter_cannot_leave_mid_item(world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3"))
    seats = {k: kit.seat(meeting, world, k).pk for k in ("m1", "m2", "m3", "m4")}
    meeting = services.record_attendance(world.hr, world.body, meeting.pk, present=list(seats.values()))
    assert meeting.quorum["quorate"] is True
    event = AuditEvent.objects.get(action="commission.meeting.attendance")
    assert event.payload["quorum_before"]["quorate"] is False and event.payload["quorum"]["quorate"] is True
    kit.vote(world, meeting, "head_b", {"m4": "approve"})
    with pytest.raises(ValidationError) as info:
        services.record_attendance(world.hr, world.body, meeting.pk, present=[seats["m1"], seats["m2"], seats["m3"]])
    assert "voted on an undecided item" in info.value.message_dict["present"][0]


def test_the_session_opens_on_the_meeting_date_with_the_draft_protocol_S1_p64(world):
    kit.form(world)
    meeting = kit.propose(world)
    meeting = services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)
    present = [kit.seat(meeting, world, k).pk for k in ("m1", "m2", "m3", "m4")]
    world.clock.day = D(2025, 1, 16)
    with pytest.raises(ValidationError) as info:
        services.open_session(world.hr, world.body, meeting.pk, expected_version=meeting.version, present=present)
    assert "meeting_on" in info.value.message_dict
    world.clock.day = meeting.meeting_on
    with pytest.raises(ValidationError) as info:
        services.open_session(world.hr, world.body, meeting.pk, expected_version=meeting.version, present=present)
    assert "draft protocol" in info.value.message_dict["documents"][0]
    with pytest.raises(IllegalTransition):  # a scheduled meeting is not closed before it sat
        services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    services.prepare_draft_protocol(world.hr, world.body, meeting.pk)
    meeting = services.open_session(world.hr, world.body, kit.fresh(meeting).pk,
                                    expected_version=kit.fresh(meeting).version, present=present)
    assert meeting.state == MeetingState.IN_SESSION
