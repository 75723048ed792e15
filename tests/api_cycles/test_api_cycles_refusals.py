"""Bad input, foreign ids, wrong roles, stale versions and illegal moves: each gets a 4xx in the one
error shape naming the field (never a 500) and writes nothing: no audit event, no row, no file."""

from __future__ import annotations

import copy
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.models import (
    EvaluationCycle,
    EvidenceFile,
    IndividualWorkPlan,
    Kpi,
    KpiOutcome,
    KpiSheet,
    Participant,
    Signature,
)
from bagalau.inbox.models import WorkItem
from tests.api_cycles.support import EXE, PDF, Api, approved_sheet, fields, kpis, launched, messages, plan_of, results

YEAR = 2024


def state(media: Path) -> tuple[Any, ...]:
    files = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    return (
        AuditEvent.objects.count(), EvaluationCycle.objects.count(), Participant.objects.count(),
        WorkItem.objects.count(), Signature.objects.count(), EvidenceFile.objects.count(), Kpi.objects.count(),
        list(EvaluationCycle.objects.order_by("pk").values_list("pk", "state")),
        list(IndividualWorkPlan.objects.order_by("pk").values_list("pk", "state", "version", "return_reason")),
        list(KpiSheet.objects.order_by("pk").values_list("pk", "state", "version", "rating", "times_returned")),
        list(KpiOutcome.objects.order_by("pk").values_list("pk", "indicators_planned", "indicators_met",
                                                           "evidence_text")),
        list(Kpi.objects.order_by("pk").values_list("pk", "text_ru", "deadline")),
        files,
    )


@contextmanager
def writes_nothing(media: Path) -> Iterator[None]:
    before = state(media)
    yield
    assert state(media) == before


def is_error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, (r.status_code, r.content)
    data = r.json()
    assert isinstance(data["detail"], str) and data["detail"]
    assert all(set(e) == {"field", "message"} for e in data["errors"])
    return data


@pytest.fixture
def cycle(org, hr):
    return launched(org, hr)


@pytest.fixture
def plan(org, cycle):
    return plan_of(cycle, org, "head_d")


@pytest.fixture
def sheet(org, cycle):
    return approved_sheet(org, cycle)


# -- creating a cycle ------------------------------------------------------------------------------

@pytest.mark.parametrize(("payload", "field"), [
    ({}, "kind"),
    ({"kind": "holiday", "year": YEAR}, "kind"),
    ({"kind": "year", "year": "2025"}, "year"),
    ({"kind": "year", "year": 2025.0}, "year"),
    ({"kind": "year", "year": True}, "year"),
    ({"kind": "year", "year": 1999}, "year"),
    ({"kind": "quarter", "year": 2025, "quarter": 5}, "quarter"),
    ({"kind": "year", "year": 2025, "quarter": 2}, "quarter"),
    ({"kind": "year", "year": 2025, "period_start": "2025-01-01"}, "period_start"),
    ({"kind": "transitional", "period_start": 0, "period_end": "2025-06-30"}, "period_start"),
    ({"kind": "transitional", "period_start": "2025-02-30", "period_end": "2025-06-30"}, "period_start"),
    ({"kind": "transitional", "period_start": "2025-06-30", "period_end": "2025-01-01"}, "period_end"),
    ({"kind": "transitional", "period_start": "2025-01-01"}, "period_end"),
    ({"kind": "year", "year": 2025, "state": "launched"}, "state"),
    ({"kind": "year", "year": YEAR}, "period_start"),  # overlaps the launched cycle
])
def test_create_cycle_refuses_bad_input(org, hr, cycle, media, payload, field):
    with writes_nothing(media):
        r = Api(hr).post("/api/cycles", payload)
    assert field in fields(r), r.content
    is_error(r, 422)


def test_create_cycle_without_a_body_is_422_on_broken_json(org, hr, media):
    with writes_nothing(media):
        r = Api(hr).client.post("/api/cycles", "{not json", content_type="application/json")
    assert 400 <= r.status_code < 500


# -- saving a plan ---------------------------------------------------------------------------------

