"""The individual work plan (Annex 9): drafted by the direct manager with the servant (S1-p.44),
checked by the core (exactly the version's KPI count, S1-p.48; SMART, S1-p.47; deadlines inside
the period), approved or returned by the superior manager, or by the first head when he is the
direct manager (S1-p.45, S1-p.46).

Errors name the form field as the pages lay it out: "kpis" for the count, "kpis-3-deadline" for the
third KPI's deadline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.cycles import clock, dues, steps, workflow
from bagalau.cycles.content import KPI_FIELDS, plan_content
from bagalau.cycles.models import DocumentKind, IndividualWorkPlan, Kpi, KpiOutcome, KpiSheet, SheetState
from bagalau.cycles.plancheck import check, field_key, version_of
from bagalau.cycles.services._base import begin, finish, late_payload, sign, text_field
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import StateBody

MAX_KPIS = 20  # a guard on input size; the version's count is checked on submit
TEXT_LIMITS = {"target": 200, "unit": 100, "strategic_goal_ref": 300}


def _deadline(value: Any, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ValidationError({key: _("A date is expected, not a date and time.")})
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError({key: _("Enter a date as YYYY-MM-DD.")})


def parse_kpis(kpis: Any) -> list[dict[str, Any]]:
    """The KPI rows as plain values, or a ValidationError naming every bad field at once."""
    if not isinstance(kpis, Sequence) or isinstance(kpis, str | bytes):
        raise ValidationError({"kpis": _("A list of KPIs is expected.")})
    if len(kpis) > MAX_KPIS:
        raise ValidationError({"kpis": _("At most %(n)s KPIs.") % {"n": MAX_KPIS}})
    rows, errors = [], {}
    for n, raw in enumerate(kpis, start=1):
        if not isinstance(raw, Mapping):
            errors[f"kpis-{n}"] = _("Each KPI is a set of fields.")
            continue
        unknown = set(raw) - set(KPI_FIELDS) - {"number"}
        if unknown:
            errors[f"kpis-{n}"] = _("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(map(str, unknown)))}
            continue
        row: dict[str, Any] = {}
        for name in KPI_FIELDS:
            key = field_key(n, name)
            try:
                if name == "deadline":
                    row[name] = _deadline(raw.get(name), key)
                else:
                    row[name] = text_field(raw.get(name), key, max_length=TEXT_LIMITS.get(name, 4000))
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def save_plan(actor: Any, body: StateBody, plan_id: int, *, kpis: Sequence[Mapping[str, Any]],
              expected_version: int) -> IndividualWorkPlan:
    """Replace the plan's KPIs (numbered 1..n in the order given). A draft may be incomplete; the
    count and SMART checks run on submit."""
    move = begin(actor=actor, body=body, model=IndividualWorkPlan, doc_type=workflow.PLAN, pk=plan_id,
                 action="edit", expected_version=expected_version)
    rows = parse_kpis(kpis)
    plan = move.doc
    existing = {k.number: k for k in plan.kpis.all()}
    for n, row in enumerate(rows, start=1):
        k = existing.pop(n, None) or Kpi(plan=plan, number=n)
        for name, value in row.items():
            setattr(k, name, value)
        k.save()
    Kpi.objects.filter(plan=plan, number__in=list(existing)).delete()
    finish(move, actor=actor, doc_type=workflow.PLAN, version=version_of(move.cycle), update={},
           payload={"kpis": len(rows)})
    return plan


@transaction.atomic
def submit_plan(actor: Any, body: StateBody, plan_id: int, *, expected_version: int) -> IndividualWorkPlan:
    """The direct manager signs the plan and sends it for approval; refused, with every failing
    field named, unless the core accepts it. Submitting twice changes nothing."""
    move = begin(actor=actor, body=body, model=IndividualWorkPlan, doc_type=workflow.PLAN, pk=plan_id,
                 action="submit", expected_version=expected_version)
    plan = move.doc
    if move.repeated:
        return plan
    version = version_of(move.cycle)
    kpis = list(plan.kpis.all())
    errors = check(version, plan, kpis, clock.today())
    if errors:
        raise ValidationError(errors)
    late = late_payload(plan)
    code = "iwp.correct" if move.from_state == "returned" else "iwp.draft"
    finish(move, actor=actor, doc_type=workflow.PLAN, version=version,
           update={"submitted_at": clock.now(), "return_reason": "", **dues.Due.none().fields()},
           payload={"kpis": len(kpis), **late})
    sign(actor=actor, body=body, doc=plan, kind=DocumentKind.PLAN, role=move.role, action="submit",
         content=plan_content(plan, kpis))
    steps.close_steps(doc=plan, actor=actor, codes=(code,))
    steps.open_step(body=body, doc=plan, code="iwp.approve", subject=move.participant.servant, due=dues.Due.none(),
                    servant=move.participant.plan_approver)
    return plan


@transaction.atomic
def approve_plan(actor: Any, body: StateBody, plan_id: int, *, expected_version: int) -> IndividualWorkPlan:
    """The superior manager (or the first head, S1-p.46) approves and signs; the KPI sheet opens
    for the direct manager with one result row per KPI."""
    move = begin(actor=actor, body=body, model=IndividualWorkPlan, doc_type=workflow.PLAN, pk=plan_id,
                 action="approve", expected_version=expected_version)
    plan = move.doc
    if move.repeated:
        return plan
    version = version_of(move.cycle)
    kpis = list(plan.kpis.all())
    errors = check(version, plan, kpis, clock.today())  # the rules in force on the day of approval
    if errors:
        raise ValidationError(errors)
    finish(move, actor=actor, doc_type=workflow.PLAN, version=version,
           update={"approved_at": clock.now(), **dues.Due.none().fields()})
    sign(actor=actor, body=body, doc=plan, kind=DocumentKind.PLAN, role=move.role, action="approve",
         content=plan_content(plan, kpis))
    steps.close_steps(doc=plan, actor=actor, codes=("iwp.approve",))
    _open_sheet(actor, body, move.participant, plan, kpis, version, move.role)
    return plan


def _open_sheet(actor: Any, body: StateBody, participant: Any, plan: IndividualWorkPlan, kpis: list[Kpi],
                version: MethodologyVersion, role: str) -> KpiSheet:
    sheet = KpiSheet.objects.create(plan=plan, participant=participant, cycle=plan.cycle, body=body,
                                    state=SheetState.DRAFT, updated_by=actor, **dues.Due.none().fields())
    KpiOutcome.objects.bulk_create([KpiOutcome(sheet=sheet, kpi=k, number=k.number) for k in kpis])
    record_event(action="cycles.sheet.open", obj=sheet, actor=actor, role=role, body_id=body.pk,
                 to_state=sheet.state, clause=version.param("review.sheet_signed_by").clause,
                 payload={"plan": plan.pk, "kpis": len(kpis), "cycle": plan.cycle_id})
    steps.open_step(body=body, doc=sheet, code="sheet.fill", subject=participant.servant, due=dues.Due.none(),
                    servant=participant.direct_manager)
    return sheet


@transaction.atomic
def return_plan(actor: Any, body: StateBody, plan_id: int, *, expected_version: int, reason: str
                ) -> IndividualWorkPlan:
    """The approver returns the plan with a reason; it goes back to the direct manager, still due
    by the iwp_due date (S1-p.44)."""
    move = begin(actor=actor, body=body, model=IndividualWorkPlan, doc_type=workflow.PLAN, pk=plan_id,
                 action="return", expected_version=expected_version)
    plan = move.doc
    if move.repeated:
        return plan
    reason = text_field(reason, "reason", required=True)
    version = version_of(move.cycle)
    due = dues.compute(version, dues.IWP_DUE, move.cycle.period_start, field_name="period_start")
    finish(move, actor=actor, doc_type=workflow.PLAN, version=version,
           update={"return_reason": reason, **due.fields()}, payload={"reason": reason, **due.payload()})
    steps.close_steps(doc=plan, actor=actor, codes=("iwp.approve",))
    steps.open_step(body=body, doc=plan, code="iwp.correct", subject=move.participant.servant, due=due,
                    servant=move.participant.direct_manager)
    return plan
