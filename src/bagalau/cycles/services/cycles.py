"""HR opens, previews, launches, cancels and closes a cycle.

Launch is the moment the law and the organisation are frozen for the period: the cycle is pinned to
the version the body had adopted on the period start (spec 13.3 rule 2), every participant gets
the snapshot of his position and reporting line with the launch decisions (who is evaluated, by
which methods, with or without participation, each with its clause), and every KPI participant's
direct manager gets a plan to draft, due `iwp_due` working days after the period start (S1-p.44).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau import bulk
from bagalau.audit.services import record_event, record_events
from bagalau.cycles import clock, dues, steps, workflow
from bagalau.cycles.launch import LaunchPlan, plan_launch
from bagalau.cycles.models import (
    CycleState,
    EvaluationCycle,
    IndividualWorkPlan,
    Participant,
    PeriodKind,
    PlanState,
    SheetState,
    Track,
)
from bagalau.cycles.services._base import text_field
from bagalau.lawbook.selectors import version_for
from bagalau.methodology.errors import MethodologyError, NoVersionInForce
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.access import require_role
from bagalau.orgs.models import Role, StateBody

MAX_TRANSITIONAL_DAYS = 366


def _period(kind: str, year: Any, quarter: Any, start: dt.date | None, end: dt.date | None,
            ) -> tuple[int, int | None, dt.date, dt.date]:
    """The period of a cycle: computed for a year or a quarter, given only for the transitional window."""
    if kind not in PeriodKind.values:
        raise ValidationError({"kind": _("Choose a year, a quarter or the transitional window.")})
    if kind == PeriodKind.TRANSITIONAL:
        errors = {}
        if not isinstance(start, dt.date):
            errors["period_start"] = _("The transitional window needs its first day.")
        if not isinstance(end, dt.date):
            errors["period_end"] = _("The transitional window needs its last day.")
        if errors:
            raise ValidationError(errors)
        assert isinstance(start, dt.date) and isinstance(end, dt.date)
        if end < start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})
        if (end - start).days >= MAX_TRANSITIONAL_DAYS:
            raise ValidationError({"period_end": _("An evaluated period is at most one year long.")})
        return start.year, None, start, end
    if start is not None or end is not None:
        raise ValidationError({"period_start": _("The dates of a year or a quarter are computed from the year "
                                                 "and the quarter; do not type them.")})
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("A year between 2000 and 2100 is required.")})
    if kind == PeriodKind.YEAR:
        if quarter is not None:
            raise ValidationError({"quarter": _("A yearly cycle has no quarter.")})
        return year, None, dt.date(year, 1, 1), dt.date(year, 12, 31)
    if isinstance(quarter, bool) or not isinstance(quarter, int) or not 1 <= quarter <= 4:
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    first_month = 3 * (quarter - 1) + 1
    last_month = first_month + 2
    return (year, quarter, dt.date(year, first_month, 1),
            dt.date(year, last_month, calendar.monthrange(year, last_month)[1]))


@transaction.atomic
def create_cycle(actor: Any, body: StateBody, *, kind: str, year: int | None = None, quarter: int | None = None,
                 period_start: dt.date | None = None, period_end: dt.date | None = None) -> EvaluationCycle:
    """A draft cycle for a period of the body. Nothing is pinned or snapshotted until launch."""
    role = require_role(actor, body, [Role.HR], action=_("open an evaluation cycle"))
    year, quarter, start, end = _period(kind, year, quarter, period_start, period_end)
    clash = (EvaluationCycle.objects.filter(body=body, period_start__lte=end, period_end__gte=start)
             .exclude(state=CycleState.CANCELLED).first())
    if clash is not None:
        raise ValidationError({"period_start": _("The body already has the cycle %(other)s for an overlapping "
                                                 "period.") % {"other": clash.label}})
    cycle = EvaluationCycle.objects.create(body=body, kind=kind, year=year, quarter=quarter, period_start=start,
                                           period_end=end, created_by=actor)
    record_event(action="cycles.cycle.create", obj=cycle, actor=actor, role=role, body_id=body.pk,
                 to_state=cycle.state, payload={"kind": kind, "period": [start.isoformat(), end.isoformat()]})
    return cycle


def _lock_cycle(body: StateBody, cycle_id: int) -> EvaluationCycle:
    cycle = EvaluationCycle.objects.select_for_update().filter(body=body, pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("No such cycle in this state body."))
    return cycle


def _pinned_version(cycle: EvaluationCycle) -> MethodologyVersion:
    try:
        return version_for(cycle.body, cycle.period_start)
    except NoVersionInForce:
        raise ValidationError({"period_start": _(
            "The body has adopted no methodology version in force on %(date)s: record the body's adoption "
            "of a methodology in the lawbook before launching.") % {"date": cycle.period_start.isoformat()}},
        ) from None
    except MethodologyError as exc:
        raise ValidationError({"period_start": _("Methodology: %(problem)s") % {"problem": str(exc)}}) from exc


def preview_launch(actor: Any, body: StateBody, cycle_id: int) -> LaunchPlan:
    """What `launch_cycle` would write, without writing: every servant considered, evaluated or not
    and why, by which methods, with or without participation, each with its clause."""
    require_role(actor, body, [Role.HR], action=_("preview the launch of a cycle"))
    cycle = EvaluationCycle.objects.filter(body=body, pk=cycle_id).select_related("body").first()
    if cycle is None:
        raise Http404(_("No such cycle in this state body."))
    workflow.fire(workflow.CYCLE, cycle.state, "launch", workflow.HR)
    version = _pinned_version(cycle)
    return plan_launch(cycle, version, clock.today())


@transaction.atomic
def launch_cycle(actor: Any, body: StateBody, cycle_id: int) -> EvaluationCycle:
    """Pin the version, store the snapshot and the launch decisions, open a plan for every KPI
    participant with a direct manager. Launching a launched cycle again changes nothing."""
    role = require_role(actor, body, [Role.HR], action=_("launch an evaluation cycle"))
    cycle = _lock_cycle(body, cycle_id)
    if cycle.state == CycleState.LAUNCHED and cycle.last_action == "launch":
        return cycle
    transition = workflow.fire(workflow.CYCLE, cycle.state, "launch", workflow.HR)[0]
    version = _pinned_version(cycle)
    today = clock.today()
    launch = plan_launch(cycle, version, today)
    iwp_due = dues.compute(version, dues.IWP_DUE, cycle.period_start, field_name="period_start")

    participants = bulk.insert(
        Participant, [Participant(cycle=cycle, body=body, **d.snapshot_fields()) for d in launch.participants])
    if any(p.pk is None for p in participants):  # backends without RETURNING ids
        by_servant = {p.servant_id: p for p in Participant.objects.filter(cycle=cycle)}
        participants = [by_servant[p.servant_id] for p in participants]

    cycle.state = transition.target
    cycle.last_action = "launch"
    cycle.methodology_version = version.id
    cycle.snapshot_on = launch.snapshot_on
    cycle.launched_at = clock.now()
    cycle.launched_by = actor
    cycle.launch_summary = {"counts": launch.counts(), "iwp_due": iwp_due.payload(), "launched_on": today.isoformat()}
    cycle.save()
    clause = version.param(transition.param).clause if transition.param else ""
    launched = {"action": "cycles.cycle.launch", "obj": cycle, "actor": actor, "role": role, "body_id": body.pk,
                "from_state": CycleState.DRAFT, "to_state": cycle.state, "clause": clause,
                "payload": {"methodology_version": version.id, "snapshot_on": launch.snapshot_on.isoformat(),
                            **cycle.launch_summary}}

    # One plan per KPI participant, written in bulk with their events and work items: a body of
    # hundreds costs a fixed number of queries, not a dozen per plan. The launch's own event goes
    # first in the same append to the chain.
    kpi = [p for p in participants if p.track == Track.KPI]
    plans = bulk.insert(IndividualWorkPlan, [
        IndividualWorkPlan(participant=p, cycle=cycle, body=body, state=PlanState.DRAFT, updated_by=actor,
                           **iwp_due.fields()) for p in kpi])
    record_events([launched, *({"action": "cycles.plan.open", "obj": plan, "actor": actor, "role": role,
                                "body_id": body.pk, "to_state": plan.state, "clause": iwp_due.clause,
                                "payload": {"cycle": cycle.pk, "servant": p.servant_id, **iwp_due.payload()}}
                               for plan, p in zip(plans, kpi, strict=True))])
    steps.open_steps(body=body, steps=[{"doc": plan, "code": "iwp.draft", "subject": p.servant, "due": iwp_due,
                                        "servant": p.direct_manager} for plan, p in zip(plans, kpi, strict=True)])
    return cycle


@transaction.atomic
def cancel_cycle(actor: Any, body: StateBody, cycle_id: int, *, reason: str = "") -> EvaluationCycle:
    """Cancel a draft cycle (a launched one is closed, never cancelled: its trail stays)."""
    role = require_role(actor, body, [Role.HR], action=_("cancel an evaluation cycle"))
    reason = text_field(reason, "reason")
    cycle = _lock_cycle(body, cycle_id)
    if cycle.state == CycleState.CANCELLED:
        return cycle
    transition = workflow.fire(workflow.CYCLE, cycle.state, "cancel", workflow.HR)[0]
    cycle.state, cycle.last_action = transition.target, "cancel"
    cycle.save(update_fields=["state", "last_action"])
    record_event(action="cycles.cycle.cancel", obj=cycle, actor=actor, role=role, body_id=body.pk,
                 from_state=transition.source, to_state=cycle.state, payload={"reason": reason})
    return cycle


@transaction.atomic
def close_cycle(actor: Any, body: StateBody, cycle_id: int) -> EvaluationCycle:
    """Close a launched cycle once every KPI sheet has gone to the Commission."""
    role = require_role(actor, body, [Role.HR], action=_("close an evaluation cycle"))
    cycle = _lock_cycle(body, cycle_id)
    if cycle.state == CycleState.CLOSED:
        return cycle
    transition = workflow.fire(workflow.CYCLE, cycle.state, "close", workflow.HR)[0]
    kpi = Participant.objects.filter(cycle=cycle, track=Track.KPI)
    open_docs = kpi.exclude(sheet__state=SheetState.SUBMITTED_TO_COMMISSION).count()
    if open_docs:
        raise ValidationError({"state": _("%(n)s KPI participant(s) have not reached the Commission yet; the "
                                          "cycle cannot be closed.") % {"n": open_docs}})
    cycle.state, cycle.last_action = transition.target, "close"
    cycle.save(update_fields=["state", "last_action"])
    record_event(action="cycles.cycle.close", obj=cycle, actor=actor, role=role, body_id=body.pk,
                 from_state=transition.source, to_state=cycle.state)
    return cycle
