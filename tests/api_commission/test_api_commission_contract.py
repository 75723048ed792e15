"""The contract of the commission API: the OpenAPI document lists every operation with its error
answers, anonymous callers are 401, and a meeting's detail runs the same number of queries for a
commission of 5 as of 9 members."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api_commission.apicomm import BASE, api, form, item_id, ok, open_with, schedule, seat_ids, vote
from tests.api_cycles.support import Api
from tests.commission import kit

OPERATIONS = {
    ("get", "/api/commission"),
    ("post", "/api/commission/orders"), ("get", "/api/commission/orders/{order_id}"),
    ("put", "/api/commission/orders/{order_id}"), ("post", "/api/commission/orders/{order_id}/issue"),
    ("post", "/api/commission/orders/{order_id}/amend"),
    ("get", "/api/commission/meetings"), ("post", "/api/commission/meetings"),
    ("get", "/api/commission/meetings/{meeting_id}"),
    ("post", "/api/commission/meetings/{meeting_id}/reschedule"),
    ("post", "/api/commission/meetings/{meeting_id}/consent"),
    ("post", "/api/commission/meetings/{meeting_id}/refresh-agenda"),
    ("post", "/api/commission/meetings/{meeting_id}/draft-protocol"),
    ("post", "/api/commission/meetings/{meeting_id}/cancel"),
    ("post", "/api/commission/meetings/{meeting_id}/open"),
    ("put", "/api/commission/meetings/{meeting_id}/attendance"),
    ("post", "/api/commission/meetings/{meeting_id}/conclude"),
    ("post", "/api/commission/meetings/{meeting_id}/approve"),
    ("get", "/api/commission/meetings/{meeting_id}/protocol"),
    ("post", "/api/commission/meetings/{meeting_id}/protocol/sign"),
    ("get", "/api/commission/items/{item_id}"), ("post", "/api/commission/items/{item_id}/vote"),
    ("post", "/api/commission/items/{item_id}/decide"), ("post", "/api/commission/items/{item_id}/withdraw"),
    ("get", "/api/commission/my-votes"), ("get", "/api/commission/approval-queue"),
    ("get", "/api/commission/results"),
}


def test_openapi_lists_every_commission_operation_with_its_errors(client, db):
    doc = client.get("/api/openapi.json").json()
    found = {(m, p) for p, ops in doc["paths"].items() for m in ops if p.startswith("/api/commission")}
    assert found == OPERATIONS
    for method, path in OPERATIONS:
        responses = doc["paths"][path][method]["responses"]
        assert {"400", "401", "403", "404", "409", "422"} <= set(responses), (method, path)
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
        assert {"200", "201"} & set(responses), (method, path)
    schemas = doc["components"]["schemas"]
    for name in ("OrderIn", "VoteIn", "OpenIn", "ProposeIn", "PersonIn", "CommissionMoveIn"):
        assert schemas[name]["additionalProperties"] is False, name
        assert "body" not in schemas[name]["properties"] and "body_id" not in schemas[name]["properties"]
    assert schemas["CommissionMoveIn"]["properties"]["expected_version"]["minimum"] == 1
    # The cycles API keeps its own schemas: no name collides with the commission's.
    assert "period_start" in schemas["CycleRef"]["properties"]


@pytest.mark.parametrize("path", [BASE, f"{BASE}/meetings", f"{BASE}/meetings/1", f"{BASE}/results"])
def test_anonymous_is_401(client, db, path):
    r = client.get(path)
    assert r.status_code == 401 and r.json()["errors"] == []


def _detail_queries(world: kit.World, members: tuple[str, ...]) -> int:
    """A sitting in session with every member present and voting on the first item; the number of
    queries the meeting's detail runs."""
    form(world, members)
    meeting = open_with(world, schedule(world), members)
    item = item_id(world, meeting, "head_b")
    for m in members:
        ok(vote(world, item, m, "approve"))
    ok(api(world, "hr").post(f"{BASE}/items/{item}/decide"))
    ok(vote(world, item_id(world, meeting, "head_c"), members[1], "revise", "EFFECTIVE", "Better than rated"))
    hr = api(world, "hr")
    assert len(seat_ids(world, meeting, members)) == len(members)
    with CaptureQueriesContext(connection) as ctx:
        detail = ok(hr.get(f"{BASE}/meetings/{meeting['id']}"))
    assert len(detail["seats"]) == len(members) + 1 and detail["quorum"]["present"] == len(members)
    assert detail["items"][0]["approve"] == len(members)
    return len(ctx.captured_queries)


def test_meeting_detail_queries_do_not_grow_with_the_members(db, body, hr, other_body, other_hr, clock):
    five = _detail_queries(kit.build(body, hr, clock), ("m1", "m2", "m3", "m4", "m5"))
    nine = _detail_queries(kit.build(other_body, other_hr, clock),
                           ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "ext"))
    assert five == nine, (five, nine)
    assert five < 30


def test_an_unknown_path_is_404_in_the_error_shape(world):
    r = Api(world.hr).get(f"{BASE}/meetings/999999")
    assert r.status_code == 404 and r.json() == {"detail": "Not found.", "errors": []}