def _patched_kpis(**patch: Any) -> list[dict[str, Any]]:
    rows = kpis(5, YEAR)
    rows[0].update(patch)
    return rows


@pytest.mark.parametrize(("payload", "field"), [
    ({"expected_version": 1}, "kpis"),
    ({"kpis": kpis(5, YEAR)}, "expected_version"),
    ({"kpis": kpis(5, YEAR), "expected_version": "1"}, "expected_version"),
    ({"kpis": kpis(5, YEAR), "expected_version": True}, "expected_version"),
    ({"kpis": kpis(5, YEAR), "expected_version": 0}, "expected_version"),
    ({"kpis": "five", "expected_version": 1}, "kpis"),
    ({"kpis": kpis(21, YEAR), "expected_version": 1}, "kpis"),
    ({"kpis": _patched_kpis(deadline=0), "expected_version": 1}, "kpis.0.deadline"),
    ({"kpis": _patched_kpis(deadline="01.12.2024"), "expected_version": 1}, "kpis.0.deadline"),
    ({"kpis": _patched_kpis(text_ru=5), "expected_version": 1}, "kpis.0.text_ru"),
    ({"kpis": _patched_kpis(target="9" * 201), "expected_version": 1}, "kpis.0.target"),
    ({"kpis": _patched_kpis(weight=3), "expected_version": 1}, "kpis.0.weight"),
    ({"kpis": _patched_kpis(text_ru="a\x00b"), "expected_version": 1}, "kpis.0.text_ru"),  # PostgreSQL refuses NUL
])
def test_save_plan_refuses_bad_input(org, plan, media, payload, field):
    with writes_nothing(media):
        r = Api(org.user("head_c")).put(f"/api/cycles/plans/{plan.pk}", payload)
    data = is_error(r, 422)
    assert field in {e["field"] for e in data["errors"]}, data


def test_a_kpi_deadline_outside_the_period_is_shown_and_refuses_the_submit(org, plan, media):
    M = Api(org.user("head_c"))
    r = M.put(f"/api/cycles/plans/{plan.pk}",
              {"kpis": _patched_kpis(deadline="2025-01-15"), "expected_version": plan.version})
    assert r.status_code == 200, r.content  # a draft may be saved incomplete, as on the page
    saved = r.json()
    assert any(p["field"] == "kpis-1-deadline" and "outside" in p["message"] for p in saved["problems"])
    with writes_nothing(media):
        r = M.post(f"/api/cycles/plans/{plan.pk}/submit", {"expected_version": saved["version"]})
    data = is_error(r, 422)
    deadline = next(e for e in data["errors"] if e["field"] == "kpis-1-deadline")
    assert "G23-kpi-smart" in deadline["message"]


# -- saving a sheet --------------------------------------------------------------------------------

def _results(**patch: Any) -> list[dict[str, Any]]:
    rows = results(4)
    rows[0].update(patch)
    return rows


@pytest.mark.parametrize(("payload", "field"), [
    ({"results": results(4)}, "expected_version"),
    ({"results": _results(indicators_met="1"), "expected_version": 1}, "results.0.indicators_met"),
    ({"results": _results(achieved="yes"), "expected_version": 1}, "results.0.achieved"),
    ({"results": _results(number="1"), "expected_version": 1}, "results.0.number"),
    ({"results": _results(rating="EFFECTIVE"), "expected_version": 1}, "results.0.rating"),
    ({"results": results(4), "rating": "EFFECTIVE", "expected_version": 1}, "rating"),
    ({"results": results(4), "achieved_count": 5, "expected_version": 1}, "achieved_count"),
    ({"results": _results(number=9), "expected_version": 1}, "results-1-number"),
    ({"results": _results(indicators_met=3, indicators_planned=2), "expected_version": 1},
     "results-1-indicators_met"),
    ({"results": _results(evidence_text="\x00"), "expected_version": 1}, "results.0.evidence_text"),
])
def test_save_sheet_refuses_bad_input(org, sheet, media, payload, field):
    payload = copy.deepcopy(payload)
    if payload.get("expected_version") == 1:
        payload["expected_version"] = sheet.version
    with writes_nothing(media):
        r = Api(org.user("head_c")).put(f"/api/cycles/sheets/{sheet.pk}", payload)
    data = is_error(r, 422)
    assert field in {e["field"] for e in data["errors"]}, data


