"""The commission pages: who sees them (200 / 403 / 404), bad input shown against its field with
nothing written, the secretary's vote refused on the page, and both catalogs rendering."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.audit.models import AuditEvent
from bagalau.commission.models import CommissionMeeting, CommissionOrder, Vote
from tests.commission import kit

pytestmark = pytest.mark.django_db

COMMISSION = reverse("web:commission")


def _meeting_url(meeting) -> str:
    return reverse("web:commission_meeting", args=[meeting.pk])


def test_the_commission_page_for_hr_the_authorized_person_and_a_member(client, world):
    kit.form(world)
    for key in ("hr", "chairman", "m2", "ext"):
        client.force_login(world.user(key))
        response = client.get(COMMISSION)
        assert response.status_code == 200, key
        assert "12-ж" in response.content.decode()
    client.force_login(world.authorized)
    assert b'data-card="order-form"' in client.get(COMMISSION).content
    client.force_login(world.user("m2"))
    assert b'data-card="order-form"' not in client.get(COMMISSION).content


def test_a_servant_off_the_commission_gets_403(client, world):
    meeting = kit.schedule(world) if kit.form(world) else None
    client.force_login(world.user("head_b"))
    assert client.get(COMMISSION).status_code == 403
    assert client.get(_meeting_url(meeting)).status_code == 403
    assert client.post(reverse("web:commission_order"), {"number": "x"}).status_code == 403


def test_a_meeting_of_another_body_is_not_found(client, world, other_body, other_hr, clock):
    kit.form(world)
    meeting = kit.schedule(world)
    client.force_login(other_hr)
    assert client.get(_meeting_url(meeting)).status_code == 404
    assert client.get(reverse("web:commission_protocol", args=[meeting.pk])).status_code == 404
    client.force_login(world.hr)
    assert client.get(reverse("web:commission_meeting", args=[meeting.pk + 1000])).status_code == 404


def test_too_few_members_is_refused_on_the_members_field_and_nothing_is_written(client, world):
    client.force_login(world.authorized)
    m = world.servant
    response = client.post(reverse("web:commission_order"), {
        "intent": "form", "number": "1-ж", "order_date": kit.PROPOSED_ON.isoformat(), "chair": m("m1").user_id,
        "members": [m("m2").user_id], "secretary": world.hr.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="members"' in html and "has-error" in html and "(G23-commission)" in html
    assert not CommissionOrder.objects.exists()


def test_forming_then_amending_needs_a_reason(client, world):
    client.force_login(world.authorized)
    m = world.servant
    data = {"intent": "form", "number": "1-ж", "order_date": kit.PROPOSED_ON.isoformat(), "chair": m("m1").user_id,
            "members": [m(k).user_id for k in ("m2", "m3", "m4", "m5")], "secretary": world.hr.pk}
    assert client.post(reverse("web:commission_order"), data).status_code == 302
    amend = {**data, "intent": "amend", "members": [m(k).user_id for k in ("m2", "m3", "m4", "m6")], "number": "2-ж"}
    response = client.post(reverse("web:commission_order"), amend)
    assert response.status_code == 400
    assert CommissionOrder.objects.count() == 1
    assert client.post(reverse("web:commission_order"), {**amend, "reason": "Transferred"}).status_code == 302
    assert CommissionOrder.objects.filter(state="active").get().number == "2-ж"


def test_a_meeting_too_close_to_notify_is_refused_on_the_date(client, world):
    kit.form(world)
    client.force_login(world.hr)
    response = client.post(reverse("web:commission_propose"), {
        "cycle": world.cycle.pk, "meeting_on": "2025-01-14", "place": "Зал"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'data-field="meeting_on"' in html and "field-error" in html and "G23-schedule-notice" in html
    assert not CommissionMeeting.objects.exists()
    response = client.post(reverse("web:commission_propose"), {
        "cycle": world.cycle.pk, "meeting_on": kit.MEETING_ON.isoformat(), "place": "Зал"})
    assert response.status_code == 302


def test_the_secretarys_vote_is_refused_on_the_page(client, world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4"))
    item = kit.item_of(meeting, world, "head_b")
    client.force_login(world.hr)
    client.cookies["django_language"] = "en"
    page = client.get(_meeting_url(meeting)).content.decode()
    assert "data-vote-for" not in page and 'data-action="decide"' in page
    response = client.post(reverse("web:commission_vote", args=[meeting.pk]), {"item": item.pk, "choice": "approve"})
    assert response.status_code == 403
    assert 'data-error="panel"' in response.content.decode()
    assert "The secretary keeps the protocol and does not vote" in response.content.decode()
    assert not Vote.objects.exists()
    assert AuditEvent.objects.filter(action="commission.vote_refused").exists()
    # Through htmx the refusal is drawn in the panel (htmx swaps only 2xx answers).
    response = client.post(reverse("web:commission_vote", args=[meeting.pk]), {"item": item.pk, "choice": "approve"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and 'data-error="panel"' in response.content.decode()


def test_a_member_votes_and_the_secretary_records_the_decision(client, world):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4"))
    item = kit.item_of(meeting, world, "head_b")
    for key in ("m1", "m2", "m3", "m4"):
        client.force_login(world.user(key))
        assert f'data-vote-for="{item.pk}"'.encode() in client.get(_meeting_url(meeting)).content
        response = client.post(reverse("web:commission_vote", args=[meeting.pk]),
                               {"item": item.pk, "choice": "approve"}, headers={"HX-Request": "true"})
        assert response.status_code == 200 and b'id="sitting-panel"' in response.content
        assert b"<html" not in response.content
    client.force_login(world.hr)
    response = client.post(reverse("web:commission_decide", args=[meeting.pk]), {"item": item.pk})
    assert response.status_code == 302
    assert kit.fresh(item).state == "decided"


@pytest.mark.parametrize("language, word", [("kk", 'lang="kk"'), ("ru", 'lang="ru"')])
def test_the_pages_render_in_kazakh_and_russian(client, world, language, word):
    kit.form(world)
    meeting = kit.open_with(world, kit.schedule(world), ("m1", "m2", "m3", "m4"))
    client.force_login(world.hr)
    client.cookies["django_language"] = language
    for url in (COMMISSION, _meeting_url(meeting), reverse("web:commission_protocol", args=[meeting.pk])):
        response = client.get(url)
        assert response.status_code == 200
        assert word in response.content.decode()
