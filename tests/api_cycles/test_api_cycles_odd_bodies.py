"""Every cycle operation, fed odd bodies and odd query strings: always an answer below 500 in the
error shape, and nothing written. (A small stand-in for schemathesis, which is not installed.)"""

from __future__ import annotations

import pytest

from bagalau.audit.models import AuditEvent
from tests.api_cycles.support import Api, approved_sheet, launched, plan_of

ODD_BODIES = [
    "", "null", "[]", '"text"', "0", "{}", "{not json", '{"expected_version": 1e400}',
    '{"expected_version": null}', '{"expected_version": -1}', '{"expected_version": 1.5}',
    '{"kpis": null, "results": null, "grounds": null, "reason": null, "kind": null}',
    '{"kpis": [null], "results": [null], "grounds": [null]}', '{"kpis": [[]], "results": [[]], "grounds": [[]]}',
    '{"kpis": [{"deadline": "0"}], "results": [{"number": 0}], "grounds": [""], "reason": "", "kind": "year", '
    '"year": 0}',
]
ODD_QUERIES = [{"page": "0"}, {"per_page": "-1"}, {"stage": "[]"}, {"overdue": "maybe"}, {"unit_id": "x"},
               {"limit": "1e9"}, {"offset": "-5"}, {"cycle_id": "abc"}, {"expected_version": "x"}]


@pytest.fixture
def ids(org, hr):
    cycle = launched(org, hr)
    sheet = approved_sheet(org, cycle)
    return {"cycle_id": cycle.pk, "plan_id": plan_of(cycle, org, "head_c").pk, "sheet_id": sheet.pk, "file_id": 1}


def operations(client) -> list[tuple[str, str]]:
    doc = client.get("/api/openapi.json").json()
    return [(m, p) for p, ops in doc["paths"].items() for m in ops if p.startswith(("/api/cycles", "/api/inbox"))]


@pytest.mark.parametrize("who", ["hr", "head_c", "head_b"])
def test_odd_input_never_breaks_an_operation(client, org, hr, ids, who):
    api = Api(hr if who == "hr" else org.user(who))
    events = AuditEvent.objects.count()
    for method, template in operations(client):
        path = template.format(**ids)
        for query in ODD_QUERIES:
            r = api.client.generic(method.upper(), path + "?" + "&".join(f"{k}={v}" for k, v in query.items()))
            assert r.status_code < 500, (method, path, query, r.content)
        if method in ("get", "delete"):
            continue
        for body in ODD_BODIES:
            r = api.client.generic(method.upper(), path, body, content_type="application/json")
            assert r.status_code < 500, (method, path, body, r.content)
            if r.status_code >= 400:
                assert set(r.json()) == {"detail", "errors"}, (method, path, body, r.content)
    assert AuditEvent.objects.count() == events