# -- evidence files --------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(("name", "data", "number", "field", "status"), [
    ("program.pdf", EXE, 1, "results-1-file", 422),  # an executable renamed .pdf
    ("photo.pdf", PNG, 1, "results-1-file", 422),  # a real PNG under a .pdf name
    ("empty.pdf", b"", 1, "results-1-file", 422),
    ("report.pdf", PDF, "one", "number", 422),
    ("report.pdf", PDF, 9, "number", 422),
])
def test_upload_refuses_bad_files(org, sheet, media, name, data, number, field, status):
    with writes_nothing(media):
        r = Api(org.user("head_c")).upload(sheet.pk, name=name, data=data, number=number,
                                           expected_version=sheet.version)
    body = is_error(r, status)
    assert field in {e["field"] for e in body["errors"]}, body


def test_upload_refuses_an_oversized_file(org, sheet, media, settings):
    settings.BAGALAU_EVIDENCE_MAX_BYTES = 1024
    big = PDF + b"0" * 2048
    with writes_nothing(media):
        r = Api(org.user("head_c")).upload(sheet.pk, name="big.pdf", data=big, number=1,
                                           expected_version=sheet.version)
    data = is_error(r, 422)
    assert "results-1-file" in {e["field"] for e in data["errors"]}
    ok = Api(org.user("head_c")).upload(sheet.pk, name="small.pdf", data=PDF, number=1,
                                        expected_version=sheet.version)
    assert ok.status_code == 201, ok.content


def test_upload_without_a_file_is_422(org, sheet, media):
    with writes_nothing(media):
        r = Api(org.user("head_c")).client.post(f"/api/cycles/sheets/{sheet.pk}/evidence",
                                                {"number": 1, "expected_version": sheet.version})
    assert "file" in fields(r)
    is_error(r, 422)


def test_remove_evidence_and_its_refusals(org, sheet, media, django_capture_on_commit_callbacks):
    M = Api(org.user("head_c"))
    up = M.upload(sheet.pk, name="report.pdf", data=PDF, number=2, expected_version=sheet.version).json()
    file_id, version = up["file"]["id"], up["sheet_version"]
    with writes_nothing(media):
        is_error(M.delete(f"/api/cycles/evidence/{file_id}", {"expected_version": version - 1}), 409)
        is_error(M.delete(f"/api/cycles/evidence/{file_id}"), 422)
        is_error(Api(org.user("head_b")).delete(f"/api/cycles/evidence/{file_id}", {"expected_version": version}),
                 403)
        is_error(Api(org.user("spec")).get(f"/api/cycles/evidence/{file_id}"), 403)
    with django_capture_on_commit_callbacks(execute=True):
        r = M.delete(f"/api/cycles/evidence/{file_id}", {"expected_version": version})
    assert r.status_code == 200, r.content
    assert r.json()["version"] == version + 1 and r.json()["outcomes"][1]["files"] == []
    assert not EvidenceFile.objects.exists() and not [p for p in media.rglob("*") if p.is_file()]
    assert M.get(f"/api/cycles/evidence/{file_id}").status_code == 404


# -- another body's ids ----------------------------------------------------------------------------

@pytest.fixture
def foreign(other_org, other_hr):
    cycle = launched(other_org, other_hr)
    sheet = approved_sheet(other_org, cycle)
    evidence = services.attach_evidence(other_org.user("head_c"), other_org.body, sheet.pk, number=1,
                                        name="theirs.pdf", stream=io.BytesIO(PDF),
                                        expected_version=sheet.version)
    draft = services.create_cycle(other_hr, other_org.body, kind="year", year=YEAR + 1)
    return {"cycle": cycle.pk, "draft": draft.pk, "plan": sheet.plan_id, "sheet": sheet.pk, "file": evidence.pk}


