"""The reads the pages and the API build on: the live meeting, the tallies, "my votes to cast", the
approval queue; each with a query count that does not grow with the votes or the agenda."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bagalau.commission import selectors, services
from bagalau.commission.models import MeetingState
from tests.commission import kit

FOUR = ("m1", "m2", "m3", "m4")


def _queries(call):
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


def test_the_meeting_page_shows_the_moves_open_to_each_role(world):
    kit.form(world)
    meeting = kit.propose(world)
    assert selectors.meeting_detail(world.hr, world.body, meeting.pk).actions == [
        "reschedule", "agenda", "prepare_protocol", "cancel"]
    chair = selectors.meeting_detail(world.user("m1"), world.body, meeting.pk)
    assert chair.actions == ["consent"] and chair.my_seat.role == "chair"
    assert selectors.meeting_detail(world.user("m2"), world.body, meeting.pk).actions == []
    detail = selectors.meeting_detail(world.hr, world.body, meeting.pk)
    assert (detail.notice.by, detail.notice.clause) == (meeting.notice_by, "G23-schedule-notice")
    assert detail.notice.lines["kk"] and detail.secretary.user == world.hr and detail.protocol is None
    assert [t.item.original_result for t in detail.items] == ["EFFECTIVE", "PROPER", "SATISFACTORY"]


def test_my_votes_to_cast(world):
    kit.form(world, ("m1", "m2", "m3", "m4", "head_c"))
    meeting = kit.schedule(world)
    assert selectors.my_votes_to_cast(world.user("m2"), world.body) == []  # not in session yet
    meeting = kit.open_with(world, meeting, ("m1", "m2", "m3", "head_c"))
    mine = selectors.my_votes_to_cast(world.user("m2"), world.body)
    assert [t.item.participant.servant for t in mine] == [world.servant(k) for k in ("head_b", "head_c", "head_d")]
    kit.vote(world, meeting, "head_b", {"m2": "approve"})
    assert len(selectors.my_votes_to_cast(world.user("m2"), world.body)) == 2
    # head_c does not vote on her own result; m4 is absent; the secretary never votes.
    assert [t.item.participant.servant for t in selectors.my_votes_to_cast(world.user("head_c"), world.body)] == [
        world.servant("head_b"), world.servant("head_d")]
    assert selectors.my_votes_to_cast(world.user("m4"), world.body) == []
    assert selectors.my_votes_to_cast(world.hr, world.body) == []


def test_the_tally_shows_who_voted_what_and_who_has_not(world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), FOUR)
    kit.vote(world, meeting, "head_c", {"m2": ("revise", "SATISFACTORY", "KPI 2"), "m3": "approve"})
    tally = selectors.item_tally(world.user("m1"), world.body, kit.item_of(meeting, world, "head_c").pk)
    assert (tally.approve, tally.revise, tally.projected) == (1, 1, None)
    assert [s.user for s in tally.missing] == [world.user("m1"), world.user("m4")]
    assert [(v.seat.user, v.choice, v.corrected_result) for v in tally.votes] == [
        (world.user("m2"), "revise", "SATISFACTORY"), (world.user("m3"), "approve", "")]
    assert tally.corrected_proposals == {"SATISFACTORY": 1}
    assert (tally.quorum.members, tally.quorum.present, tally.quorum.required, tally.quorum.quorate) == (5, 4, 4, True)


def test_the_approval_queue_of_the_authorized_person(world):
    kit.form(world)
    meeting = kit.sitting_decided(world, FOUR)
    assert list(selectors.approval_queue(world.authorized, world.body)) == []
    for key in ("m1", "m2", "m3", "m4", "hr"):
        services.sign_protocol(world.user(key), world.body, meeting.pk)
    queue = list(selectors.approval_queue(world.authorized, world.body))
    assert [m.pk for m in queue] == [meeting.pk] and queue[0].n_decided == 3 and queue[0].n_revised == 0
    listed = selectors.meetings(world.hr, world.body, cycle_id=world.cycle.pk, states=[MeetingState.PROTOCOL_SIGNED])
    assert [(m.pk, m.n_items, m.n_pending, m.n_decided) for m in listed] == [(meeting.pk, 3, 0, 3)]


@pytest.mark.parametrize("reader", ["hr", "m1"])
def test_query_counts_do_not_grow_with_the_votes(world, reader):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), FOUR)
    item = kit.item_of(meeting, world, "head_b")
    fresh_user = type(world.user(reader)).objects.get
    user = fresh_user(pk=world.user(reader).pk)  # a fresh object: the role caches hide no query
    calls = (lambda: selectors.meeting_detail(user, world.body, meeting.pk),
             lambda: selectors.item_tally(user, world.body, item.pk),
             lambda: selectors.my_votes_to_cast(user, world.body),
             lambda: selectors.commission(user, world.body))
    before = [_queries(c) for c in calls]
    user = fresh_user(pk=user.pk)
    for key in ("head_b", "head_c", "head_d"):
        kit.vote(world, meeting, key, {m: "approve" for m in FOUR})
    user = fresh_user(pk=user.pk)
    after = [_queries(c) for c in calls]
    assert after == before
    assert before[0] <= 14
