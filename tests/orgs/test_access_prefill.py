"""The body middleware's lookup (`bodies_for`) also settles the reader's roles in each body, so
the permission checks of a page cost no further query. The roles it settles must be exactly the
ones `roles_for` computes on its own, for every way a role comes about."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bagalau.accounts.backends import ThrottledModelBackend
from bagalau.orgs.access import bodies_for, roles_for
from bagalau.orgs.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _fresh(user):
    """A new object for the same account, as each request gets (no role cache yet)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def people():
    body, other = f.body("Бірінші"), f.body("Екінші")
    unit = f.unit(body, "01")
    head_pos, spec_pos = f.position(unit, "H", head=True), f.position(unit, "S")
    past_head_pos = f.position(f.unit(body, "02"), "P", head=True)  # one head post per unit
    first_head, head, spec, past_head = (f.servant(body, n) for n in ("Бірінші", "Басшы", "Маман", "Бұрынғы"))
    f.appoint(head, head_pos)
    f.appoint(spec, spec_pos)
    f.appoint(past_head, past_head_pos, end=dt.date(2021, 1, 1))
    f.appoint(past_head, spec_pos, start=dt.date(2021, 1, 2))
    body.first_head = first_head
    body.save()
    users = {}
    for name, servant in (("first_head", first_head), ("head", head), ("spec", spec), ("past_head", past_head)):
        users[name] = f.user(name)
        servant.user = users[name]
        servant.save()
    users["hr_elsewhere"] = users["spec"]
    f.grant(users["spec"], other, Role.HR)  # a servant here and HR in another body
    users["auditor"] = f.user("auditor")
    f.grant(users["auditor"], body, Role.AUDITOR)
    f.grant(users["auditor"], other, Role.COMMISSION_MEMBER)
    users["nobody"] = f.user("nobody")
    return body, other, users


@pytest.mark.parametrize("who", ["first_head", "head", "spec", "past_head", "auditor", "nobody"])
def test_roles_settled_with_the_bodies_are_the_ones_computed_alone(people, who):
    body, other, users = people
    expected = {b.pk: roles_for(_fresh(users[who]), b) for b in (body, other)}
    reader = _fresh(users[who])
    found = bodies_for(reader)
    assert {b.pk for b in found} == {pk for pk, roles in expected.items() if roles}
    with CaptureQueriesContext(connection) as queries:
        settled = {b.pk: roles_for(reader, b) for b in found}
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert settled == {pk: roles for pk, roles in expected.items() if roles}


def test_structural_roles_come_out_as_the_structure_says(people):
    body, other, users = people
    assert roles_for(_fresh(users["first_head"]), body) == {Role.SERVANT, Role.MANAGER}
    assert roles_for(_fresh(users["head"]), body) == {Role.SERVANT, Role.MANAGER}
    assert roles_for(_fresh(users["past_head"]), body) == {Role.SERVANT}  # his head post ended in 2021
    assert roles_for(_fresh(users["spec"]), other) == {Role.HR}


def test_the_user_of_a_request_comes_with_his_servant_record_in_one_query(people):
    _, _, users = people
    with CaptureQueriesContext(connection) as queries:
        user = ThrottledModelBackend().get_user(users["head"].pk)
        name = user.servant.full_name
    assert len(queries) == 1 and name.startswith("Басшы")
    assert ThrottledModelBackend().get_user(10**9) is None


def test_a_long_lived_user_object_never_answers_with_a_stale_servant_link(people):
    body, _, users = people
    reader = _fresh(users["nobody"])
    assert bodies_for(reader) == []
    servant = f.servant(body, "Жаңа")
    servant.user = reader
    servant.save()
    assert [b.pk for b in bodies_for(reader)] == [body.pk]