def foreign_calls(ids: dict[str, int]) -> list[tuple[str, str, Any]]:
    c, d, p, s, f = ids["cycle"], ids["draft"], ids["plan"], ids["sheet"], ids["file"]
    move = {"expected_version": 1}
    return [
        ("get", f"/api/cycles/{c}", None), ("get", f"/api/cycles/{c}/board", None),
        ("get", f"/api/cycles/{d}/launch-preview", None), ("post", f"/api/cycles/{d}/launch", None),
        ("post", f"/api/cycles/{d}/cancel", {"reason": ""}), ("post", f"/api/cycles/{c}/close", None),
        ("get", f"/api/cycles/plans/{p}", None), ("put", f"/api/cycles/plans/{p}", {"kpis": [], **move}),
        ("post", f"/api/cycles/plans/{p}/submit", move), ("post", f"/api/cycles/plans/{p}/approve", move),
        ("post", f"/api/cycles/plans/{p}/return", {**move, "reason": "x"}),
        ("get", f"/api/cycles/sheets/{s}", None), ("put", f"/api/cycles/sheets/{s}", {"results": [], **move}),
        ("post", f"/api/cycles/sheets/{s}/sign", move), ("post", f"/api/cycles/sheets/{s}/agree", move),
        ("post", f"/api/cycles/sheets/{s}/return", {**move, "grounds": ["insufficient_evidence"], "reason": "x"}),
        ("post", f"/api/cycles/sheets/{s}/forward", move),
        ("get", f"/api/cycles/evidence/{f}", None), ("delete", f"/api/cycles/evidence/{f}", {"expected_version": 1}),
        ("upload", str(s), None),
    ]


@pytest.mark.parametrize("who", ["hr", "head_c", "head_b"])
def test_another_bodys_ids_are_404(org, hr, cycle, foreign, media, who):
    api = Api(hr if who == "hr" else org.user(who))
    for method, path, data in foreign_calls(foreign):
        if who != "hr" and "/plans/" not in path and "/sheets/" not in path and "/evidence/" not in path \
                and method != "upload":
            continue  # the cycle pages are HR's: a unit head is refused (403) before any lookup
        with writes_nothing(media):
            if method == "upload":
                r = api.upload(int(path), name="x.pdf", data=PDF, number=1, expected_version=1)
            elif method == "delete":
                r = api.delete(path, data)
            elif method == "get":
                r = api.get(path)
            else:
                r = getattr(api, method)(path, data)
        assert r.status_code == 404, (method, path, r.status_code, r.content)
        assert r.json() == {"detail": r.json()["detail"], "errors": []}


# -- roles -----------------------------------------------------------------------------------------

def test_wrong_roles_are_403_and_write_nothing(org, hr, cycle, plan, media):
    head_c, head_b, head_d, spec = (Api(org.user(k)) for k in ("head_c", "head_b", "head_d", "spec"))
    H = Api(hr)
    body = {"kpis": kpis(5, YEAR), "expected_version": plan.version}
    with writes_nothing(media):
        is_error(head_d.put(f"/api/cycles/plans/{plan.pk}", body), 403)  # the servant himself
        is_error(head_b.put(f"/api/cycles/plans/{plan.pk}", body), 403)  # the reviewer does not draft
        is_error(H.put(f"/api/cycles/plans/{plan.pk}", body), 403)
        is_error(spec.get(f"/api/cycles/plans/{plan.pk}"), 403)  # no part in this evaluation
        is_error(head_c.post("/api/cycles", {"kind": "year", "year": YEAR + 1}), 403)
        is_error(head_c.get(f"/api/cycles/{cycle.pk}/launch-preview"), 403)
        is_error(spec.get("/api/cycles"), 403)
        is_error(head_c.post(f"/api/cycles/{cycle.pk}/close"), 403)
    plan = services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=kpis(5, YEAR),
                              expected_version=plan.version)
    plan = services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=plan.version)
    with writes_nothing(media):
        r = head_c.post(f"/api/cycles/plans/{plan.pk}/approve", {"expected_version": plan.version})
        assert "reviewer" in is_error(r, 403)["detail"]  # the direct manager does not approve his own draft
        is_error(H.post(f"/api/cycles/plans/{plan.pk}/approve", {"expected_version": plan.version}), 403)
    plan = services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version)
    sheet = KpiSheet.objects.get(plan=plan)
    with writes_nothing(media):
        is_error(head_b.put(f"/api/cycles/sheets/{sheet.pk}", {"results": results(5), "expected_version": 1}), 403)
        is_error(head_d.upload(sheet.pk, name="a.pdf", data=PDF, number=1, expected_version=sheet.version), 403)
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, results=results(4),
                                expected_version=sheet.version)
    sheet = services.sign_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version)
    with writes_nothing(media):
        is_error(head_c.post(f"/api/cycles/sheets/{sheet.pk}/agree", {"expected_version": sheet.version}), 403)
        is_error(H.post(f"/api/cycles/sheets/{sheet.pk}/return", {
            "expected_version": sheet.version, "grounds": ["insufficient_evidence"], "reason": "x"}), 403)
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    with writes_nothing(media):
        is_error(head_b.post(f"/api/cycles/sheets/{sheet.pk}/forward", {"expected_version": sheet.version}), 403)


