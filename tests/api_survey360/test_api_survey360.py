"""The 360 survey through /api/survey360: HR starts it and assigns raters from the suggestions,
sends the questionnaires; raters read theirs (kk/ru/en) and answer; the report appears at closing.
Refusals answer in the API's error shape: 422 naming the field, 403, 404 across bodies, 409."""

from __future__ import annotations

from typing import Any

from tests.api_cycles.support import Api, fields
from tests.survey360 import kit

BASE = "/api/survey360"


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, (response.status_code, response.content)
    return response.json()


def test_whole_survey_through_the_api(world):
    hr = Api(world.hr)
    survey = ok(hr.post(f"{BASE}/surveys", {"servant": world.sid("head")}), 201)
    assert (survey["group"], survey["category"], survey["state"]) == ("head", "E-3", "draft")
    for s in ok(hr.get(f"{BASE}/surveys/{survey['id']}/suggestions"))[:5]:
        survey = ok(hr.post(f"{BASE}/surveys/{survey['id']}/raters",
                            {"rater": s["servant_id"], "role": s["role"], "expected_version": survey["version"]}),
                    201)
    assert len(survey["raters"]) == 5
    survey = ok(hr.post(f"{BASE}/surveys/{survey['id']}/open", {"expected_version": survey["version"]}))
    assert survey["state"] == "open"
    for r in survey["raters"]:
        key = next(k for k, s in world.servants.items() if s.pk == r["rater_id"])
        rater = Api(world.user(key))
        mine = ok(rater.get(f"{BASE}/questionnaires"))
        assert [q["survey_id"] for q in mine] == [survey["id"]]
        q = ok(rater.get(f"{BASE}/questionnaires/{mine[0]['id']}"))
        assert q["clause"] == "S0-annex-4" and q["group"] == "head"
        assert sum(len(c["indicators"]) for c in q["competencies"]) == 34
        assert q["competencies"][0]["name"]["kk"] == "ҚЫЗМЕТТІК БАСҚАРУ"
        answers = {f"{c['id']}/{i['ordinal']}": "effective" for c in q["competencies"] for i in c["indicators"]}
        ok(rater.post(f"{BASE}/questionnaires/{mine[0]['id']}/answers", {"answers": answers}), 201)
    report = ok(Api(world.user("head")).get(f"{BASE}/surveys/{survey['id']}/report"))
    assert report["status"] == "SCORED" and report["index"] == 1.0 and len(report["competencies"]) == 11
    assert report["development_only"] is True and "bonus" in report["refused_purposes"]
    r = hr.get(f"{BASE}/surveys/{survey['id']}/uses/bonus")
    assert r.status_code == 422 and fields(r) == {"purpose"}


def test_refusals_in_the_error_shape(world, other_body, other_hr):
    hr = Api(world.hr)
    survey = ok(hr.post(f"{BASE}/surveys", {"servant": world.sid("s1")}), 201)
    r = hr.post(f"{BASE}/surveys/{survey['id']}/raters",
                {"rater": world.sid("s1"), "role": "peer", "expected_version": survey["version"]})
    assert r.status_code == 422 and fields(r) == {"rater"}
    r = hr.post(f"{BASE}/surveys/{survey['id']}/raters",
                {"rater": world.sid("s2"), "role": "subordinate", "expected_version": survey["version"]})
    assert r.status_code == 422 and fields(r) == {"role"}
    r = hr.post(f"{BASE}/surveys/{survey['id']}/raters",
                {"rater": world.sid("s2"), "role": "peer", "expected_version": survey["version"], "body": 1})
    assert r.status_code == 422 and "body" in fields(r)
    r = hr.post(f"{BASE}/surveys/{survey['id']}/open", {"expected_version": survey["version"]})
    assert r.status_code == 422 and fields(r) == {"raters"}
    r = hr.post(f"{BASE}/surveys/{survey['id']}/open", {"expected_version": survey["version"] + 5})
    assert r.status_code == 409
    r = Api(world.user("s2")).post(f"{BASE}/surveys", {"servant": world.sid("s1")})
    assert r.status_code == 403
    assert Api(other_hr).get(f"{BASE}/surveys/{survey['id']}").status_code == 404
    assert Api(other_hr).get(f"{BASE}/surveys/{survey['id']}/report").status_code == 404
    assert ok(Api(other_hr).get(f"{BASE}/surveys")) == []


def test_questionnaire_of_another_rater_is_refused(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    a = kit.assignment(survey, world, "s2")
    r = Api(world.user("s3")).get(f"{BASE}/questionnaires/{a.pk}")
    assert r.status_code == 403
    r = Api(world.user("s3")).post(f"{BASE}/questionnaires/{a.pk}/answers", {"answers": {}})
    assert r.status_code == 403
    r = Api(world.user("s2")).post(f"{BASE}/questionnaires/{a.pk}/answers", {"answers": {"management/1": "x"}})
    assert r.status_code == 422 and fields(r) == {"answers"}


def test_openapi_documents_the_survey360_operations(world):
    r = Api(world.hr).get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    for path in ("/api/survey360/surveys", "/api/survey360/surveys/{survey_id}/report",
                 "/api/survey360/questionnaires/{assignment_id}/answers"):
        assert path in paths, sorted(p for p in paths if "survey360" in p)
