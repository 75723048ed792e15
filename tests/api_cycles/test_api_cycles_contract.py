"""The contract around the cycle API: authentication and CSRF, the OpenAPI document, the inbox, the
tenant boundary of reads, and a board whose query count does not grow with the cycle."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.middleware.csrf import _get_new_csrf_string

from bagalau.cycles import services
from bagalau.cycles.models import EvaluationCycle, EvidenceFile, IndividualWorkPlan, KpiSheet
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import StateBody
from tests import factories
from tests.api_cycles.support import PDF, Api, approved_sheet, kpis, launched, plan_of, results

YEAR = 2024
D = dt.date

NEW_OPERATIONS = {
    ("get", "/api/cycles"), ("post", "/api/cycles"), ("get", "/api/cycles/{cycle_id}"),
    ("get", "/api/cycles/{cycle_id}/launch-preview"), ("post", "/api/cycles/{cycle_id}/launch"),
    ("post", "/api/cycles/{cycle_id}/cancel"), ("post", "/api/cycles/{cycle_id}/close"),
    ("get", "/api/cycles/{cycle_id}/board"), ("get", "/api/cycles/mine"), ("get", "/api/cycles/team"),
    ("get", "/api/cycles/plans/{plan_id}"), ("put", "/api/cycles/plans/{plan_id}"),
    ("post", "/api/cycles/plans/{plan_id}/submit"), ("post", "/api/cycles/plans/{plan_id}/approve"),
    ("post", "/api/cycles/plans/{plan_id}/return"),
    ("get", "/api/cycles/sheets/{sheet_id}"), ("put", "/api/cycles/sheets/{sheet_id}"),
    ("post", "/api/cycles/sheets/{sheet_id}/evidence"), ("get", "/api/cycles/evidence/{file_id}"),
    ("delete", "/api/cycles/evidence/{file_id}"), ("post", "/api/cycles/sheets/{sheet_id}/sign"),
    ("post", "/api/cycles/sheets/{sheet_id}/agree"), ("post", "/api/cycles/sheets/{sheet_id}/return"),
    ("post", "/api/cycles/sheets/{sheet_id}/forward"), ("get", "/api/inbox"),
}


def test_openapi_is_3_1_and_lists_every_operation_with_its_errors(client, db):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    found = {(m, p) for p, ops in doc["paths"].items() for m in ops if p.startswith(("/api/cycles", "/api/inbox"))}
    assert found == NEW_OPERATIONS
    for method, path in NEW_OPERATIONS:
        responses = doc["paths"][path][method]["responses"]
        assert {"400", "401", "403", "404", "409", "422"} <= set(responses), (method, path)
        assert responses["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
        assert {"200", "201"} & set(responses), (method, path)
    upload = doc["paths"]["/api/cycles/sheets/{sheet_id}/evidence"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
    download = doc["paths"]["/api/cycles/evidence/{file_id}"]["get"]["responses"]["200"]["content"]
    assert "application/octet-stream" in download
    schemas = doc["components"]["schemas"]
    assert schemas["SheetSaveIn"]["additionalProperties"] is False  # no room for a typed rating
    assert "rating" not in schemas["SheetSaveIn"]["properties"]
    assert schemas["MoveIn"]["properties"]["expected_version"]["minimum"] == 1


@pytest.mark.parametrize("path", ["/api/cycles", "/api/inbox", "/api/cycles/plans/1", "/api/cycles/evidence/1"])
def test_anonymous_is_401(client, db, path):
    r = client.get(path)
    assert r.status_code == 401 and r.json()["detail"] and r.json()["errors"] == []


def test_writes_without_the_csrf_token_are_refused(org, hr, media):
    cycle = launched(org, hr)
    plan = plan_of(cycle, org, "head_d")
    hr_api, manager_api = Api(hr, csrf=True), Api(org.user("head_c"), csrf=True)
    count = EvaluationCycle.objects.count()
    r = hr_api.post("/api/cycles", {"kind": "year", "year": YEAR + 1})
    assert r.status_code == 403 and EvaluationCycle.objects.count() == count
    assert "CSRF" in r.json()["detail"] and r.json()["errors"] == []
    r = manager_api.put(f"/api/cycles/plans/{plan.pk}", {"kpis": kpis(5, YEAR), "expected_version": plan.version})
    assert r.status_code == 403
    plan.refresh_from_db()
    assert plan.version == 1 and not plan.kpis.exists()
    # The same request with the token passes: the refusal above is the CSRF check, nothing else.
    token = _get_new_csrf_string()
    hr_api.client.cookies["csrftoken"] = token
    r = hr_api.client.post("/api/cycles", '{"kind": "year", "year": 2025}', content_type="application/json",
                           HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201, r.content


def test_a_multipart_upload_without_the_csrf_token_is_refused(org, hr, media):
    sheet = approved_sheet(org, launched(org, hr))
    r = Api(org.user("head_c"), csrf=True).upload(sheet.pk, name="a.pdf", data=PDF, number=1,
                                                 expected_version=sheet.version)
    assert r.status_code == 403
    assert not EvidenceFile.objects.exists()
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


# -- the inbox -------------------------------------------------------------------------------------

def test_inbox_lists_my_items_soonest_first_in_my_body_only(org, other_org, hr, other_hr):
    cycle = launched(org, hr)
    launched(other_org, other_hr)
    inbox = Api(org.user("head_c")).inbox()
    assert [i["action"] for i in inbox] == ["iwp.draft"]  # head_d's plan: head_c is his direct manager
    item = inbox[0]
    plan = plan_of(cycle, org, "head_d")
    assert item["object_id"] == str(plan.pk) and item["api_url"] == f"/api/cycles/plans/{plan.pk}"
    assert item["due"] == plan.due_on.isoformat() and item["due_rule"] == "iwp_due" and item["due_clause"]
    assert item["personal"] is True and item["subject_servant_id"] == org.servants["head_d"].pk
    # The first head drafts the plans of the top-unit heads and nobody else's in this body.
    chairman = Api(org.user("chairman")).inbox()
    assert {i["subject_servant_id"] for i in chairman} == {org.servants["head_b"].pk, org.servants["head_e"].pk}
    theirs = {i["object_id"] for i in Api(other_org.user("chairman")).inbox()}
    ours = {i["object_id"] for i in chairman}
    assert theirs and not theirs & ours
    assert Api(hr).inbox() == []


def test_inbox_sorts_by_due_date_and_shows_role_items(org, hr, clock):
    cycle = launched(org, hr)
    sheet = approved_sheet(org, cycle)
    sheet = services.save_sheet(org.user("head_c"), org.body, sheet.pk, results=results(5),
                                expected_version=sheet.version)
    sheet = services.sign_sheet(org.user("head_c"), org.body, sheet.pk, expected_version=sheet.version)
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    items = Api(hr).inbox()
    assert [(i["action"], i["personal"], i["assignee_role"]) for i in items] == [("sheet.forward", False, "hr")]
    assert items[0]["due"] == sheet.due_on.isoformat() and items[0]["due_rule"] == "hr_to_commission_due"
    # head_b drafts head_c's plan (due by iwp_due) and has nothing else: dated items come first.
    dues = [i["due"] for i in Api(org.user("head_b")).inbox()]
    assert dues == sorted(d for d in dues if d) + [None] * dues.count(None)


def test_inbox_pagination_is_validated(org, hr):
    api = Api(hr)
    assert api.get("/api/inbox", {"limit": 0}).status_code == 422
    assert api.get("/api/inbox", {"offset": -1}).status_code == 422
    assert api.get("/api/inbox", {"limit": "many"}).status_code == 422


def test_my_evaluations_and_my_team(org, hr):
    cycle = launched(org, hr)
    mine = Api(org.user("head_d")).get("/api/cycles/mine").json()
    assert [(m["cycle"]["id"], m["plan"]["state"], m["sheet"]) for m in mine] == [(cycle.pk, "draft", None)]
    team = Api(org.user("head_c")).get("/api/cycles/team", {"cycle_id": cycle.pk}).json()
    assert [m["servant_id"] for m in team] == [org.servants["head_d"].pk]
    assert Api(org.user("spec")).get("/api/cycles/team").json() == []


# -- the board's query count ------------------------------------------------------------------------

def staffed_cycle(body: StateBody, n_units: int, per_unit: int, hr: Any) -> EvaluationCycle:
    """A body of `n_units` units of `per_unit` people (the first one its head; the first unit's head is
    the first head), launched, with (up to) two plans approved so that the board shows sheets too."""
    chairman_user = factories.user(f"chair_{body.pk}")
    top = None
    for u in range(n_units):
        unit = factories.unit(body, f"{u:02d}", parent=top)
        for k in range(per_unit):
            s = factories.servant(body)
            factories.appoint(s, factories.position(unit, f"{u:02d}-{k:02d}", head=(k == 0)), D(2015, 1, 1))
            if u == 0 and k == 0:
                s.user = chairman_user
                s.save(update_fields=["user"])
                body.first_head = body.authorized_person = s
                body.save(update_fields=["first_head", "authorized_person"])
                top = unit
    MethodologyAdoption.objects.create(body=body, version_id="typical-g2023", valid_from=D(2023, 9, 1))
    cycle = services.create_cycle(hr, body, kind="year", year=YEAR)
    cycle = services.launch_cycle(hr, body, cycle.pk)
    for plan in IndividualWorkPlan.objects.filter(cycle=cycle).order_by("pk")[:2]:
        plan = services.save_plan(chairman_user, body, plan.pk, kpis=kpis(5, YEAR), expected_version=plan.version)
        plan = services.submit_plan(chairman_user, body, plan.pk, expected_version=plan.version)
        services.approve_plan(chairman_user, body, plan.pk, expected_version=plan.version)
    return cycle


BOARD_QUERIES = 10


def test_board_query_count_does_not_grow_with_the_cycle(db, clock, django_assert_max_num_queries):
    pages = []
    for n_units, per_unit in ((2, 5), (40, 5)):  # 10 and 200 participants
        body = factories.body()
        hr = factories.user(f"hr_board_{body.pk}")
        factories.grant(hr, body)
        cycle = staffed_cycle(body, n_units, per_unit, hr)
        api = Api(hr)
        api.get("/api/orgs/me")  # the session is warm, as in real use
        with django_assert_max_num_queries(BOARD_QUERIES):
            r = api.get(f"/api/cycles/{cycle.pk}/board", {"per_page": 200})
        assert r.status_code == 200, r.content
        with django_assert_max_num_queries(BOARD_QUERIES):
            assert api.get(f"/api/cycles/{cycle.pk}/board", {"stage": "sheet_draft", "overdue": "false"}
                           ).status_code == 200
        pages.append(r.json())
    small, big = pages
    assert small["total"] == len(small["rows"]) == 10
    assert big["total"] == len(big["rows"]) == 200
    assert (small["counts"]["sheet_draft"], big["counts"]["sheet_draft"]) == (1, 2)  # the small body has one plan
    assert KpiSheet.objects.count() == 3