# -- versions and the workflow table ----------------------------------------------------------------

def test_a_stale_version_is_409_naming_who_changed_it(org, plan, media):
    M = Api(org.user("head_c"))
    first = M.put(f"/api/cycles/plans/{plan.pk}", {"kpis": kpis(5, YEAR), "expected_version": plan.version})
    assert first.status_code == 200
    with writes_nothing(media):
        r = M.put(f"/api/cycles/plans/{plan.pk}", {"kpis": kpis(4, YEAR), "expected_version": plan.version})
        data = is_error(r, 409)
        assert "expected_version" in fields(r) and org.user("head_c").username in messages(r)
        assert str(first.json()["version"]) in data["detail"]
        is_error(M.post(f"/api/cycles/plans/{plan.pk}/submit", {"expected_version": plan.version}), 409)


def test_a_stale_version_on_a_sheet_is_409(org, sheet, media):
    M = Api(org.user("head_c"))
    M.put(f"/api/cycles/sheets/{sheet.pk}", {"results": results(4), "expected_version": sheet.version})
    with writes_nothing(media):
        is_error(M.put(f"/api/cycles/sheets/{sheet.pk}", {"results": results(5), "expected_version": sheet.version}),
                 409)
        is_error(M.post(f"/api/cycles/sheets/{sheet.pk}/sign", {"expected_version": sheet.version}), 409)
        is_error(M.upload(sheet.pk, name="a.pdf", data=PDF, number=1, expected_version=sheet.version), 409)


def test_illegal_transitions_are_409_naming_state_and_action(org, hr, cycle, plan, sheet, media):
    R, H = Api(org.user("head_b")), Api(hr)
    draft = plan_of(cycle, org, "head_c")  # head_c's own plan: drafted by head_b, approved by the first head
    with writes_nothing(media):
        r = Api(org.user("chairman")).post(f"/api/cycles/plans/{draft.pk}/approve",
                                           {"expected_version": draft.version})
        data = is_error(r, 409)
        assert "draft" in data["detail"] and "approve" in data["detail"] and fields(r) == {"state"}
        r = H.post(f"/api/cycles/sheets/{sheet.pk}/forward", {"expected_version": sheet.version})
        assert "forward" in is_error(r, 409)["detail"]
        r = R.post(f"/api/cycles/sheets/{sheet.pk}/agree", {"expected_version": sheet.version})
        assert "agree" in is_error(r, 409)["detail"]
        r = H.post(f"/api/cycles/{cycle.pk}/cancel", {"reason": "changed our mind"})
        assert "launched" in is_error(r, 409)["detail"]
        r = H.post(f"/api/cycles/{cycle.pk}/close")  # open plans and sheets remain
        assert "state" in fields(r) and is_error(r, 422)


