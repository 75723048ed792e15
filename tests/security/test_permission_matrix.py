"""The permission matrix: every page and API operation x every role x own body / other body.

The addresses come from the URL resolver and the OpenAPI document (endpoints.py), so a new one
without an entry in rules.py fails `test_every_address_has_a_rule` with what to add. Each address
is then asked by every actor of the world on the own body's objects (allowed -> not 401/403/404,
others -> 403/404), on the other body's objects (403/404 for everyone, never a 200 with data) and
anonymously (login redirect or 401)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.security import rules
from tests.security.endpoints import api_operations, openapi_path_of, url_entries
from tests.security.requests import api_request, send, web_request
from tests.security.world import ACTORS

DENIED = {403, 404}
NOT_ALLOWED = {401, 403, 404, 405}

WEB = [e for e in url_entries() if not e.name.startswith(("api:", rules.ADMIN_PREFIX))]
API = api_operations()
API_ROUTES = {openapi_path_of(e.route) for e in url_entries() if e.name.startswith("api:")}


def _missing() -> list[str]:
    missing = [f"web rule for {e.name!r} ({e.route})" for e in WEB if e.name not in rules.WEB]
    missing += [f"API rule for {o.key!r} ({o.operation_id})" for o in API if o.key not in rules.API]
    known = {o.path for o in API} | {openapi_path_of(e.route) for e in url_entries()
                                      if e.name in rules.ELSEWHERE}
    missing += [f"API route {r!r} is in the URL conf but not in the OpenAPI document" for r in API_ROUTES - known]
    return missing


def test_every_address_has_a_rule():
    missing = _missing()
    assert not missing, ("Addresses without a permission rule; add each to tests/security/rules.py "
                         "(who may use it in his own body):\n  " + "\n  ".join(missing))


def test_rules_name_only_existing_addresses():
    names = {e.name for e in WEB}
    keys = {o.key for o in API}
    assert set(rules.WEB) <= names, set(rules.WEB) - names
    assert set(rules.API) <= keys, set(rules.API) - keys


@pytest.fixture(scope="module")
def clients(worlds, django_db_blocker):
    """One signed-in client per actor of the own body, and an anonymous one (sessions made inside
    the module's rolled-back transaction)."""
    with django_db_blocker.unblock():
        made = {}
        for actor in ACTORS:
            c = Client()
            c.force_login(worlds.own.actors[actor])
            made[actor] = c
        made["anonymous"] = Client()
        return made


def _content(response) -> bytes:
    if response.status_code != 200:
        return b""
    return b"".join(response.streaming_content) if response.streaming else response.content


def _markers(world) -> list[str]:
    """Strings that only the other body's pages could contain."""
    other = world.other
    return [other.body.name_kk, other.kit.servant("head_d").last_name, other.kit.servant("m1").last_name]


def _judge(results: list[tuple[str, str, int, bytes]], allowed: frozenset[str], markers: list[str]) -> list[str]:
    problems = []
    for actor, which, status, content in results:
        if status >= 500:
            problems.append(f"{actor}@{which}: {status}")
        elif which == "other" and status not in DENIED:
            problems.append(f"{actor}@other body: {status}, expected 403/404")
        elif which == "own" and actor in allowed and status in NOT_ALLOWED:
            problems.append(f"{actor}: {status}, expected to be let through")
        elif which == "own" and actor not in allowed and status not in DENIED:
            problems.append(f"{actor}: {status}, expected 403/404")
        if status == 200 and any(m in content.decode("utf-8", "replace") for m in markers):
            problems.append(f"{actor}@{which}: a 200 showing the other body's data")
    return problems


def _check_anonymous(response, *, page: bool, public: bool) -> str | None:
    if public:
        return None if response.status_code < 500 else f"anonymous: {response.status_code}"
    if page:
        ok = response.status_code == 302 and response["Location"].startswith("/login/")
        return None if ok else f"anonymous: {response.status_code}, expected the login redirect"
    return None if response.status_code == 401 else f"anonymous: {response.status_code}, expected 401"


@pytest.mark.parametrize("entry", [e for e in WEB if e.name in rules.WEB], ids=lambda e: e.name)
def test_page(entry, world, clients):
    rule = rules.WEB[entry.name]
    problems: list[str] = []
    markers = _markers(world)
    for method, access in rule.methods.items():
        results = []
        for which in ("own",) if (rule.self_only or not entry.params) else ("own", "other"):
            for actor in ACTORS:
                r = web_request(clients[actor], method, entry.name, entry.params, world.of(which), access.form,
                                payload_world=world.own)
                results.append((actor, which, r.status_code, _content(r)))
        problems += [f"{method} {p}" for p in _judge(results, access.allowed, markers if not rule.self_only else [])]
        r = web_request(clients["anonymous"], method, entry.name, entry.params, world.own, access.form)
        if (p := _check_anonymous(r, page=True, public=rule.public)) is not None:
            problems.append(f"{method} {p}")
    for method in {"GET", "POST"} - set(rule.methods):
        r = web_request(clients["hr"], method, entry.name, entry.params, world.own)
        if r.status_code != 405:
            problems.append(f"{method} is not in the rule but answers {r.status_code} (add it, or refuse it)")
    assert not problems, f"{entry.name}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("operation", [o for o in API if o.key in rules.API], ids=lambda o: o.key)
def test_api_operation(operation, world, clients):
    access = rules.API[operation.key].methods["_"]
    results = []
    for which in ("own", "other") if operation.params else ("own",):
        for actor in ACTORS:
            r = api_request(clients[actor], operation.method, operation.path, operation.params, world.of(which),
                            access.body, payload_world=world.own)
            results.append((actor, which, r.status_code, _content(r)))
    problems = _judge(results, access.allowed, _markers(world) if operation.params else [])
    r = api_request(clients["anonymous"], operation.method, operation.path, operation.params, world.own, access.body)
    if (p := _check_anonymous(r, page=False, public=False)) is not None:
        problems.append(p)
    assert not problems, f"{operation.key}:\n  " + "\n  ".join(problems)


def test_other_body_lists_show_nothing_of_it(world, clients):
    """The body-wide lists asked by the other body's HR show none of the own body's people."""
    other_hr = Client()
    other_hr.force_login(world.other.actors["hr"])
    own_names = [world.own.kit.servant(k).last_name for k in ("head_d", "m1", "chairman")]
    for url in ("/api/orgs/servants?limit=200", "/api/cycles", "/api/commission/meetings", "/staff/", "/cycles/",
                "/commission/"):
        r = send(other_hr, "GET", url)
        assert r.status_code == 200, url
        text = r.content.decode()
        assert not any(n in text for n in own_names), url


ADMIN = [e for e in url_entries() if e.name.startswith(rules.ADMIN_PREFIX)]
ADMIN_PUBLIC = {"admin:login", "admin:logout", "admin:jsi18n"}
STAFF = {"hr", "admin"}  # the world's staff users (HR and the administrator of the own body)


def _admin_url(entry) -> str:
    """The address with placeholder parameters (an unnamed pattern is filled in from its route)."""
    values = {"app_label": "orgs", "content_type_id": 1}
    if "<unnamed" not in entry.name:
        return reverse(entry.name, kwargs={p: values.get(p, "1") for p in entry.params})
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", "1", entry.route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "1")), route)
    return "/" + route.replace("^", "").replace("$", "")


def test_admin_family_is_closed_to_everyone_but_staff(clients):
    """Every address of the HR back office (the admin): anonymous callers and signed-in users who
    are not staff are sent to the admin's login, whatever the address."""
    problems = []
    for entry in ADMIN:
        url = _admin_url(entry)
        for actor in ["anonymous", *sorted(set(ACTORS) - STAFF)]:
            r = send(clients[actor], "GET", url)
            if entry.name in ADMIN_PUBLIC:
                ok = r.status_code < 500
            else:
                ok = r.status_code == 302 and r["Location"].startswith("/admin/login/")
            if not ok:
                problems.append(f"{entry.name} ({url}) as {actor}: {r.status_code}")
    assert not problems, "\n".join(problems)


def test_admin_does_not_open_the_other_body_s_rows_to_its_staff(world, clients):
    other = world.other
    head_d = other.kit.servant("head_d")
    appointment = head_d.appointments.select_related("position__unit").first()
    rows = {"orgs/servant": head_d.pk, "orgs/appointment": appointment.pk, "orgs/position": appointment.position_id,
            "orgs/structuralunit": appointment.position.unit_id, "orgs/statebody": other.body.pk,
            "orgs/rolegrant": other.actors["hr"].role_grants.first().pk}
    problems = []
    for actor in sorted(STAFF):
        for model, pk in rows.items():
            r = send(clients[actor], "GET", f"/admin/{model}/{pk}/change/")
            if r.status_code == 200 or any(m in r.content.decode() for m in _markers(world)):
                problems.append(f"{actor} opened {model} {pk}: {r.status_code}")
    assert not problems, "\n".join(problems)
