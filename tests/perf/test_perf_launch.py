"""The launch writes its plans, work items and audit events in bulk, and the result is the one the
per-plan path gave: one plan, one open work item and two events (cycles.plan.open, inbox.open)
per KPI participant, a hash chain that verifies, and a repeated launch that writes nothing."""

from __future__ import annotations

import pytest

from bagalau.audit.models import AuditEvent
from bagalau.audit.verify import verify_chain
from bagalau.cycles.models import IndividualWorkPlan, Participant, Track
from bagalau.cycles.services import launch_cycle
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.notifications.models import Notification
from bench import batch, generate
from bench.clock import LAUNCH_DAY
from tests.clock import install_fake_clock

pytestmark = pytest.mark.django_db


def test_a_bulk_launch_writes_one_plan_item_and_two_events_per_kpi_participant(monkeypatch):
    install_fake_clock(monkeypatch, LAUNCH_DAY)
    country = generate.organisation(90, 45, seed=11)
    batch.launch_country(country)

    kpi = Participant.objects.filter(track=Track.KPI)
    plans = IndividualWorkPlan.objects.all()
    assert kpi.count() == plans.count() > 10
    items = WorkItem.objects.filter(action="iwp.draft", state=ItemState.OPEN)
    assert items.count() == plans.count()
    assert set(items.values_list("object_id", flat=True)) == {str(pk) for pk in plans.values_list("pk", flat=True)}
    for plan in plans.select_related("participant"):
        item = items.get(object_id=str(plan.pk))
        assert item.assignee.servant.pk == plan.participant.direct_manager_id
        assert item.due == plan.due_on and item.due_clause == plan.due_clause
    assert AuditEvent.objects.filter(action="cycles.plan.open").count() == plans.count()
    assert AuditEvent.objects.filter(action="inbox.open").count() == plans.count()
    assert AuditEvent.objects.filter(action="cycles.cycle.launch").count() == len(country.bodies)
    assert Notification.objects.count() == items.count()  # every manager has a login and an e-mail
    result = verify_chain()
    assert result.ok, result

    events = AuditEvent.objects.count()
    body = country.bodies[0]
    launch_cycle(country.hr[body.pk], body, country.cycles[body.pk])  # again: a no-op
    assert AuditEvent.objects.count() == events
    assert IndividualWorkPlan.objects.count() == plans.count()
