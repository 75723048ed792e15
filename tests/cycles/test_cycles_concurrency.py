"""Optimistic locking on the row version, and the double submit that changes nothing.

Two people read a document at version v; the first writes (v+1); the second's write with v is
refused with a Conflict naming who changed it and when, and writes nothing. Repeating the action
that already moved a document (a double click, a retried request) returns it unchanged: no second
event, signature or work item."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.errors import Conflict
from bagalau.cycles.models import Kpi, Signature
from bagalau.inbox.models import WorkItem
from tests.cycles import flow
from tests.cycles.builders import kpis

D = dt.date


def _counts():
    return AuditEvent.objects.count(), Signature.objects.count(), WorkItem.objects.count()


def test_a_stale_save_is_a_conflict_naming_who_and_when(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.plan_of(cycle, org, "head_d")
    read_by_both = plan.version
    services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=kpis(), expected_version=read_by_both)
    before = _counts()
    rows = kpis(3)
    with pytest.raises(Conflict) as info:
        services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=rows, expected_version=read_by_both)
    assert isinstance(info.value, ValidationError)
    message = info.value.message_dict["version"][0]
    assert org.user("head_c").username in message and "reload" in message
    assert info.value.current_version == read_by_both + 1
    assert _counts() == before and Kpi.objects.filter(plan=plan).count() == 5


def test_a_stale_transition_is_a_conflict(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    stale = plan.version - 1
    with pytest.raises(Conflict):
        services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=stale)
    assert flow.fresh(plan).state == "submitted"


def test_double_submit_is_idempotent(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.plan_of(cycle, org, "head_d")
    plan = services.save_plan(org.user("head_c"), org.body, plan.pk, kpis=kpis(), expected_version=plan.version)
    version_read = plan.version
    first = services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=version_read)
    before = _counts()
    second = services.submit_plan(org.user("head_c"), org.body, plan.pk, expected_version=version_read)
    assert (second.state, second.version) == (first.state, first.version)
    assert _counts() == before
    assert AuditEvent.objects.filter(action="cycles.plan.submit").count() == 1


@pytest.mark.parametrize("step", ["approve", "sign", "agree", "return", "forward"])
def test_every_move_repeated_changes_nothing(org, hr, clock, step):
    cycle = flow.launch(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    calls = {"approve": lambda v: services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=v)}
    doc = plan
    if step != "approve":
        plan = services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=plan.version)
        clock.day = D(2024, 12, 20)
        doc = flow.filled_sheet(org, plan, "head_c")
        sid = doc.pk
        calls["sign"] = lambda v: services.sign_sheet(org.user("head_c"), org.body, sid, expected_version=v)
        if step != "sign":
            doc = calls["sign"](doc.version)
        calls["agree"] = lambda v: services.agree_sheet(org.user("head_b"), org.body, sid, expected_version=v)
        calls["return"] = lambda v: services.return_sheet(org.user("head_b"), org.body, sid, expected_version=v,
                                                          grounds=["insufficient_evidence"], reason="KPI 2")
        if step == "forward":
            doc = calls["agree"](doc.version)
        calls["forward"] = lambda v: services.forward_sheet(hr, org.body, sid, expected_version=v)
    read = doc.version
    once = calls[step](read)
    before = _counts()
    twice = calls[step](read)
    assert (twice.state, twice.version) == (once.state, once.version)
    assert _counts() == before


def test_a_different_action_on_a_moved_document_is_not_swallowed(org, hr, clock):
    """Idempotence covers only the repeat of the same action: returning a plan the approver already
    approved is a conflict (stale version) or an illegal move, never a silent success."""
    cycle = flow.launch(org, hr, clock)
    plan = flow.submitted_plan(org, cycle, "head_d", "head_c")
    read = plan.version
    services.approve_plan(org.user("head_b"), org.body, plan.pk, expected_version=read)
    with pytest.raises(Conflict):
        services.return_plan(org.user("head_b"), org.body, plan.pk, expected_version=read, reason="late thought")
