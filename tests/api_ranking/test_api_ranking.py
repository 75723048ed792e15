"""The ranking API: the walk, the quota refusal with its clause (422), roles (403), stale versions
(409), another body's list (404)."""

from __future__ import annotations

import pytest

from tests.api_cycles.support import Api as JsonClient
from tests.ranking.world import CLAUSE, D

pytestmark = pytest.mark.django_db


def _prepare(world):
    r = JsonClient(world.hr).post(f"/api/ranking/cycles/{world.cycle.pk}/prepare")
    assert r.status_code == 200, r.content
    return r.json()["lists"]


def _unit02(world, client):
    rows = client.get("/api/ranking/lists", {"cycle_id": world.cycle.pk}).json()
    found = [row for row in rows if row["evaluator"] == world.org.servants["head_b"].full_name]
    return client.get(f"/api/ranking/lists/{found[0]['id']}").json()


def test_walk_through_the_api_with_the_quota_refused(world):
    _prepare(world)
    evaluator = JsonClient(world.user("head_b"))
    doc = _unit02(world, evaluator)
    assert doc["rules"]["clause"] == CLAUSE and doc["rules"]["verified"] is False
    assert [s["quota"] for s in doc["rules"]["scale"]] == ["1/4", None, None, None]
    assert (doc["rules"]["ranked_groups"], doc["rules"]["methods_verified"]) == (["non_head"], False)
    ids = {e["servant_name"]: e["id"] for e in doc["entries"]}
    names = sorted(ids)
    breach = {str(ids[n]): {"grade": "EFFECTIVE"} for n in names[:2]}
    r = evaluator.put(f"/api/ranking/lists/{doc['id']}", {"expected_version": doc["version"], "grades": breach})
    assert r.status_code == 422 and CLAUSE in r.json()["errors"][0]["message"]
    grades = {str(ids[n]): {"grade": g} for n, g in zip(names, ["EFFECTIVE", "PROPER", "PROPER", "SATISFACTORY"],
                                                         strict=True)}
    r = evaluator.put(f"/api/ranking/lists/{doc['id']}", {"expected_version": doc["version"], "grades": grades,
                                                          "sign": True})
    assert r.status_code == 200 and r.json()["state"] == "under_review"
    doc = r.json()
    assert sorted(e["position"] for e in doc["entries"]) == [1, 2, 2, 4]
    stale = JsonClient(world.user("chairman")).post(f"/api/ranking/lists/{doc['id']}/agree", {"expected_version": 1})
    assert stale.status_code == 409
    world.clock.day = D(2024, 12, 20)
    r = JsonClient(world.user("chairman")).post(f"/api/ranking/lists/{doc['id']}/agree",
                                                {"expected_version": doc["version"]})
    assert r.status_code == 200 and r.json()["due_rule"] == "hr_to_commission_due"
    r = JsonClient(world.hr).post(f"/api/ranking/lists/{doc['id']}/forward", {"expected_version": r.json()["version"]})
    assert r.status_code == 200 and r.json()["state"] == "submitted_to_commission"


def test_refusals_are_4xx_never_500(world, other_body, other_hr):
    _prepare(world)
    doc = _unit02(world, JsonClient(world.hr))
    url = f"/api/ranking/lists/{doc['id']}"
    assert JsonClient(world.hr).put(url, {"expected_version": doc["version"], "grades": {}}).status_code == 403
    assert JsonClient(world.hr).post(f"{url}/agree", {"expected_version": doc["version"]}).status_code == 403
    assert JsonClient(world.hr).post(f"{url}/forward", {"expected_version": doc["version"]}).status_code == 409
    bad = JsonClient(world.user("head_b")).put(url, {"expected_version": doc["version"], "grades": {},
                                                     "rating": "EFFECTIVE"})
    assert bad.status_code == 422
    assert JsonClient(other_hr).get(url).status_code == 404
    assert JsonClient(world.user("spec")).get(url).status_code == 404
