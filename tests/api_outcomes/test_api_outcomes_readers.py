"""Who reads which outcomes lists, the same by the page and by the API.

* The appeals addressed to me: only a holder of the Appeal reviewer grant (outcomes.access
  .require_reviewer); anyone else gets 403 naming the action and the role, on the page and in the API.
* A participant's result history: the body's readers, and the servant whose results they are (he
  sees them on /me/evaluation/ already); another servant is refused, another body gets 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from bagalau.orgs.models import Role, RoleGrant
from tests.api_cycles.support import Api

D = dt.date
BASE = "/api/outcomes"
REVIEWS_PAGE = "/outcomes/appeals/review/"


def _page(user: Any, path: str) -> Any:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get(path)


def _appeal(world: Any, results: Any, reviewer: Any, clock: Any) -> int:
    clock.day = D(2025, 1, 24)
    r = Api(world.user("head_d")).post(f"{BASE}/results/{results['head_d'].pk}/appeals",
                                       {"venue": "authorized_body", "reviewer_id": reviewer.pk, "grounds": "KPI 3"})
    assert r.status_code == 201, r.content
    return r.json()["id"]


def test_the_reviewers_list_is_the_reviewers_by_both_doors(world, results, reviewer, clock):
    appeal_id = _appeal(world, results, reviewer, clock)
    listed = Api(reviewer).get(f"{BASE}/appeals/addressed-to-me")
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [appeal_id]
    page = _page(reviewer, REVIEWS_PAGE)
    assert page.status_code == 200 and world.servant("head_d").full_name in page.content.decode()
    # HR of the body, and the servant who filed the appeal, hold no reviewer grant.
    for user in (world.hr, world.user("head_d")):
        api = Api(user).get(f"{BASE}/appeals/addressed-to-me")
        assert api.status_code == 403, (user, api.content)
        detail = api.json()["detail"]
        assert "read the appeals addressed to you" in detail and "Appeal reviewer" in detail
        refused = _page(user, REVIEWS_PAGE)
        assert refused.status_code == 403 and "Appeal reviewer" in refused.content.decode()


def test_a_reviewer_whose_grant_is_withdrawn_is_refused_what_was_addressed_to_him(world, results, reviewer, clock):
    _appeal(world, results, reviewer, clock)
    RoleGrant.objects.filter(user=reviewer, role=Role.APPEAL_REVIEWER).delete()
    assert Api(reviewer).get(f"{BASE}/appeals/addressed-to-me").status_code == 403


def test_the_servant_reads_his_own_result_history_and_no_one_else_s(world, results):
    own = results["head_b"]
    head_b = Api(world.user("head_b"))
    history = head_b.get(f"{BASE}/participants/{own.participant_id}/results")
    assert history.status_code == 200, history.content
    assert [(r["id"], r["value"]) for r in history.json()] == [(own.pk, own.value)]
    # The same result his own page lists.
    me = head_b.get(f"{BASE}/me").json()
    assert [r["result"]["id"] for r in me["results"]] == [own.pk]
    # Another servant's history stays closed to him, as before.
    assert head_b.get(f"{BASE}/participants/{results['head_d'].participant_id}/results").status_code == 403
    # The body's readers keep reading every history.
    assert Api(world.hr).get(f"{BASE}/participants/{results['head_d'].participant_id}/results").status_code == 200


def test_another_body_never_reads_the_history(world, results, other_hr):
    participant_id = results["head_b"].participant_id
    assert Api(other_hr).get(f"{BASE}/participants/{participant_id}/results").status_code == 404
