"""Scheduling a sitting: HR proposes a date with the agenda of sheets at the commission's door, the
chair consents (S1-p.57, p.63), and the evaluated servants and their evaluators are notified no
later than 3 working days before the meeting, counted back on the Kazakhstan calendar (S1-p.57,
Q-06)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import formats

from bagalau.audit.models import AuditEvent
from bagalau.commission import services
from bagalau.commission.models import AgendaItem, MeetingState
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.notifications.models import Notification
from tests.commission import kit
from tests.commission.kit import MEETING_ON

D = dt.date


def shown(day):
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def test_notice_is_counted_back_in_working_days_across_the_nauryz_block_S1_p57(world):
    """Meeting on Wed 26.03.2025, the first working day after Nauryz. Counting back by hand (spec 14):
    Tue 25.03 and Mon 24.03 are Nauryz carried over, Sun 23, Sat 22 and Fri 21.03 the holiday and the
    weekend: none counts. Thu 20.03 is day 1, Wed 19.03 day 2, Tue 18.03 day 3. So the evaluators must
    be notified by Tue 18.03.2025 (a count in calendar days would wrongly allow Sun 23.03)."""
    kit.form(world)
    world.clock.day = D(2025, 3, 19)
    with pytest.raises(ValidationError) as info:
        kit.propose(world, D(2025, 3, 26))
    message = info.value.message_dict["meeting_on"][0]
    assert shown(D(2025, 3, 18)) in message and "G23-schedule-notice" in message and "3 working days before" in message
    assert shown(D(2025, 3, 19)) in message  # today
    assert not AgendaItem.objects.exists()
    world.clock.day = D(2025, 3, 18)
    meeting = kit.propose(world, D(2025, 3, 26))
    assert (meeting.notice_by, meeting.notice_rule, meeting.notice_clause) == (
        D(2025, 3, 18), "commission_notice_by", "G23-schedule-notice")
    counted = [(d["date"], d["counted"]) for d in meeting.notice_explanation["decision"]["trace"]]
    assert counted == [("2025-03-26", None), ("2025-03-25", None), ("2025-03-24", None), ("2025-03-23", None),
                       ("2025-03-22", None), ("2025-03-21", None), ("2025-03-20", 1), ("2025-03-19", 2),
                       ("2025-03-18", 3)]
    assert meeting.notice_explanation["lines"]["kk"]  # the explanation in words, for the page


def test_the_chair_consenting_after_the_notice_day_is_refused_then_the_date_is_moved(world):
    kit.form(world)
    meeting = kit.propose(world)  # Mon 13.01 for Fri 17.01: notify by Tue 14.01
    assert meeting.notice_by == D(2025, 1, 14)
    world.clock.day = D(2025, 1, 15)
    with pytest.raises(ValidationError) as info:
        services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)
    assert shown(D(2025, 1, 14)) in info.value.message_dict["meeting_on"][0]
    assert kit.fresh(meeting).state == MeetingState.PROPOSED
    meeting = services.reschedule_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                          meeting_on=D(2025, 1, 21))
    # Tue 21.01: back Mon 20 (1), Fri 17 (2), Thu 16 (3).
    assert (meeting.state, meeting.notice_by) == (MeetingState.PROPOSED, D(2025, 1, 16))
    meeting = services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)
    assert meeting.state == MeetingState.SCHEDULED


def test_a_meeting_is_on_a_later_working_day(world):
    kit.form(world)
    for day, word in ((D(2025, 1, 18), "not a working day"), (D(2025, 1, 13), "later day")):
        with pytest.raises(ValidationError) as info:
            kit.propose(world, day)
        assert word in info.value.message_dict["meeting_on"][0]


def test_the_agenda_is_the_cycles_sheets_submitted_to_the_commission(world):
    kit.form(world)
    meeting = kit.propose(world)
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("participant"))
    assert {(i.participant.servant_id, i.original_result, i.original_clause, i.method) for i in items} == {
        (world.servant("head_b").pk, "EFFECTIVE", "G23-kpi-grading", "kpi"),
        (world.servant("head_c").pk, "PROPER", "G23-kpi-grading", "kpi"),
        (world.servant("head_d").pk, "SATISFACTORY", "G23-kpi-grading", "kpi"),
    }
    assert all(i.state == "pending" for i in items)
    # The same sheets are on no second agenda.
    with pytest.raises(ValidationError) as info:
        kit.propose(world, D(2025, 1, 20))
    assert "agenda" in info.value.message_dict
    event = AuditEvent.objects.get(action="commission.meeting.propose")
    assert (event.to_state, event.clause, event.role) == ("proposed", "G23-schedule-notice", "hr")


def test_no_meeting_without_an_order_in_force_or_a_launched_cycle(world, other_body):
    with pytest.raises(ValidationError) as info:
        kit.propose(world)
    assert "order" in info.value.message_dict
    kit.form(world)
    from bagalau.cycles import services as cycle_services
    from bagalau.cycles.models import PeriodKind

    draft = cycle_services.create_cycle(world.hr, world.body, kind=PeriodKind.YEAR, year=2025)
    with pytest.raises(ValidationError) as info:
        services.propose_meeting(world.hr, world.body, cycle_id=draft.pk, meeting_on=MEETING_ON)
    assert "cycle" in info.value.message_dict
    from tests import factories

    other_cycle = cycle_services.create_cycle(factories.grant(factories.user("hr_o"), other_body).user, other_body,
                                              kind=PeriodKind.YEAR, year=2024)
    with pytest.raises(Http404):
        services.propose_meeting(world.hr, world.body, cycle_id=other_cycle.pk, meeting_on=MEETING_ON)


def test_only_hr_proposes_and_only_the_chair_consents(world):
    kit.form(world)
    with pytest.raises(PermissionDenied):
        services.propose_meeting(world.user("m1"), world.body, cycle_id=world.cycle.pk, meeting_on=MEETING_ON)
    meeting = kit.propose(world)
    for actor in (world.hr, world.user("m2"), world.authorized):
        with pytest.raises(PermissionDenied):
            services.consent_to_meeting(actor, world.body, meeting.pk, expected_version=meeting.version)
    consent = WorkItem.objects.get(action="commission.consent")
    assert (consent.assignee, consent.due, consent.due_rule, consent.due_clause) == (
        world.user("m1"), D(2025, 1, 14), "commission_notice_by", "G23-schedule-notice")


def test_consent_notifies_the_evaluated_and_their_evaluators_and_opens_the_members_items(world):
    kit.form(world)
    meeting = kit.propose(world)
    meeting = services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=meeting.version)
    assert meeting.state == MeetingState.SCHEDULED and meeting.consented_by == world.user("m1")
    assert meeting.consent_clause == "G23-schedule-notice"
    notices = Notification.objects.filter(dedupe_key__contains=":notice:")
    # head_b: himself and the chairman (direct manager and reviewer); head_c: herself, head_b, the
    # chairman; head_d: himself, head_c, head_b.
    pairs = {(n.recipient_servant.pk, n.dedupe_key.rsplit(":", 1)[1]) for n in notices}
    s = {k: world.servant(k).pk for k in ("chairman", "head_b", "head_c", "head_d")}
    assert pairs == {
        (s["head_b"], str(s["head_b"])), (s["chairman"], str(s["head_b"])),
        (s["head_c"], str(s["head_c"])), (s["head_b"], str(s["head_c"])), (s["chairman"], str(s["head_c"])),
        (s["head_d"], str(s["head_d"])), (s["head_c"], str(s["head_d"])), (s["head_b"], str(s["head_d"])),
    }
    assert all(n.kind == "workflow" and n.channel == "email" for n in notices)
    attend = WorkItem.objects.filter(action="commission.attend", state=ItemState.OPEN)
    assert {i.assignee for i in attend} == {world.user(k) for k in ("m1", "m2", "m3", "m4", "m5")}
    assert {(i.due, i.due_rule) for i in attend} == {(MEETING_ON, "commission_meeting_date")}
    assert WorkItem.objects.get(action="commission.consent").state == ItemState.DONE
    documents = WorkItem.objects.get(action="commission.documents")
    assert documents.assignee == world.hr and documents.due == MEETING_ON
    event = AuditEvent.objects.get(action="commission.meeting.consent")
    assert (event.from_state, event.to_state, event.role, event.payload["notices_queued"]) == (
        "proposed", "scheduled", "chair", 8)
    # A second click changes nothing.
    again = services.consent_to_meeting(world.user("m1"), world.body, meeting.pk, expected_version=1)
    assert again.version == meeting.version
    assert AuditEvent.objects.filter(action="commission.meeting.consent").count() == 1


def test_rescheduling_a_scheduled_meeting_needs_the_chairs_consent_again(world):
    kit.form(world)
    meeting = kit.schedule(world)
    meeting = services.reschedule_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                          meeting_on=D(2025, 1, 24), place="Room 2")
    assert (meeting.state, meeting.meeting_on, meeting.place, meeting.consented_by) == (
        MeetingState.PROPOSED, D(2025, 1, 24), "Room 2", None)
    assert not WorkItem.objects.filter(action="commission.attend", state=ItemState.OPEN).exists()
    assert WorkItem.objects.get(action="commission.consent", state=ItemState.OPEN).due == D(2025, 1, 21)


def test_a_stale_version_is_a_conflict(world):
    from bagalau.cycles.errors import Conflict

    kit.form(world)
    meeting = kit.propose(world)
    services.reschedule_meeting(world.hr, world.body, meeting.pk, expected_version=1, meeting_on=D(2025, 1, 21))
    with pytest.raises(Conflict):
        services.reschedule_meeting(world.hr, world.body, meeting.pk, expected_version=1, meeting_on=D(2025, 1, 22))


def test_sheets_submitted_later_join_the_agenda_of_a_scheduled_meeting_before_the_notice_day(world):
    kit.form(world)
    meeting = kit.schedule(world)
    item = kit.item_of(meeting, world, "head_d")
    services.withdraw_item(world.hr, world.body, item.pk, reason="Sheet to be checked again")
    meeting = kit.fresh(meeting)
    meeting = services.refresh_agenda(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    assert AgendaItem.objects.filter(meeting=meeting, state="pending").count() == 3
    item = AgendaItem.objects.filter(meeting=meeting, state="pending", participant__servant=world.servant("head_d"))
    services.withdraw_item(world.hr, world.body, item.get().pk, reason="again")
    world.clock.day = D(2025, 1, 15)  # after the notice day
    meeting = kit.fresh(meeting)
    with pytest.raises(ValidationError) as info:
        services.refresh_agenda(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    assert shown(D(2025, 1, 14)) in info.value.message_dict["meeting_on"][0]


def test_cancelling_withdraws_the_items_for_another_meeting(world):
    kit.form(world)
    meeting = kit.schedule(world)
    with pytest.raises(ValidationError):
        services.cancel_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version, reason="")
    meeting = services.cancel_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version,
                                      reason="The chair is ill")
    assert meeting.state == MeetingState.CANCELLED
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True)) == {"withdrawn"}
    assert not WorkItem.objects.filter(state=ItemState.OPEN, object_type="commission.commissionmeeting").exists()
    again = kit.propose(world, D(2025, 1, 20))
    assert AgendaItem.objects.filter(meeting=again).count() == 3
