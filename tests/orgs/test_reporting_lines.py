"""Reporting lines derived from the unit tree (S1-p.45, S1-p.46, S1-p.52)."""

import datetime as dt

import pytest

from bagalau.orgs.models import ReportingOverride, ReportingRelation
from bagalau.orgs.reporting import OrgSnapshot, reporting_line
from tests import factories as f

DAY = dt.date(2024, 6, 3)


@pytest.fixture
def org(body):
    """Apparatus (top unit, headed by the first head) > Dept A (head + 2 specialists) > Sector A1."""
    top = f.unit(body, "00")
    dept = f.unit(body, "A", parent=top)
    sector = f.unit(body, "A1", parent=dept)
    people = {}
    for key, unit, head, cat in [
        ("first_head", top, True, "E-1"),
        ("head_a", dept, True, "E-2"),
        ("spec_a1", dept, False, "E-4"),
        ("spec_a2", dept, False, "E-5"),
        ("head_a1", sector, True, "E-3"),
        ("spec_s1", sector, False, "E-4"),
    ]:
        s = f.servant(body)
        f.appoint(s, f.position(unit, key, head=head, category=cat))
        people[key] = s
    body.first_head = people["first_head"]
    body.save()
    return people


def test_specialist_reports_to_unit_head_and_superior_is_next_head_S1_p45(org):
    line = reporting_line(org["spec_s1"], DAY)
    assert line.direct_manager == org["head_a1"]
    assert line.superior_manager == org["head_a"]
    assert line.direct_source == "tree"
    assert line.clause == "S1-p.45"


def test_unit_head_reports_to_parent_unit_head(org):
    line = reporting_line(org["head_a1"], DAY)
    assert line.direct_manager == org["head_a"]
    assert line.superior_manager == org["first_head"]


def test_first_head_as_direct_manager_has_no_superior_level_S1_p46(org):
    line = reporting_line(org["head_a"], DAY)
    assert line.direct_manager == org["first_head"]
    assert line.first_head_is_direct
    assert line.superior_manager is None
    assert line.superior_source == "first_head"
    assert line.clause == "S1-p.46"


def test_first_head_has_no_manager_in_the_body(org):
    line = reporting_line(org["first_head"], DAY)
    assert line.direct_manager is None and line.superior_manager is None


def test_vacant_head_position_passes_the_line_up(org):
    head_a1 = org["head_a1"].appointments.get()
    head_a1.end = DAY - dt.timedelta(days=1)
    head_a1.save()
    line = reporting_line(org["spec_s1"], DAY)
    assert line.direct_manager == org["head_a"]
    assert line.superior_manager == org["first_head"]


def test_override_wins_over_tree(org, body):
    ReportingOverride.objects.create(body=body, servant=org["spec_a1"], relation=ReportingRelation.DIRECT_MANAGER,
                                     manager=org["head_a1"], reason="acting")
    line = reporting_line(org["spec_a1"], DAY)
    assert line.direct_manager == org["head_a1"]
    assert line.direct_source == "override"
    assert line.superior_manager == org["head_a"]


def test_line_on_a_date_before_appointment_has_no_position(org):
    line = reporting_line(org["spec_a1"], dt.date(2019, 12, 31))
    assert line.position is None and line.direct_manager is None


def test_snapshot_query_count_does_not_grow_with_staff(org, body, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        snapshot = OrgSnapshot(body, DAY)
        lines = [snapshot.line(s) for s in snapshot.servants.values()]
    assert len(lines) == 6
