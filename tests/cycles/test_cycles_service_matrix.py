"""The tables enforced by the services: for every state of a plan and of a sheet, every action
attempted by the holder of every workflow role. The person must be the snapshot's person for the
role the table names (else PermissionDenied), the state must allow the action (else
IllegalTransition), and a refused move writes nothing."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services, workflow
from bagalau.cycles.models import IndividualWorkPlan, KpiSheet, PlanState, SheetState
from bagalau.cycles.workflow import IllegalTransition
from tests.cycles import flow
from tests.cycles.builders import kpis

# Who holds each workflow role on head_d's documents (from the snapshot: see builders.py).
ACTORS = {workflow.DIRECT_MANAGER: "head_c", workflow.REVIEWER: "head_b", workflow.SERVANT: "head_d",
          workflow.HR: "hr"}


def _actor(org, hr, role):
    return hr if role == workflow.HR else org.user(ACTORS[role])


def _call_plan(action, actor, org, plan):
    kw = {"expected_version": plan.version}
    if action == "edit":
        return services.save_plan(actor, org.body, plan.pk, kpis=kpis(), **kw)
    if action == "submit":
        return services.submit_plan(actor, org.body, plan.pk, **kw)
    if action == "approve":
        return services.approve_plan(actor, org.body, plan.pk, **kw)
    return services.return_plan(actor, org.body, plan.pk, reason="KPI 2 is not measurable", **kw)


def _call_sheet(action, actor, org, sheet):
    kw = {"expected_version": sheet.version}
    if action == "edit":
        return services.save_sheet(actor, org.body, sheet.pk, results=flow.results(3), **kw)
    if action == "sign":
        return services.sign_sheet(actor, org.body, sheet.pk, **kw)
    if action == "agree":
        return services.agree_sheet(actor, org.body, sheet.pk, **kw)
    if action == "return":
        return services.return_sheet(actor, org.body, sheet.pk, grounds=["insufficient_evidence"],
                                     reason="No protocol attached for KPI 3", **kw)
    return services.forward_sheet(actor, org.body, sheet.pk, **kw)


def _expect(doc_type, doc, action, role, call):
    table = workflow.table(doc_type)
    transition = table.get(doc.state, action)
    events = AuditEvent.objects.count()
    before = doc.version
    if role != table.role_for(action):
        with pytest.raises(PermissionDenied):
            call()
    elif transition is None:
        with pytest.raises(IllegalTransition):
            call()
    else:
        moved = call()
        assert moved.state == transition.target
        assert moved.version == before + 1
        event = AuditEvent.objects.filter(action=f"cycles.{doc_type}.{action}").latest("id")
        assert (event.from_state, event.to_state) == (doc.state, transition.target)
        assert event.clause  # every move names its clause
        return
    assert AuditEvent.objects.count() == events
    assert type(doc).objects.get(pk=doc.pk).version == before


@pytest.mark.parametrize("state, action, role", [
    pytest.param(s, a, r, id=f"{s}-{a}-{r}")
    for s, a, r in itertools.product(PlanState.values, workflow.PLAN_TABLE.actions, workflow.ROLES)
])
def test_plan_moves_through_the_services(org, hr, clock, state, action, role):
    cycle = flow.launch(org, hr, clock)
    plan = flow.plan_of(cycle, org, "head_d")
    plan = services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=kpis(), expected_version=plan.version)
    IndividualWorkPlan.objects.filter(pk=plan.pk).update(state=state, last_action="")
    plan = flow.fresh(plan)
    _expect(workflow.PLAN, plan, action, role, lambda: _call_plan(action, _actor(org, hr, role), org, plan))


@pytest.mark.parametrize("state, action, role", [
    pytest.param(s, a, r, id=f"{s}-{a}-{r}")
    for s, a, r in itertools.product(SheetState.values, workflow.SHEET_TABLE.actions, workflow.ROLES)
])
def test_sheet_moves_through_the_services(org, hr, clock, state, action, role):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = flow.D(2024, 12, 20)
    sheet = flow.filled_sheet(org, plan, "head_c", achieved=4)
    KpiSheet.objects.filter(pk=sheet.pk).update(state=state, last_action="")
    sheet = flow.fresh(sheet)
    _expect(workflow.SHEET, sheet, action, role, lambda: _call_sheet(action, _actor(org, hr, role), org, sheet))
