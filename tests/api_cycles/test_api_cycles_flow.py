"""The whole KPI flow through the API, as each actor does it: HR opens, previews and launches a cycle
for the current year; the direct manager drafts the plan (4 KPIs refused, 5 accepted), the reviewer
returns it and then approves it; the manager fills the sheet with evidence and signs; the reviewer
returns it for insufficient evidence, then agrees; HR submits it to the Commission. Each step is
checked through the answers (state, version, derived rating, due dates with rule and clause,
signatures), the audit trail and the inboxes of the people involved.

It runs twice: on the demo (`load_demo`, where the first head drafts and also reviews the plans of
the department heads, S1-p.46) and on a factory body where the direct manager and the reviewer are
different people.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from bagalau.audit.models import AuditEvent
from bagalau.cycles.models import EvidenceFile, IndividualWorkPlan, KpiSheet, Participant
from bagalau.orgs.demo import demo_body
from bagalau.orgs.models import Servant
from tests.api_cycles.support import PDF, Api, build_org, fields, kpis, messages
from tests.factories import body as make_body
from tests.factories import grant, user

PLAN_ACTIONS = {"cycles.plan.open", "cycles.plan.edit", "cycles.plan.submit", "cycles.plan.return",
                "cycles.plan.approve"}
SHEET_ACTIONS = {"cycles.sheet.open", "cycles.sheet.edit", "cycles.sheet.sign", "cycles.sheet.return",
                 "cycles.sheet.agree", "cycles.sheet.forward"}


def events_of(obj_type: str, pk: int) -> list[str]:
    return list(AuditEvent.objects.filter(object_type=obj_type, object_id=str(pk)).order_by("id")
                .values_list("action", flat=True))


def walk(*, year: int, hr: Any, drafter: Any, reviewer: Any, servant_id: int, evaluated: Any | None = None,
         outsider: Any | None = None) -> dict[str, Any]:
    H, M, R = Api(hr), Api(drafter), Api(reviewer)
    period = (f"{year}-01-01", f"{year}-12-31")

    # -- HR opens the cycle (a draft already open for the year, as the demo's, is cancelled first) --
    for c in H.get("/api/cycles").json()["items"]:
        if c["state"] == "draft" and c["period_start"] <= period[1] and c["period_end"] >= period[0]:
            r = H.post(f"/api/cycles/{c['id']}/cancel", {"reason": "Reopened through the API"})
            assert r.status_code == 200, r.content
            assert r.json()["state"] == "cancelled"
    r = H.post("/api/cycles", {"kind": "year", "year": year})
    assert r.status_code == 201, r.content
    cycle = r.json()
    assert (cycle["state"], cycle["period_start"], cycle["period_end"]) == ("draft", *period)
    assert set(cycle["allowed_actions"]) == {"launch", "cancel"}
    cycle_id = cycle["id"]

    r = H.get(f"/api/cycles/{cycle_id}/launch-preview")
    assert r.status_code == 200, r.content
    preview = r.json()
    assert preview["methodology_version"] == "typical-g2023"
    rows = {p["servant_id"]: p for p in preview["participants"]}
    row = rows[servant_id]
    assert row["status"] == "evaluated" and row["track"] == "kpi"
    assert "kpi" in row["methods"] and row["methods_clause"]
    assert row["plan_approver"]["id"] == Servant.objects.get(user=reviewer, body_id=hr_body(hr)).pk
    for p in preview["participants"]:
        if p["status"] == "excluded":
            assert p["exclusion_reason"] and p["exclusion_clause"], p
        else:
            assert p["participation"] and p["participation_clause"], p
    assert Participant.objects.filter(cycle_id=cycle_id).count() == 0  # the preview wrote nothing

    r = H.post(f"/api/cycles/{cycle_id}/launch")
    assert r.status_code == 200, r.content
    cycle = r.json()
    assert cycle["state"] == "launched" and cycle["methodology_version"] == "typical-g2023"
    assert cycle["iwp_due"]["rule"] == "iwp_due" and cycle["iwp_due"]["clause"] == "G23-kpi-setting"
    assert cycle["participants"] == len(preview["participants"])

    board = H.get(f"/api/cycles/{cycle_id}/board", {"stage": "plan_draft", "per_page": 200}).json()
    mine = next(b for b in board["rows"] if b["servant_id"] == servant_id)
    plan_id = mine["plan_id"]
    assert mine["due_rule"] == "iwp_due" and mine["due"] == cycle["iwp_due"]["on"]

    # -- the direct manager drafts the plan -----------------------------------------------------------
    draft_item = next(i for i in M.inbox() if i["action"] == "iwp.draft" and i["object_id"] == str(plan_id))
    assert draft_item["api_url"] == f"/api/cycles/plans/{plan_id}"
    assert draft_item["due"] == cycle["iwp_due"]["on"] and draft_item["due_clause"] == "G23-kpi-setting"
    plan = M.get(draft_item["api_url"]).json()
    assert plan["state"] == "draft" and plan["kpi_count_required"] == 5
    assert plan["due"]["rule"] == "iwp_due" and plan["due"]["clause"] == "G23-kpi-setting" and plan["due"]["on"]
    assert "direct_manager" in plan["my_roles"] and {"edit", "submit"} <= set(plan["allowed_actions"])

    # Four KPIs, saved and submitted in one step: refused naming the count rule's clause, nothing saved.
    before = AuditEvent.objects.count()
    r = M.put(f"/api/cycles/plans/{plan_id}",
              {"kpis": kpis(4, year), "expected_version": plan["version"], "submit": True})
    assert r.status_code == 422, r.content
    assert "kpis" in fields(r) and "G23-kpi-count" in messages(r)
    assert AuditEvent.objects.count() == before
    stored = IndividualWorkPlan.objects.get(pk=plan_id)
    assert (stored.state, stored.version, stored.kpis.count()) == ("draft", plan["version"], 0)
    # Saved as a draft, the plan shows the same problem until it holds five.
    r = M.put(f"/api/cycles/plans/{plan_id}", {"kpis": kpis(4, year), "expected_version": plan["version"]})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert any(p["field"] == "kpis" and "G23-kpi-count" in p["message"] for p in plan["problems"])
    r = M.post(f"/api/cycles/plans/{plan_id}/submit", {"expected_version": plan["version"]})
    assert r.status_code == 422 and "G23-kpi-count" in messages(r)
    assert IndividualWorkPlan.objects.get(pk=plan_id).state == "draft"

    r = M.put(f"/api/cycles/plans/{plan_id}", {"kpis": kpis(5, year), "expected_version": plan["version"]})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert plan["problems"] == [] and len(plan["kpis"]) == 5
    r = M.post(f"/api/cycles/plans/{plan_id}/submit", {"expected_version": plan["version"]})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert plan["state"] == "submitted"
    assert [(s["action"], s["valid"]) for s in plan["signatures"]] == [("submit", True)]
    assert not M.has_item("iwp.draft", plan_id)
    assert R.has_item("iwp.approve", plan_id)

    # -- the reviewer returns it, the manager corrects and resubmits, the reviewer approves ---------
    r = R.post(f"/api/cycles/plans/{plan_id}/return",
               {"expected_version": plan["version"], "reason": "KPI 1 needs a measurable target"})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert plan["state"] == "returned" and plan["return_reason"] == "KPI 1 needs a measurable target"
    assert plan["due"]["rule"] == "iwp_due" and plan["due"]["clause"] == "G23-kpi-setting"
    assert [x["reason"] for x in plan["returns"]] == ["KPI 1 needs a measurable target"]
    assert not R.has_item("iwp.approve", plan_id)
    assert M.has_item("iwp.correct", plan_id)

    corrected = kpis(5, year)
    corrected[0]["target"] = "98"
    r = M.put(f"/api/cycles/plans/{plan_id}",
              {"kpis": corrected, "expected_version": plan["version"], "submit": True})  # save and submit
    assert r.status_code == 200, r.content
    plan = r.json()
    assert plan["state"] == "submitted" and plan["kpis"][0]["target"] == "98"
    # The first signature covered content that has changed since: it says so.
    assert [s["status"] for s in plan["signatures"]] == ["invalid_content_changed", "valid"]
    assert not M.has_item("iwp.correct", plan_id)
    r = R.post(f"/api/cycles/plans/{plan_id}/approve", {"expected_version": plan["version"]})
    assert r.status_code == 200, r.content
    plan = r.json()
    assert plan["state"] == "approved" and plan["sheet_id"]
    assert [(s["action"], s["valid"]) for s in plan["signatures"]] == [
        ("submit", False), ("submit", True), ("approve", True)]
    sheet_id = plan["sheet_id"]
    assert not R.has_item("iwp.approve", plan_id)
    assert M.has_item("sheet.fill", sheet_id)

    if evaluated is not None:  # the servant reads his own plan and cannot change it
        S = Api(evaluated)
        own = S.get(f"/api/cycles/plans/{plan_id}")
        assert own.status_code == 200 and own.json()["my_roles"] == ["servant"]
        assert own.json()["allowed_actions"] == []
        assert S.put(f"/api/cycles/plans/{plan_id}", {"kpis": kpis(5, year), "expected_version": plan["version"]}
                     ).status_code == 403

    # -- the manager fills the sheet, attaches a PDF and signs ---------------------------------------
    sheet = M.get(f"/api/cycles/sheets/{sheet_id}").json()
    assert sheet["state"] == "draft" and len(sheet["outcomes"]) == 5 and sheet["rating"]["value"] is None
    results = [{"number": n, "achieved": n <= 4, "evidence_text": f"Report No. {n}"} for n in range(1, 6)]
    r = M.put(f"/api/cycles/sheets/{sheet_id}",
              {"results": results, "expected_version": sheet["version"], "rating": "EFFECTIVE"})
    assert r.status_code == 422 and "rating" in fields(r)  # the rating is never typed
    assert KpiSheet.objects.get(pk=sheet_id).version == sheet["version"]
    r = M.put(f"/api/cycles/sheets/{sheet_id}", {"results": results, "expected_version": sheet["version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["rating"]["value"] == "PROPER" and sheet["rating"]["achieved_count"] == 4
    assert sheet["rating"]["clause"] and sheet["rating"]["label"]["kk"]
    assert [o["achieved"] for o in sheet["outcomes"]] == [True, True, True, True, False]

    r = M.upload(sheet_id, name="report-1.pdf", data=PDF, number=1, expected_version=sheet["version"])
    assert r.status_code == 201, r.content
    uploaded = r.json()
    assert uploaded["file"]["content_type"] == "application/pdf" and uploaded["sheet_version"] == sheet["version"] + 1
    r = M.post(f"/api/cycles/sheets/{sheet_id}/sign", {"expected_version": uploaded["sheet_version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["state"] == "under_review" and sheet["outcomes"][0]["files"][0]["name"] == "report-1.pdf"
    assert not M.has_item("sheet.fill", sheet_id)
    assert R.has_item("sheet.review", sheet_id)

    download = R.get(uploaded["file"]["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Disposition"].startswith("attachment")
    if outsider is not None:
        assert Api(outsider).get(uploaded["file"]["download_url"]).status_code == 403

    # -- the reviewer returns it citing insufficient evidence ----------------------------------------
    r = R.post(f"/api/cycles/sheets/{sheet_id}/return",
               {"expected_version": sheet["version"], "grounds": ["insufficient_evidence"],
                "reason": "KPI 5 has no supporting document"})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["state"] == "returned" and sheet["times_returned"] == 1
    assert sheet["return_grounds"] == ["insufficient_evidence"]
    assert sheet["due"]["rule"] == "sheet_resubmission_due" and sheet["due"]["clause"] == "G23-sheet-return"
    assert sheet["due"]["on"] and sheet["due"]["explanation"]["en"]
    assert [(x["grounds"], x["due_rule"]) for x in sheet["returns"]] == [(["insufficient_evidence"],
                                                                          "sheet_resubmission_due")]
    correct_item = next(i for i in M.inbox() if i["action"] == "sheet.correct" and i["object_id"] == str(sheet_id))
    assert correct_item["due"] == sheet["due"]["on"] and correct_item["due_rule"] == "sheet_resubmission_due"
    assert not R.has_item("sheet.review", sheet_id)

    # -- the manager corrects and signs again; the reviewer agrees ---------------------------------
    results[4] = {"number": 5, "achieved": True, "evidence_text": "Report No. 5 with the register extract"}
    r = M.put(f"/api/cycles/sheets/{sheet_id}", {"results": results, "expected_version": sheet["version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["rating"]["value"] == "EFFECTIVE" and sheet["rating"]["achieved_count"] == 5
    assert [s["status"] for s in sheet["signatures"]] == ["invalid_content_changed"]
    r = M.post(f"/api/cycles/sheets/{sheet_id}/sign", {"expected_version": sheet["version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["state"] == "under_review"
    assert not M.has_item("sheet.correct", sheet_id)
    assert R.has_item("sheet.review", sheet_id)
    r = R.post(f"/api/cycles/sheets/{sheet_id}/agree", {"expected_version": sheet["version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["state"] == "agreed"
    assert sheet["due"]["rule"] == "hr_to_commission_due" and sheet["due"]["clause"] == "G23-sheet-to-commission"
    assert [(s["action"], s["valid"]) for s in sheet["signatures"]] == [
        ("sign", False), ("sign", True), ("agree", True)]
    forward_item = next(i for i in H.inbox() if i["action"] == "sheet.forward" and i["object_id"] == str(sheet_id))
    assert forward_item["due"] == sheet["due"]["on"] and forward_item["due_clause"] == "G23-sheet-to-commission"
    assert not R.has_item("sheet.review", sheet_id)

    # -- HR submits it to the Commission --------------------------------------------------------------
    r = H.post(f"/api/cycles/sheets/{sheet_id}/forward", {"expected_version": sheet["version"]})
    assert r.status_code == 200, r.content
    sheet = r.json()
    assert sheet["state"] == "submitted_to_commission" and sheet["forwarded_at"]
    assert sheet["rating"]["value"] == "EFFECTIVE"
    assert not H.has_item("sheet.forward", sheet_id)
    done_docs = {("cycles.individualworkplan", str(plan_id)), ("cycles.kpisheet", str(sheet_id))}
    assert not any((i["object_type"], i["object_id"]) in done_docs for u in (H, M, R) for i in u.inbox())

    # -- the trail ------------------------------------------------------------------------------------
    plan_events = events_of("cycles.individualworkplan", plan_id)
    sheet_events = events_of("cycles.kpisheet", sheet_id)
    assert PLAN_ACTIONS <= set(plan_events) and SHEET_ACTIONS <= set(sheet_events)
    assert [e for e in plan_events if e.startswith("cycles.")][-4:] == [
        "cycles.plan.return", "cycles.plan.edit", "cycles.plan.submit", "cycles.plan.approve"]
    assert [e for e in sheet_events if e.startswith("cycles.")][-5:] == [
        "cycles.sheet.return", "cycles.sheet.edit", "cycles.sheet.sign", "cycles.sheet.agree",
        "cycles.sheet.forward"]
    assert {"cycles.cycle.create", "cycles.cycle.launch"} <= set(events_of("cycles.evaluationcycle", cycle_id))
    assert EvidenceFile.objects.filter(sheet_id=sheet_id).count() == 1
    return {"cycle_id": cycle_id, "plan_id": plan_id, "sheet_id": sheet_id, "preview": preview}


def hr_body(hr: Any) -> int:
    from bagalau.orgs.access import bodies_for

    return bodies_for(hr)[0].pk


def test_whole_flow_on_the_demo(db):
    call_command("load_demo", verbosity=0)
    body = demo_body()
    assert body is not None
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.all()}
    year = timezone.localdate().year
    # Under typical-g2023 the KPI method is for heads of units (S1 methods by group); in the demo the
    # department heads report to the first head, who drafts their plans and reviews them (S1-p.46).
    manager_servant = Servant.objects.get(user=users["manager"], body=body)
    done = walk(year=year, hr=users["hr"], drafter=users["head"], reviewer=users["head"],
                servant_id=manager_servant.pk, evaluated=users["manager"], outsider=users["servant"])
    preview = done["preview"]
    on_leave = [p for p in preview["participants"] if p["participation"] == "without_participation"]
    assert on_leave and all(p["participation_clause"] and p["absence_kinds"] for p in on_leave)
    heads = [p for p in preview["participants"] if p["is_head_of_unit"] and p["status"] == "evaluated"]
    assert heads and all("kpi" in p["methods"] for p in heads)


def test_whole_flow_with_a_separate_reviewer(db):
    year = timezone.localdate().year
    body = make_body()
    org = build_org(body, year)
    hr = user("flow_hr")
    grant(hr, body)
    done = walk(year=year, hr=hr, drafter=org.user("head_c"), reviewer=org.user("head_b"),
                servant_id=org.servants["head_d"].pk, evaluated=org.user("head_d"), outsider=org.user("spec"))
    rows = {p["servant_id"]: p for p in done["preview"]["participants"]}
    newcomer = rows[org.servants["newcomer"].pk]
    assert newcomer["status"] == "excluded"
    assert newcomer["exclusion_reason"] == "less_than_min_time_in_position" and newcomer["exclusion_clause"]
    note = next(n for n in newcomer["notes"] if n["code"] == "less_than_min_time_in_position")
    assert note["clause"] == newcomer["exclusion_clause"] and note["message"]
    absent = rows[org.servants["head_e"].pk]
    assert absent["status"] == "evaluated" and absent["participation"] == "without_participation"
    assert absent["participation_clause"] and absent["absence_kinds"] == ["temporary_incapacity"]
    spec = rows[org.servants["spec"].pk]
    assert spec["methods"] == ["ranking"] and spec["track"] == "other_methods"
    # The direct manager and the reviewer were different people: neither can do the other's step.
    assert rows[org.servants["head_d"].pk]["direct_manager"]["id"] == org.servants["head_c"].pk
    assert rows[org.servants["head_d"].pk]["sheet_reviewer"]["id"] == org.servants["head_b"].pk


@pytest.mark.parametrize("who", ["hr", "head_b"])
def test_the_board_filters_by_stage_unit_and_overdue(db, who):
    year = timezone.localdate().year
    body = make_body()
    org = build_org(body, year)
    hr = user("board_hr")
    grant(hr, body)
    H = Api(hr)
    cycle_id = H.post("/api/cycles", {"kind": "year", "year": year}).json()["id"]
    assert H.post(f"/api/cycles/{cycle_id}/launch").status_code == 200
    if who == "head_b":  # a unit head is no body reader: the board is HR's (and the auditor's) tool
        assert Api(org.user("head_b")).get(f"/api/cycles/{cycle_id}/board").status_code == 403
        return
    board = H.get(f"/api/cycles/{cycle_id}/board").json()
    assert board["total"] == sum(board["counts"].values()) == len(board["rows"])
    assert board["counts"]["excluded"] == 1 and board["counts"]["other_methods"] == 1
    kpi_rows = H.get(f"/api/cycles/{cycle_id}/board", {"stage": "plan_draft"}).json()
    assert {r["stage"] for r in kpi_rows["rows"]} == {"plan_draft"}
    assert kpi_rows["total"] == board["counts"]["plan_draft"]
    unit_id = Participant.objects.get(cycle_id=cycle_id, servant=org.servants["head_d"]).unit_id
    by_unit = H.get(f"/api/cycles/{cycle_id}/board", {"unit_id": unit_id}).json()
    assert [r["servant_id"] for r in by_unit["rows"]] == [org.servants["head_d"].pk]
    overdue = H.get(f"/api/cycles/{cycle_id}/board", {"overdue": "true"}).json()
    assert all(r["overdue"] for r in overdue["rows"]) and overdue["total"] == board["overdue_count"]
    page = H.get(f"/api/cycles/{cycle_id}/board", {"per_page": 2, "page": 2}).json()
    assert len(page["rows"]) == 2 and page["pages"] == -(-board["total"] // 2)
    assert H.get(f"/api/cycles/{cycle_id}/board", {"stage": "nonsense"}).status_code == 422
    assert H.get(f"/api/cycles/{cycle_id}/board", {"per_page": 201}).status_code == 422
