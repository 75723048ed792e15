"""What the commission API refuses, and how: another body's ids are not found (404), a move by the
wrong role is 403, a stale `expected_version` or a move the workflow does not allow in the state is
409, a write without the CSRF token is refused, and a body id or unknown field is never taken."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import _get_new_csrf_string

from bagalau.commission.models import CommissionMeeting, CommissionOrder
from tests.api_commission.apicomm import BASE, FIVE, api, form, item_id, ok, open_with, order_payload, schedule, vote
from tests.api_cycles.support import Api, fields, messages
from tests.commission import kit


@pytest.fixture
def sitting(world):
    """Five members (m1 chairs), m1-m4 present, in session."""
    form(world)
    return open_with(world, schedule(world), ("m1", "m2", "m3", "m4"))


def test_another_bodys_ids_are_not_found(world, sitting, other_hr):
    order_id = CommissionOrder.objects.get().pk
    item = item_id(world, sitting, "head_b")
    mid = sitting["id"]
    stranger = Api(other_hr)
    for path in (f"{BASE}/orders/{order_id}", f"{BASE}/meetings/{mid}", f"{BASE}/items/{item}",
                 f"{BASE}/meetings/{mid}/protocol"):
        r = stranger.get(path)
        assert r.status_code == 404, path
        assert r.json() == {"detail": "Not found.", "errors": []}
    r = stranger.post(f"{BASE}/meetings/{mid}/cancel", {"expected_version": sitting["version"], "reason": "x"})
    assert r.status_code == 404
    r = stranger.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk, "meeting_on": "2025-01-24"})
    assert r.status_code == 404
    # The other body's lists show nothing of this one.
    assert ok(stranger.get(f"{BASE}/meetings"))["count"] == 0
    assert ok(stranger.get(BASE))["order"] is None
    assert CommissionMeeting.objects.get(pk=mid).state == "in_session"


def test_the_wrong_role_is_403(world):
    hr = api(world, "hr")
    r = hr.post(f"{BASE}/orders", order_payload(world))
    assert r.status_code == 403 and r.json()["errors"] == []
    assert not CommissionOrder.objects.exists()
    form(world)
    r = api(world, "m2").post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk,
                                                   "meeting_on": kit.MEETING_ON.isoformat()})
    assert r.status_code == 403
    meeting = ok(hr.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk,
                                              "meeting_on": kit.MEETING_ON.isoformat()}), 201)
    # Only the chair consents to the date; only the authorized person sees the approval queue.
    r = api(world, "m2").post(f"{BASE}/meetings/{meeting['id']}/consent", {"expected_version": meeting["version"]})
    assert r.status_code == 403
    assert hr.get(f"{BASE}/approval-queue").status_code == 403
    assert api(world, "m2").get(f"{BASE}/results").status_code == 403
    assert ok(hr.get(f"{BASE}/meetings/{meeting['id']}"))["state"] == "proposed"


def test_a_stale_version_is_409_and_changes_nothing(world):
    form(world)
    hr = api(world, "hr")
    meeting = ok(hr.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk,
                                              "meeting_on": kit.MEETING_ON.isoformat()}), 201)
    meeting = ok(hr.post(f"{BASE}/meetings/{meeting['id']}/draft-protocol"))
    moved = ok(hr.post(f"{BASE}/meetings/{meeting['id']}/reschedule",
                       {"expected_version": meeting["version"], "meeting_on": "2025-01-20"}))
    assert moved["version"] > meeting["version"] and moved["meeting_on"] == "2025-01-20"
    r = api(world, "m1").post(f"{BASE}/meetings/{meeting['id']}/consent", {"expected_version": meeting["version"]})
    assert r.status_code == 409 and fields(r) == {"expected_version"}
    assert f"version {moved['version']}" in r.json()["detail"]
    assert ok(hr.get(f"{BASE}/meetings/{meeting['id']}"))["state"] == "proposed"
    # Repeating a move that happened (a double click) returns the meeting unchanged.
    once = ok(api(world, "m1").post(f"{BASE}/meetings/{meeting['id']}/consent",
                                    {"expected_version": moved["version"]}))
    again = ok(api(world, "m1").post(f"{BASE}/meetings/{meeting['id']}/consent",
                                     {"expected_version": moved["version"]}))
    assert once["state"] == again["state"] == "scheduled" and once["version"] == again["version"]


def test_approving_before_the_protocol_is_signed_is_409(world, sitting):
    hr = api(world, "hr")
    for key in kit.EVALUATED:
        item = item_id(world, sitting, key)
        for m in ("m1", "m2", "m3", "m4"):
            if world.user(m) != world.servant(key).user:
                ok(vote(world, item, m, "approve"))
        ok(hr.post(f"{BASE}/items/{item}/decide"))
    meeting = ok(hr.get(f"{BASE}/meetings/{sitting['id']}"))
    # Closing the sitting is the secretary's: the authorized person may not.
    r = api(world, "authorized").post(f"{BASE}/meetings/{sitting['id']}/conclude",
                                      {"expected_version": meeting["version"]})
    assert r.status_code == 403
    meeting = ok(hr.post(f"{BASE}/meetings/{sitting['id']}/conclude", {"expected_version": meeting["version"]}))
    r = api(world, "authorized").post(f"{BASE}/meetings/{sitting['id']}/approve",
                                      {"expected_version": meeting["version"]})
    assert r.status_code == 409 and fields(r) == {"state"}
    assert ok(hr.get(f"{BASE}/meetings/{sitting['id']}"))["state"] == "decided"
    assert ok(hr.get(f"{BASE}/results")) == []
    # Voting on a closed sitting is 409 as well; signing by someone absent is 403.
    r = vote(world, item_id(world, sitting, "head_b"), "m1", "approve")
    assert r.status_code == 409
    assert api(world, "m5").post(f"{BASE}/meetings/{sitting['id']}/protocol/sign").status_code == 403


def test_votes_need_a_choice_and_a_revision_its_corrected_result(world, sitting):
    item = item_id(world, sitting, "head_b")
    r = vote(world, item, "m1", "abstain")
    assert r.status_code == 422 and fields(r) == {"choice"} and "Q-09" in messages(r)
    r = vote(world, item, "m1", "revise")
    assert r.status_code == 422 and {"corrected_result", "reason"} <= fields(r)
    r = api(world, "m1").post(f"{BASE}/items/{item}/vote", {"choice": 1})
    assert r.status_code == 422 and fields(r) == {"choice"}
    # A member who has not voted blocks the decision (no abstention, Q-09).
    ok(vote(world, item, "m1", "approve"))
    r = api(world, "hr").post(f"{BASE}/items/{item}/decide")
    assert r.status_code == 422 and fields(r) == {"votes"}
    tally = ok(api(world, "hr").get(f"{BASE}/items/{item}"))
    assert [m["name"] for m in tally["missing"]] and tally["item"]["state"] == "pending"
    withdrawn = ok(api(world, "hr").post(f"{BASE}/items/{item}/withdraw", {"reason": "Later meeting"}))
    assert withdrawn["item"]["state"] == "withdrawn" and withdrawn["votes"] == []


def test_bodies_and_unknown_fields_are_refused(world):
    auth = api(world, "authorized")
    r = auth.post(f"{BASE}/orders", order_payload(world, body_id=world.body.pk))
    assert r.status_code == 422 and fields(r) == {"body_id"}
    r = auth.post(f"{BASE}/orders", order_payload(world, order_date=20250106))
    assert r.status_code == 422 and fields(r) == {"order_date"}
    bad = order_payload(world)
    bad["chair"] = {"servant": world.servant("m1").pk, "user": world.user("m1").pk}
    assert auth.post(f"{BASE}/orders", bad).status_code == 422
    assert not CommissionOrder.objects.exists()
    order = form(world)
    r = api(world, "hr").post(f"{BASE}/meetings/0/open", {"expected_version": "1", "present": []})
    assert r.status_code == 422 and fields(r) == {"expected_version"}
    assert order["state"] == "active"


def test_an_amending_order_replaces_a_member(world):
    auth = api(world, "authorized")
    order = form(world)
    r = auth.post(f"{BASE}/orders/{order['id']}/amend", order_payload(world, ("m1", "m2", "m3", "m4", "m6")))
    assert r.status_code == 422  # an amendment gives its reason
    draft = ok(auth.post(f"{BASE}/orders/{order['id']}/amend",
                         order_payload(world, ("m1", "m2", "m3", "m4", "m6"), number="14-ж",
                                       reason="m5 transferred")), 201)
    assert (draft["state"], draft["revision"], draft["amends_id"]) == ("draft", 2, order["id"])
    draft = ok(auth.put(f"{BASE}/orders/{draft['id']}",
                        {**order_payload(world, ("m1", "m2", "m3", "m4", "m7"), number="14-ж",
                                         reason="m5 transferred"), "expected_version": draft["version"]}))
    assert draft["seats"][4]["user_id"] == world.user("m7").pk
    issued = ok(auth.post(f"{BASE}/orders/{draft['id']}/issue", {"expected_version": draft["version"]}))
    assert issued["state"] == "active" and [o["state"] for o in issued["lineage"]] == ["amended", "active"]
    view = ok(auth.get(BASE))
    assert view["order"]["id"] == draft["id"] and len(view["history"]) == 2
    # An issued order is never changed.
    r = auth.put(f"{BASE}/orders/{draft['id']}", {**order_payload(world, FIVE), "expected_version": issued["version"]})
    assert r.status_code == 409


def test_cancelling_a_meeting_frees_its_items(world):
    form(world)
    meeting = schedule(world)
    r = api(world, "hr").post(f"{BASE}/meetings/{meeting['id']}/cancel", {"expected_version": meeting["version"]})
    assert r.status_code == 422 and fields(r) == {"reason"}
    meeting = ok(api(world, "hr").post(f"{BASE}/meetings/{meeting['id']}/cancel",
                                       {"expected_version": meeting["version"], "reason": "Chair ill"}))
    assert meeting["state"] == "cancelled" and meeting["cancel_reason"] == "Chair ill"
    assert {t["item"]["state"] for t in meeting["items"]} == {"withdrawn"}
    again = ok(api(world, "hr").post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk, "meeting_on": "2025-01-24"}),
               201)
    assert len(again["items"]) == 3


def test_writes_without_the_csrf_token_are_refused(world):
    auth = api(world, "authorized", csrf=True)
    r = auth.post(f"{BASE}/orders", order_payload(world))
    assert r.status_code == 403 and "CSRF" in r.json()["detail"] and r.json()["errors"] == []
    assert not CommissionOrder.objects.exists()
    token = _get_new_csrf_string()
    auth.client.cookies["csrftoken"] = token
    r = auth.client.post(f"{BASE}/orders", json.dumps(order_payload(world)), content_type="application/json",
                         HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201 and CommissionOrder.objects.count() == 1
