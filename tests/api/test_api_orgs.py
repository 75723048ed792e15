"""The organisation API: authentication, tenant boundary, error shape, bounded queries."""

import json

import pytest

from bagalau.orgs.models import Absence, Role
from tests import factories as f


@pytest.fixture
def staffed(body, other_body):
    top = f.unit(body, "00")
    head = f.servant(body, "Бірінші")
    f.appoint(head, f.position(top, "H", head=True, category="E-1"))
    body.first_head = head
    body.save()
    dept = f.unit(body, "A", parent=top)
    people = []
    for i in range(5):
        s = f.servant(body, "Қызметкер")
        f.appoint(s, f.position(dept, f"P{i}", head=(i == 0), category="E-3" if i == 0 else "E-4"))
        people.append(s)
    foreign = f.servant(other_body, "Бөгде")
    return {"head": head, "people": people, "foreign": foreign}


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def test_unauthenticated_gets_401(client, db):
    assert client.get("/api/orgs/me").status_code == 401


def test_me_lists_bodies_and_roles(hr_client, body):
    data = hr_client.get("/api/orgs/me").json()
    assert data["current_body"] == body.pk
    assert data["bodies"][0]["roles"] == [Role.HR]


def test_servant_list_is_own_body_only_and_searchable(hr_client, staffed):
    data = hr_client.get("/api/orgs/servants").json()
    assert data["count"] == 6
    names = {i["full_name"] for i in data["items"]}
    assert not any("Бөгде" in n for n in names)
    assert hr_client.get("/api/orgs/servants", {"search": "Бөгде"}).json()["count"] == 0
    assert hr_client.get("/api/orgs/servants", {"search": "Бірінші"}).json()["count"] == 1


def test_servant_list_query_count_is_bounded(hr_client, staffed, body, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        small = hr_client.get("/api/orgs/servants").json()
    dept = staffed["people"][0].appointments.get().position.unit
    for i in range(30):
        s = f.servant(body)
        f.appoint(s, f.position(dept, f"X{i}"))
    with django_assert_max_num_queries(12):
        big = hr_client.get("/api/orgs/servants", {"limit": 200}).json()
    assert big["count"] == small["count"] + 30


def test_bad_pagination_is_422_not_500(hr_client, staffed):
    r = hr_client.get("/api/orgs/servants", {"limit": 0})
    assert r.status_code == 422
    r = hr_client.get("/api/orgs/servants", {"offset": "abc"})
    assert r.status_code == 422


def test_nul_in_search_is_422_not_500(hr_client, staffed):
    # PostgreSQL refuses NUL bytes in text; the API must answer 4xx before the query.
    r = hr_client.get("/api/orgs/servants", {"search": "a\x00b"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "search"


def test_reporting_line_names_the_first_head_rule(hr_client, staffed):
    head_of_dept = staffed["people"][0]
    data = hr_client.get(f"/api/orgs/servants/{head_of_dept.pk}/reporting-line").json()
    assert data["direct_manager_id"] == staffed["head"].pk
    assert data["superior_manager_id"] is None
    assert data["clause"] == "S1-p.46"


def test_foreign_servant_is_404(hr_client, staffed):
    r = hr_client.get(f"/api/orgs/servants/{staffed['foreign'].pk}/reporting-line")
    assert r.status_code == 404
    assert r.json()["detail"]


def test_create_absence_and_overlap_error_shape(hr_client, staffed):
    s = staffed["people"][1]
    body = {"servant_id": s.pk, "kind": "sick_leave", "start": "2024-02-01", "end": "2024-02-05"}
    r = hr_client.post("/api/orgs/absences", json.dumps(body), content_type="application/json")
    assert r.status_code == 201, r.content
    r = hr_client.post("/api/orgs/absences", json.dumps({**body, "start": "2024-02-05", "end": "2024-02-09"}),
                       content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "start"
    assert Absence.objects.count() == 1


@pytest.mark.parametrize("patch", [{"start": 0}, {"kind": "holiday"}, {"start": "31.02.2024"}, {"servant_id": "x"}])
def test_create_absence_bad_values_are_422(hr_client, staffed, patch):
    s = staffed["people"][1]
    body = {"servant_id": s.pk, "kind": "sick_leave", "start": "2024-02-01", "end": "2024-02-05", **patch}
    r = hr_client.post("/api/orgs/absences", json.dumps(body), content_type="application/json")
    assert r.status_code == 422
    assert Absence.objects.count() == 0


def test_create_absence_for_foreign_servant_is_404(hr_client, staffed):
    body = {"servant_id": staffed["foreign"].pk, "kind": "sick_leave", "start": "2024-02-01", "end": "2024-02-05"}
    r = hr_client.post("/api/orgs/absences", json.dumps(body), content_type="application/json")
    assert r.status_code == 404


def test_plain_servant_cannot_list_or_write(client, staffed, body):
    u = f.user()
    me = staffed["people"][2]
    me.user = u
    me.save()
    client.force_login(u)
    assert client.get("/api/orgs/servants").status_code == 403
    r = client.post("/api/orgs/absences", json.dumps({"servant_id": me.pk, "kind": "sick_leave",
                                                      "start": "2024-02-01", "end": "2024-02-02"}),
                    content_type="application/json")
    assert r.status_code == 403
    assert "HR" in r.json()["detail"] or r.json()["detail"]


def test_post_without_csrf_token_is_refused(db, hr, staffed):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(hr)
    r = c.post("/api/orgs/absences", json.dumps({"servant_id": staffed["people"][1].pk, "kind": "sick_leave",
                                                 "start": "2024-02-01", "end": "2024-02-02"}),
               content_type="application/json")
    assert r.status_code in (401, 403)
    assert Absence.objects.count() == 0


def test_openapi_document_is_3_1_and_lists_errors(client, db):
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    responses = doc["paths"]["/api/orgs/absences"]["post"]["responses"]
    assert {"201", "403", "404", "422"} <= set(responses)


def test_docs_page_serves_local_assets(client, db):
    r = client.get("/api/docs")
    assert r.status_code == 200
    assert b"cdn" not in r.content.lower()
