"""One body never sees or writes another's data: for every model, the list (selectors), the detail
and the write path (services) refuse the other body."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from bagalau.orgs import selectors, services
from bagalau.orgs.access import bodies_for, roles_for
from bagalau.orgs.models import AbsenceKind, ReportingRelation, Role
from tests import factories as f


@pytest.fixture
def two_bodies(body, other_body):
    data = {}
    for key, b in (("a", body), ("b", other_body)):
        u = f.unit(b, "U")
        p = f.position(u, "P", head=True, category="E-3")
        s = f.servant(b)
        f.appoint(s, p)
        data[key] = {"body": b, "unit": u, "position": p, "servant": s}
    return data


LISTS = ["units", "positions", "servants", "appointments", "absences"]


@pytest.mark.parametrize("name", LISTS)
def test_lists_show_only_own_body(name, hr, two_bodies):
    a = two_bodies["a"]
    services.record_absence(actor=hr, body=a["body"], servant=a["servant"], kind=AbsenceKind.SICK_LEAVE,
                            start=dt.date(2024, 1, 1), end=dt.date(2024, 1, 5))
    rows = list(getattr(selectors, name)(hr, a["body"]))
    assert rows, f"{name}: own body's rows must be listed"
    assert all(r.body_id == a["body"].pk for r in rows)


@pytest.mark.parametrize("name", LISTS + ["reporting_lines"])
def test_lists_of_another_body_are_refused(name, hr, two_bodies):
    with pytest.raises(PermissionDenied):
        getattr(selectors, name)(hr, two_bodies["b"]["body"])


def test_detail_of_another_bodys_servant_is_not_found(hr, two_bodies):
    a, b = two_bodies["a"], two_bodies["b"]
    assert selectors.servant(hr, a["body"], a["servant"].pk) == a["servant"]
    with pytest.raises(Http404):
        selectors.servant(hr, a["body"], b["servant"].pk)


def test_servant_reads_own_record_only(two_bodies):
    a = two_bodies["a"]
    me = f.user()
    a["servant"].user = me
    a["servant"].save()
    colleague = f.servant(a["body"])
    assert selectors.servant(me, a["body"], a["servant"].pk) == a["servant"]
    with pytest.raises(PermissionDenied):
        selectors.servant(me, a["body"], colleague.pk)


WRITES = {
    "create_unit": lambda hr, a, b: services.create_unit(actor=hr, body=a["body"], code="X", name_kk="x",
                                                        name_ru="x", parent=b["unit"]),
    "create_position": lambda hr, a, b: services.create_position(
        actor=hr, body=a["body"], unit=b["unit"], code="X", title_kk="x", title_ru="x", category="E-4",
        is_head_of_unit=False),
    "appoint_foreign_servant": lambda hr, a, b: services.appoint(
        actor=hr, body=a["body"], servant=b["servant"], position=a["position"], start=dt.date(2025, 1, 1)),
    "appoint_foreign_position": lambda hr, a, b: services.appoint(
        actor=hr, body=a["body"], servant=a["servant"], position=b["position"], start=dt.date(2025, 1, 1)),
    "record_absence": lambda hr, a, b: services.record_absence(
        actor=hr, body=a["body"], servant=b["servant"], kind=AbsenceKind.SICK_LEAVE,
        start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 2)),
    "reporting_override": lambda hr, a, b: services.set_reporting_override(
        actor=hr, body=a["body"], servant=a["servant"], relation=ReportingRelation.DIRECT_MANAGER,
        manager=b["servant"], reason="x"),
    "set_body_heads": lambda hr, a, b: services.set_body_heads(
        actor=hr, body=a["body"], first_head=b["servant"], authorized_person=None),
}


@pytest.mark.parametrize("name", sorted(WRITES))
def test_writes_refuse_records_of_another_body(name, hr, two_bodies):
    with pytest.raises(ValidationError) as err:
        WRITES[name](hr, two_bodies["a"], two_bodies["b"])
    assert "another state body" in str(err.value)


WRITES_INTO_B = {
    "create_unit": lambda hr, b: services.create_unit(actor=hr, body=b["body"], code="X", name_kk="x", name_ru="x"),
    "create_servant": lambda hr, b: services.create_servant(actor=hr, body=b["body"], iin="880101300123",
                                                           last_name="x", first_name="y"),
    "record_absence": lambda hr, b: services.record_absence(
        actor=hr, body=b["body"], servant=b["servant"], kind=AbsenceKind.SICK_LEAVE,
        start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 2)),
    "grant_role": lambda hr, b: services.grant_role(actor=hr, body=b["body"], user=hr, role=Role.HR),
    "end_appointment": lambda hr, b: services.end_appointment(actor=hr, appointment=b["servant"].appointments.get(),
                                                             end=dt.date(2025, 1, 1)),
}


@pytest.mark.parametrize("name", sorted(WRITES_INTO_B))
def test_hr_of_one_body_cannot_write_into_another(name, hr, two_bodies):
    with pytest.raises(PermissionDenied):
        WRITES_INTO_B[name](hr, two_bodies["b"])


def test_roles_and_bodies_are_per_body(hr, body, other_body):
    assert Role.HR in roles_for(hr, body)
    assert roles_for(hr, other_body) == frozenset()
    assert bodies_for(hr) == [body]