def test_repeating_a_move_returns_the_document_unchanged(org, plan, media):
    M = Api(org.user("head_c"))
    saved = M.put(f"/api/cycles/plans/{plan.pk}", {"kpis": kpis(5, YEAR), "expected_version": plan.version}).json()
    first = M.post(f"/api/cycles/plans/{plan.pk}/submit", {"expected_version": saved["version"]})
    assert first.status_code == 200
    with writes_nothing(media):
        again = M.post(f"/api/cycles/plans/{plan.pk}/submit", {"expected_version": saved["version"]})
    assert again.status_code == 200 and again.json()["version"] == first.json()["version"]


def test_return_needs_a_reason_and_a_known_ground(org, sheet, media):
    M = Api(org.user("head_c"))
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, results=results(4),
                                expected_version=sheet.version)
    signed = M.post(f"/api/cycles/sheets/{sheet.pk}/sign", {"expected_version": sheet.version}).json()
    R = Api(org.user("head_b"))
    base = {"expected_version": signed["version"], "grounds": ["insufficient_evidence"], "reason": "Missing proof"}
    with writes_nothing(media):
        for patch, field in (({"reason": ""}, "reason"), ({"grounds": []}, "grounds"),
                             ({"grounds": ["dislike"]}, "grounds"), ({"grounds": "insufficient_evidence"}, "grounds"),
                             ({"reason": None}, "reason"), ({"reason": "a\x00"}, "reason")):
            r = R.post(f"/api/cycles/sheets/{sheet.pk}/return", {**base, **patch})
            assert field in fields(r), (patch, r.content)
            is_error(r, 422)


def test_save_and_sign_is_all_or_nothing(org, sheet, media):
    M = Api(org.user("head_c"))
    incomplete = results(4)[:4]  # KPI 5 has no result
    with writes_nothing(media):
        r = M.put(f"/api/cycles/sheets/{sheet.pk}", {"results": incomplete, "expected_version": sheet.version,
                                                     "sign": True})
        assert "results-5-indicators_met" in {e["field"] for e in is_error(r, 422)["errors"]}
    r = M.put(f"/api/cycles/sheets/{sheet.pk}", {"results": results(4), "expected_version": sheet.version,
                                                 "sign": True})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "under_review" and r.json()["rating"]["value"] == "PROPER"
    assert [s["action"] for s in r.json()["signatures"]] == ["sign"]


def test_odd_text_in_queries_and_file_names_is_never_a_500(org, hr, cycle, sheet, media):
    assert Api(hr).get(f"/api/cycles/{cycle.pk}/board", {"search": "\x00"}).status_code == 422
    r = Api(org.user("head_c")).upload(sheet.pk, name="re\x00port.pdf", data=PDF, number=1,
                                       expected_version=sheet.version)
    assert r.status_code in (201, 422), r.content
    if r.status_code == 201:
        assert "\x00" not in r.json()["file"]["name"]


@pytest.mark.parametrize("path, param", [
    ("/api/outcomes/familiarizations", "cycle_id"), ("/api/commission/meetings", "cycle_id"),
    ("/api/ranking/lists", "cycle_id"), ("/api/cycles/team", "cycle_id"), ("/api/outcomes/consequences", "servant_id"),
])
@pytest.mark.parametrize("value", ["-36893488147419103233", "36893488147419103233", "0"])
def test_a_row_id_past_the_databases_integers_is_refused_at_the_door(org, hr, path, param, value):
    """A query-string id is refused (422, naming it) unless it is a row id the databases can hold;
    SQLite's driver would otherwise overflow on it (500)."""
    errors = is_error(Api(hr).get(path, {param: value}), 422)["errors"]
    assert any(param in e["field"] for e in errors), errors


@pytest.mark.parametrize("path", ["/api/cycles", "/api/inbox", "/api/orgs/servants", "/api/commission/meetings"])
def test_a_list_offset_past_the_databases_integers_is_refused_at_the_door(org, hr, path):
    assert Api(hr).get(path, {"offset": "0"}).status_code == 200
    errors = is_error(Api(hr).get(path, {"offset": str(2**64)}), 422)["errors"]
    assert any("offset" in e["field"] for e in errors), errors
