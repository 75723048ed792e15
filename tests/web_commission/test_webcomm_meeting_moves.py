"""HR moves or cancels a commission meeting from its page: the forms appear only in the states the
meeting's transition table allows, a success changes the meeting, records its audit event and says
so; a refusal (wrong state, wrong role, another body, a bad date, no reason) changes nothing and
says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from bagalau.commission.models import AgendaItem, CommissionMeeting, ItemState, MeetingState
from tests.commission import kit

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
NEW_DAY = dt.date(2025, 1, 21)  # a Tuesday, far enough ahead of today (2025-01-13) to notify in time


def _url(name: str, meeting) -> str:
    return reverse(f"web:{name}", args=[meeting.pk])


def _events(meeting, action: str):
    return AuditEvent.objects.filter(action=f"commission.meeting.{action}", object_id=str(meeting.pk))


def test_hr_sees_both_forms_on_a_scheduled_meeting_and_members_see_neither(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    html = client.get(_url("commission_meeting", meeting)).content.decode()
    assert 'data-form="reschedule"' in html and 'data-form="cancel"' in html
    assert _url("commission_reschedule", meeting) in html and _url("commission_cancel", meeting) in html
    client.force_login(world.user("m2"))
    html = client.get(_url("commission_meeting", meeting)).content.decode()
    assert 'data-form="reschedule"' not in html and 'data-form="cancel"' not in html


def test_moving_the_meeting_asks_the_chair_again_and_is_audited(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    response = client.post(_url("commission_reschedule", meeting),
                           {"version": meeting.version, "meeting_on": NEW_DAY.isoformat(), "place": "Кіші зал"}, **EN)
    assert response.status_code == 302 and response["Location"] == _url("commission_meeting", meeting)
    moved = kit.fresh(meeting)
    assert (moved.state, moved.meeting_on, moved.place) == (MeetingState.PROPOSED, NEW_DAY, "Кіші зал")
    assert moved.consented_at is None
    event = _events(meeting, "reschedule").get()
    assert event.payload["from_date"] == kit.MEETING_ON.isoformat()
    assert event.payload["meeting_on"] == NEW_DAY.isoformat()
    page = client.get(response["Location"], **EN).content.decode()
    assert "The meeting is moved; the chair is asked to agree the new date." in page


@pytest.mark.parametrize(("day", "words"), [
    ("2025-01-10", "later day than today"),
    ("2025-01-18", "is not a working day"),
    ("", "A date (YYYY-MM-DD) is expected."),
])
def test_a_bad_new_date_is_refused_against_the_date_field(client, world, day, words):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    response = client.post(_url("commission_reschedule", meeting),
                           {"version": meeting.version, "meeting_on": day, "place": "Кіші зал"}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('data-field="meeting_on"'):html.index('data-field="place"')]
    assert "field-error" in field and words in field
    assert kit.fresh(meeting).meeting_on == kit.MEETING_ON and kit.fresh(meeting).version == meeting.version
    assert not _events(meeting, "reschedule").exists()


def test_cancelling_withdraws_the_items_and_is_audited_with_the_reason(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    response = client.post(_url("commission_cancel", meeting),
                           {"version": meeting.version, "reason": "Төраға іссапарда"}, **EN)
    assert response.status_code == 302
    cancelled = kit.fresh(meeting)
    assert cancelled.state == MeetingState.CANCELLED and cancelled.cancel_reason == "Төраға іссапарда"
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True)) == {ItemState.WITHDRAWN}
    assert _events(meeting, "cancel").get().payload["reason"] == "Төраға іссапарда"
    page = client.get(response["Location"], **EN).content.decode()
    assert "The meeting is cancelled" in page
    # A cancelled meeting offers neither form any more.
    assert 'data-form="reschedule"' not in page and 'data-form="cancel"' not in page


def test_cancelling_without_a_reason_is_refused_against_the_reason_field(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    response = client.post(_url("commission_cancel", meeting), {"version": meeting.version, "reason": "  "}, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('data-field="reason"'):]
    assert "This field is required." in field[:field.index("</div>")]
    assert "<details class=\"cancel-meeting\" open>" in html  # the folded form is shown open with its error
    assert kit.fresh(meeting).state == MeetingState.SCHEDULED
    assert not _events(meeting, "cancel").exists()


def test_a_meeting_in_a_state_without_the_move_is_refused_with_409(client, world):
    kit.form(world)
    meeting = kit.sitting_decided(world)
    client.force_login(world.hr)
    html = client.get(_url("commission_meeting", meeting)).content.decode()
    assert 'data-form="reschedule"' not in html and 'data-form="cancel"' not in html
    for name, data in (("commission_reschedule", {"meeting_on": "2025-02-04"}), ("commission_cancel", {"reason": "x"})):
        response = client.post(_url(name, meeting), {"version": meeting.version, **data}, **EN)
        assert response.status_code == 409, name
        assert "Not allowed:" in response.content.decode() and 'data-error="page"' in response.content.decode()
    assert kit.fresh(meeting).state == MeetingState.DECIDED


def test_a_stale_form_is_refused_with_409(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    response = client.post(_url("commission_cancel", meeting), {"version": meeting.version - 1, "reason": "x"}, **EN)
    assert response.status_code == 409 and "reload it and try again" in response.content.decode()
    assert kit.fresh(meeting).state == MeetingState.SCHEDULED


def test_a_member_may_not_move_or_cancel(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.user("m1"))  # the chair
    assert client.post(_url("commission_reschedule", meeting),
                       {"version": meeting.version, "meeting_on": NEW_DAY.isoformat()}).status_code == 403
    assert client.post(_url("commission_cancel", meeting),
                       {"version": meeting.version, "reason": "x"}).status_code == 403
    assert kit.fresh(meeting).state == MeetingState.SCHEDULED and kit.fresh(meeting).meeting_on == kit.MEETING_ON


def test_another_body_s_meeting_is_not_found(client, world, other_hr):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(other_hr)
    assert client.post(_url("commission_reschedule", meeting),
                       {"version": meeting.version, "meeting_on": NEW_DAY.isoformat()}).status_code == 404
    assert client.post(_url("commission_cancel", meeting),
                       {"version": meeting.version, "reason": "x"}).status_code == 404
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.SCHEDULED


def test_the_forms_answer_only_post(client, world):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(world.hr)
    assert client.get(_url("commission_reschedule", meeting)).status_code == 405
    assert client.get(_url("commission_cancel", meeting)).status_code == 405
