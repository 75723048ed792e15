"""Who reads and writes what: another body's id is not found, a person of the right body in the
wrong role is refused, and a refused call writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bagalau.audit.models import AuditEvent
from bagalau.cycles import selectors, services
from bagalau.cycles.models import EvaluationCycle, PeriodKind
from bagalau.orgs.models import Role
from tests import factories
from tests.cycles import flow
from tests.cycles.builders import build_org, kpis

D = dt.date


@pytest.fixture
def cycle(org, hr, clock):
    return flow.launch(org, hr, clock)


def test_a_foreign_bodys_ids_are_not_found_and_nothing_is_written(org, cycle, hr, other_body, other_hr, clock):
    other = build_org(other_body)
    plan = flow.plan_of(cycle, org, "head_d")
    draft = services.create_cycle(hr, org.body, kind=PeriodKind.QUARTER, year=2025, quarter=1)
    events = AuditEvent.objects.count()
    calls = [
        lambda: services.launch_cycle(other_hr, other_body, draft.pk),
        lambda: services.preview_launch(other_hr, other_body, draft.pk),
        lambda: services.cancel_cycle(other_hr, other_body, draft.pk),
        lambda: services.save_plan(other.user("head_c"), other_body, plan.pk, kpis=kpis(),
                                   expected_version=plan.version),
        lambda: services.submit_plan(other.user("head_c"), other_body, plan.pk, expected_version=plan.version),
        lambda: selectors.plan_detail(other_hr, other_body, plan.pk),
        lambda: selectors.cycle(other_hr, other_body, cycle.pk),
        lambda: selectors.evidence_file(other_hr, other_body, 1),
    ]
    for call in calls:
        with pytest.raises(Http404):
            call()
    assert AuditEvent.objects.count() == events
    assert EvaluationCycle.objects.get(pk=draft.pk).state == "draft"
    assert flow.fresh(plan).version == plan.version
    # And the other body's HR sees none of this body's cycles in its own list.
    assert list(selectors.cycles(other_hr, other_body)) == []


def test_right_body_wrong_role_is_refused_and_nothing_is_written(org, cycle):
    plan = flow.plan_of(cycle, org, "head_d")
    events = AuditEvent.objects.count()
    spec = org.user("spec")  # a servant of the body, unrelated to head_d
    with pytest.raises(PermissionDenied):
        services.save_plan(spec, org.body, plan.pk, kpis=kpis(), expected_version=plan.version)
    with pytest.raises(PermissionDenied):
        selectors.plan_detail(spec, org.body, plan.pk)
    with pytest.raises(PermissionDenied):
        services.launch_cycle(spec, org.body, cycle.pk)
    with pytest.raises(PermissionDenied):
        selectors.cycle_board(spec, cycle)
    assert AuditEvent.objects.count() == events and flow.fresh(plan).version == plan.version


def test_who_reads_a_plan(org, cycle, hr):
    plan = flow.plan_of(cycle, org, "head_d")
    auditor = factories.grant(factories.user("auditor_x"), org.body, Role.AUDITOR).user
    authorized = factories.grant(factories.user("authorized_x"), org.body, Role.AUTHORIZED_PERSON).user
    for reader in (org.user("head_d"), org.user("head_c"), org.user("head_b"), hr, auditor, authorized):
        detail = selectors.plan_detail(reader, org.body, plan.pk)
        assert detail.plan.pk == plan.pk
    assert selectors.plan_detail(org.user("head_c"), org.body, plan.pk).actions == ["edit", "submit"]
    assert selectors.plan_detail(org.user("head_d"), org.body, plan.pk).actions == []
    assert selectors.plan_detail(auditor, org.body, plan.pk).actions == []
    for outsider in (org.user("spec"), org.user("chairman")):  # chairman is above head_b, not in head_d's chain
        with pytest.raises(PermissionDenied):
            selectors.plan_detail(outsider, org.body, plan.pk)


def test_plan_detail_shows_what_blocks_a_submit(org, cycle):
    plan = flow.plan_of(cycle, org, "head_d")
    detail = selectors.plan_detail(org.user("head_c"), org.body, plan.pk)
    assert detail.kpi_count == 5 and "kpis" in detail.problems
    plan = services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=kpis(), expected_version=plan.version)
    assert selectors.plan_detail(org.user("head_c"), org.body, plan.pk).problems == {}


def test_personal_lists(org, cycle, hr, clock):
    plan_d = flow.submitted_plan(org, cycle, "head_d", "head_c")
    plan_c = flow.submitted_plan(org, cycle, "head_c", "head_b")
    plan_b = flow.submitted_plan(org, cycle, "head_b", "chairman")
    mine = selectors.my_evaluations(org.user("head_d"), org.body)
    assert [p.servant_id for p in mine] == [org.servants["head_d"].pk] and mine[0].plan.pk == plan_d.pk
    subordinates = selectors.my_subordinates(org.user("head_c"), org.body, cycle_id=cycle.pk)
    assert [p.servant_id for p in subordinates] == [org.servants["head_d"].pk]
    queue = selectors.to_review(org.user("head_b"), org.body)
    assert [p.pk for p in queue.plans] == [plan_d.pk]
    # The first head reviews head_c's plan as his superior and head_b's as his direct-manager-first-head.
    assert {p.pk for p in selectors.to_review(org.user("chairman"), org.body).plans} == {plan_c.pk, plan_b.pk}
    assert list(selectors.my_evaluations(hr, org.body)) == []  # HR here has no servant record
    plan_d = services.approve_plan(org.user("head_b"), org.body, plan_d.pk, expected_version=plan_d.version)
    clock.day = D(2024, 12, 20)
    sheet = flow.signed_sheet(org, plan_d, "head_c")
    assert [s.pk for s in selectors.to_review(org.user("head_b"), org.body).sheets] == [sheet.pk]
    sheet = services.agree_sheet(org.user("head_b"), org.body, sheet.pk, expected_version=sheet.version)
    assert [s.pk for s in selectors.to_forward(hr, org.body)] == [sheet.pk]
    with pytest.raises(PermissionDenied):
        selectors.to_forward(org.user("head_b"), org.body)


def test_cycle_lists_are_for_hr_authorized_and_auditor(org, cycle, hr):
    listed = selectors.cycles(hr, org.body)
    assert [(c.pk, c.n_participants, c.n_kpi) for c in listed] == [(cycle.pk, 5, 3)]
    with pytest.raises(PermissionDenied):
        selectors.cycles(org.user("head_b"), org.body)
    participants = selectors.participants(hr, selectors.cycle(hr, org.body, cycle.pk))
    assert participants.count() == 5
