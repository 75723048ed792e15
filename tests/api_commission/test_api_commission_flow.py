"""A whole commission meeting through the API: the order (5 members and the HR secretary), a
composition below the minimum, a date too close to notify, the chair's consent, a sitting opened
without quorum, the attendance corrected, a revision by majority, a tie broken by the chair's
casting vote, the secretary's refused vote (audited), the protocol signed by every signatory and
the approval that makes the results final with their familiarization due date."""

from __future__ import annotations

import datetime as dt

from bagalau.audit.models import AuditEvent
from bagalau.commission.models import CommissionOrder, FinalResult, Vote
from tests.api_commission.apicomm import BASE, FIVE, api, item_id, ok, order_payload, seat_ids, vote
from tests.api_cycles.support import fields, messages
from tests.commission import kit


def test_a_whole_meeting_through_the_api(world):
    auth, hr = api(world, "authorized"), api(world, "hr")

    # The order: four members are fewer than the minimum of five, the chair counted (S0-p.5).
    r = auth.post(f"{BASE}/orders", order_payload(world, ("m1", "m2", "m3", "m4")))
    assert r.status_code == 422, r.content
    assert "G23-commission" in messages(r) and "at least 5" in messages(r)
    assert not CommissionOrder.objects.exists()
    order = ok(auth.post(f"{BASE}/orders", order_payload(world, FIVE)), 201)
    assert (order["state"], order["revision"], order["composition_clause"]) == ("draft", 1, "G23-commission")
    assert [s["role"] for s in order["seats"]] == ["chair", "member", "member", "member", "member", "secretary"]
    assert "issue" in order["allowed_actions"]
    order = ok(auth.post(f"{BASE}/orders/{order['id']}/issue", {"expected_version": order["version"]}))
    assert order["state"] == "active"
    view = ok(hr.get(BASE))
    assert (view["order"]["id"], view["members"], view["quorum_required"], view["min_members"]) == (
        order["id"], 5, 4, 5)
    assert view["quorum_clause"] == "G23-quorum" and view["my_roles"] == ["hr"]

    # The meeting: tomorrow is too late to notify the evaluators 3 working days before (S1-p.57).
    r = hr.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk, "meeting_on": "2025-01-14"})
    assert r.status_code == 422 and fields(r) == {"meeting_on"}
    assert "G23-schedule-notice" in messages(r) and "3 working days" in messages(r)
    meeting = ok(hr.post(f"{BASE}/meetings", {"cycle_id": world.cycle.pk,
                                              "meeting_on": kit.MEETING_ON.isoformat(), "place": "Зал"}), 201)
    mid = meeting["id"]
    assert meeting["state"] == "proposed" and len(meeting["items"]) == 3
    assert (meeting["notice"]["by"], meeting["notice"]["clause"]) == ("2025-01-14", "G23-schedule-notice")
    meeting = ok(hr.post(f"{BASE}/meetings/{mid}/draft-protocol"))
    assert meeting["protocol"]["state"] == "draft"
    meeting = ok(api(world, "m1").post(f"{BASE}/meetings/{mid}/consent", {"expected_version": meeting["version"]}))
    assert meeting["state"] == "scheduled"
    listed = ok(hr.get(f"{BASE}/meetings", {"cycle_id": world.cycle.pk}))
    assert listed["count"] == 1 and listed["items"][0]["items"] == 3

    # Opened with 3 of 5 present: 4 are needed (two thirds, rounded up, S1-p.58); nothing is decided.
    world.clock.day = kit.MEETING_ON
    meeting = ok(hr.post(f"{BASE}/meetings/{mid}/open", {"expected_version": meeting["version"],
                                                         "present": seat_ids(world, meeting, ("m1", "m2", "m3"))}))
    assert meeting["state"] == "in_session"
    assert {k: meeting["quorum"][k] for k in ("members", "present", "required", "quorate")} == {
        "members": 5, "present": 3, "required": 4, "quorate": False}
    b, c, d = (item_id(world, meeting, k) for k in kit.EVALUATED)
    r = vote(world, b, "m1", "approve")
    assert r.status_code == 422 and fields(r) == {"quorum"} and "No quorum" in messages(r)
    assert not Vote.objects.exists()
    assert AuditEvent.objects.filter(action="commission.vote_refused", payload__reason="no_quorum").exists()

    # A late arrival: 4 of 5 present, quorate.
    meeting = ok(hr.put(f"{BASE}/meetings/{mid}/attendance",
                        {"present": seat_ids(world, meeting, ("m1", "m2", "m3", "m4"))}))
    assert meeting["quorum"]["present"] == 4 and meeting["quorum"]["quorate"] is True
    assert [s["present"] for s in meeting["seats"]] == [True, True, True, True, False, None]
    assert {t["item_id"] for t in ok(api(world, "m2").get(f"{BASE}/my-votes"))} == {b, c, d}

    # head_b: revised by a majority of 3 to 1, with the corrected result beside the original.
    ok(vote(world, b, "m1", "approve"))
    for m in ("m2", "m3", "m4"):
        ok(vote(world, b, m, "revise", "PROPER", "KPI 4 evidence is weak"))
    tally = ok(hr.post(f"{BASE}/items/{b}/decide"))
    assert (tally["item"]["decision"], tally["item"]["original_result"], tally["item"]["corrected_result"]) == (
        "revise", "EFFECTIVE", "PROPER")
    assert (tally["item"]["votes_for"], tally["item"]["votes_against"], tally["casting_vote"]) == (3, 1, False)

    # head_c: 2 to 2, the chair's vote decides (S1-p.61).
    ok(vote(world, c, "m1", "revise", "SATISFACTORY", "KPI 2 not met in full"))
    ok(vote(world, c, "m2", "approve"))
    ok(vote(world, c, "m3", "approve"))
    tally = ok(vote(world, c, "m4", "revise", "SATISFACTORY", "Agree with the chair"))
    assert (tally["approve"], tally["revise"], tally["projected"], tally["casting_vote"]) == (2, 2, "REVISE", True)
    tally = ok(hr.post(f"{BASE}/items/{c}/decide"))
    assert (tally["item"]["decision"], tally["item"]["casting_vote"], tally["item"]["corrected_result"]) == (
        "revise", True, "SATISFACTORY")

    # The secretary keeps the protocol and does not vote (S1-p.62): refused, and the refusal audited.
    r = vote(world, d, "hr", "approve")
    assert r.status_code == 403 and "G23-secretary" in messages(r)
    event = AuditEvent.objects.filter(action="commission.vote_refused").latest("id")
    assert (event.object_id, event.role, event.actor_id, event.payload["reason"]) == (
        str(d), "secretary", world.hr.pk, "secretary")
    for m in ("m1", "m2", "m3", "m4"):
        ok(vote(world, d, m, "approve"))
    ok(hr.post(f"{BASE}/items/{d}/decide"))
    meeting = ok(hr.get(f"{BASE}/meetings/{mid}"))
    assert [t["item"]["state"] for t in meeting["items"]] == ["decided"] * 3
    meeting = ok(hr.post(f"{BASE}/meetings/{mid}/conclude", {"expected_version": meeting["version"]}))
    assert meeting["state"] == "decided" and meeting["protocol"]["state"] == "final"

    # Decided is not final: nothing is a final result before the authorized person approves.
    assert ok(hr.get(f"{BASE}/results")) == [] and not FinalResult.objects.exists()
    assert ok(api(world, "authorized").get(f"{BASE}/approval-queue")) == []

    # Every signatory signs: the chair and the members present, and the secretary.
    protocol = ok(hr.get(f"{BASE}/meetings/{mid}/protocol"))
    assert len(protocol["required"]) == 5 and len(protocol["missing"]) == 5 and protocol["valid"] is False
    for key in ("m1", "m2", "m3", "m4", "hr"):
        protocol = ok(api(world, key).post(f"{BASE}/meetings/{mid}/protocol/sign"))
    assert protocol["missing"] == [] and protocol["complete"] and protocol["valid"]
    assert len(protocol["signatures"]) == 5 and all(s["valid"] for s in protocol["signatures"])
    assert {s["role"] for s in protocol["signatures"]} == {"chair", "member", "secretary"}
    queue = ok(auth.get(f"{BASE}/approval-queue"))
    assert [(q["meeting_id"], q["decided"], q["revised"]) for q in queue] == [(mid, 3, 2)]
    meeting = ok(hr.get(f"{BASE}/meetings/{mid}"))
    assert meeting["state"] == "protocol_signed"

    # The approval (S1-p.67): the results are final, familiarization within 2 working days (S1-p.68).
    meeting = ok(auth.post(f"{BASE}/meetings/{mid}/approve", {"expected_version": queue[0]["version"]}))
    assert (meeting["state"], meeting["approved_on"]) == ("approved", kit.MEETING_ON.isoformat())
    results = {r["servant_id"]: r for r in ok(hr.get(f"{BASE}/results", {"cycle_id": world.cycle.pk}))}
    assert set(results) == {world.servant(k).pk for k in kit.EVALUATED}
    got = {k: (results[world.servant(k).pk]["value"], results[world.servant(k).pk]["original_result"],
               results[world.servant(k).pk]["revised"]) for k in kit.EVALUATED}
    assert got == {"head_b": ("PROPER", "EFFECTIVE", True), "head_c": ("SATISFACTORY", "PROPER", True),
                   "head_d": ("SATISFACTORY", "SATISFACTORY", False)}
    for r in results.values():
        assert r["approved_on"] == "2025-01-17" and r["clause"] == "G23-decisions"
        assert (r["familiarization_due"], r["familiarization_clause"]) == (
            (kit.MEETING_ON + dt.timedelta(days=4)).isoformat(), "G23-familiarization")  # Fri 17 -> Tue 21.01
    protocol = ok(hr.get(f"{BASE}/meetings/{mid}/protocol"))
    assert protocol["approved_on"] == "2025-01-17" and protocol["approved_by_name"]
    assert ok(auth.get(f"{BASE}/approval-queue")) == []
