"""Evaluation cycles, individual work plans (Annex 9) and KPI evaluation sheets (Annex 10).

The same operations as the pages, for integrators: each handler parses, calls one service or
selector of `bagalau.cycles` and serialises. Permissions, the workflow tables, the rules of the
methodology and the tenant boundary live in the services and selectors; the body is always the
caller's current one (`context.body_of`), never an id from the request.

Conventions:

* Every move of a plan or a sheet takes `expected_version`, the row version the caller read (it is
  in every plan and sheet answer). A different one is refused with 409: the document moved on.
  Repeating the move that already happened (a double click) returns the document unchanged.
* A move the workflow table does not allow in the document's state (approve a draft) is 409 too,
  naming the state and the action; a move by someone who does not hold the workflow role is 403.
* Field names in the services' errors name the stored document: `kpis-3-deadline` is the deadline
  of KPI number 3, `results-2-indicators_met` the result of KPI number 2. Schema errors name the
  request path (`kpis.0.deadline`, 0-based).
* A draft plan may be saved incomplete (the pages do the same); the count of KPIs the cycle's
  version requires and the SMART checks (a deadline outside the period among them), each with its
  clause, are listed in `problems` on every read and refuse the submit (422). `submit: true` on a
  save (`sign: true` on a sheet's save) is the page's "Save and submit": one transaction, so a
  refused submit saves nothing either.
* The rating of a sheet is derived by the rules core from the per-KPI results, with its clause; no
  request can carry it (an unknown field such as `rating` is refused with 422).
* Dates are ISO strings and are never coerced from numbers; ints are strict where a string or a
  boolean would be a mistake (`expected_version`, KPI numbers, indicator counts).
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import AfterValidator, ConfigDict, StrictBool, StrictInt

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS, FieldError
from bagalau.api.types import IsoDate, Offset, Out, RowId
from bagalau.audit.selectors import events_for_object
from bagalau.cycles import clock, selectors, services, workflow
from bagalau.cycles.launch import describe_note
from bagalau.cycles.models import (
    EvaluationCycle,
    EvidenceFile,
    IndividualWorkPlan,
    Kpi,
    KpiSheet,
    Participant,
    PeriodKind,
)
from bagalau.cycles.plancheck import version_of
from bagalau.cycles.services.plans import MAX_KPIS
from bagalau.inbox.selectors import open_steps_of
from bagalau.methodology.errors import MethodologyError
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role

router = Router(tags=["cycles"])

Version = Annotated[StrictInt, Field(ge=1, description="The row version the caller read (optimistic locking).")]
Count = Annotated[StrictInt, Field(ge=0, le=50)]


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text; refuse it here rather than fail in the database.
    if "\x00" in value:
        raise ValueError("text must not contain the NUL character")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class Strict(Schema):
    """An input that refuses unknown fields, so a typo or a typed rating is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


# -- shared pieces ---------------------------------------------------------------------------------

class PersonRef(Out):
    id: int
    name: str


class DueDateOut(Out):
    """The due date of the step in progress, with the rule and clause it was computed from."""

    on: dt.date | None
    rule: str
    clause: str
    overdue: bool
    explanation: dict[str, list[str]] = Field(description="How the date was counted, per language (kk, ru, en).")


class SignatureOut(Out):
    id: int
    signer_name: str
    servant_id: int | None
    role: str
    action: str
    signed_at: dt.datetime
    method: str
    content_sha256: str
    valid: bool
    status: str = Field(description="valid, or invalid_content_changed when the document changed after signing.")


class StepOut(Out):
    """An open work item of the document: who has to act next, by when, under which rule."""

    action: str
    assignee: str | None
    assignee_role: str
    due: dt.date | None
    due_rule: str
    due_clause: str


class ReturnOut(Out):
    at: dt.datetime
    by: str
    clause: str
    reason: str
    grounds: list[str]
    due: dt.date | None
    due_rule: str
    due_clause: str


class CycleRef(Out):
    id: int
    label: str
    state: str
    period_start: dt.date
    period_end: dt.date
    methodology_version: str


class ParticipantOut(Out):
    """A participant as the cycle's snapshot recorded him at launch."""

    id: int
    cycle: CycleRef
    servant_id: int
    servant_name: str
    position_code: str
    position_title_kk: str
    position_title_ru: str
    unit_code: str
    unit_name_kk: str
    unit_name_ru: str
    category: str
    is_head_of_unit: bool
    status: str
    track: str
    participation: str
    participation_clause: str
    methods: list[str]
    methods_clause: str
    direct_manager: PersonRef | None
    superior_manager: PersonRef | None
    first_head_is_direct: bool
    plan_approver: PersonRef | None
    plan_approver_kind: str
    plan_approver_clause: str
    sheet_reviewer: PersonRef | None
    sheet_reviewer_kind: str
    sheet_reviewer_clause: str


def _person(pk: int | None, name: str) -> PersonRef | None:
    return PersonRef(id=pk, name=name) if pk else None


def _cycle_ref(c: EvaluationCycle) -> CycleRef:
    return CycleRef(id=c.pk, label=c.label, state=c.state, period_start=c.period_start, period_end=c.period_end,
                    methodology_version=c.methodology_version)


def _reviewer(p: Participant, pk: int | None) -> PersonRef | None:
    """The plan approver or sheet reviewer, named from the snapshot's copied names (no query)."""
    if not pk:
        return None
    for sid, name in ((p.superior_manager_id, p.superior_manager_name), (p.first_head_id, p.first_head_name),
                      (p.direct_manager_id, p.direct_manager_name)):
        if sid == pk:
            return PersonRef(id=pk, name=name)
    return PersonRef(id=pk, name="")


def _participant(p: Participant, cycle: EvaluationCycle) -> ParticipantOut:
    return ParticipantOut(
        id=p.pk, cycle=_cycle_ref(cycle), servant_id=p.servant_id, servant_name=p.servant_name,
        position_code=p.position_code, position_title_kk=p.position_title_kk, position_title_ru=p.position_title_ru,
        unit_code=p.unit_code, unit_name_kk=p.unit_name_kk, unit_name_ru=p.unit_name_ru, category=p.category,
        is_head_of_unit=p.is_head_of_unit, status=p.status, track=p.track, participation=p.participation,
        participation_clause=p.participation_clause, methods=list(p.methods), methods_clause=p.methods_clause,
        direct_manager=_person(p.direct_manager_id, p.direct_manager_name),
        superior_manager=_person(p.superior_manager_id, p.superior_manager_name),
        first_head_is_direct=p.first_head_is_direct,
        plan_approver=_reviewer(p, p.plan_approver_id),
        plan_approver_kind=p.plan_approver_kind, plan_approver_clause=p.plan_approver_clause,
        sheet_reviewer=_reviewer(p, p.sheet_reviewer_id),
        sheet_reviewer_kind=p.sheet_reviewer_kind, sheet_reviewer_clause=p.sheet_reviewer_clause,
    )


def _due(doc: IndividualWorkPlan | KpiSheet) -> DueDateOut:
    lines = (doc.due_explanation or {}).get("lines") or {}
    return DueDateOut(on=doc.due_on, rule=doc.due_rule, clause=doc.due_clause,
                  overdue=doc.due_on is not None and doc.due_on < clock.today(),
                  explanation={str(k): [str(line) for line in v] for k, v in lines.items()})


def _signatures(statuses: list[selectors.SignatureStatus]) -> list[SignatureOut]:
    return [SignatureOut(id=s.signature.pk, signer_name=s.signature.signer_name, servant_id=s.signature.servant_id,
                         role=s.signature.role, action=s.signature.action, signed_at=s.signature.signed_at,
                         method=s.signature.method, content_sha256=s.signature.content_sha256, valid=s.valid,
                         status=s.status)
            for s in statuses]


def _steps(doc: IndividualWorkPlan | KpiSheet) -> list[StepOut]:
    return [StepOut(action=s.action, assignee=s.assignee, assignee_role=s.assignee_role, due=s.due,
                    due_rule=s.due_rule, due_clause=s.due_clause)
            for s in open_steps_of(doc)]


def _returns(doc: IndividualWorkPlan | KpiSheet, action: str) -> list[ReturnOut]:
    if isinstance(doc, KpiSheet) and not doc.times_returned:
        # The only move that records a sheet's return counts it in the same transaction: a sheet
        # never returned has no return event to read.
        return []
    out = []
    for e in events_for_object(doc).filter(action=action):
        p = e.payload or {}
        due = p.get("due")
        out.append(ReturnOut(at=e.ts, by=e.actor_label, clause=e.clause, reason=str(p.get("reason", "")),
                             grounds=[str(g) for g in p.get("grounds", [])],
                             due=dt.date.fromisoformat(due) if isinstance(due, str) else None,
                             due_rule=str(p.get("due_rule", "")), due_clause=str(p.get("due_clause", ""))))
    return out


def _errors(problems: dict[str, str]) -> list[FieldError]:
    return [FieldError(field=k, message=str(v)) for k, v in problems.items()]


def _related(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:
        return None


# -- cycles ----------------------------------------------------------------------------------------

class CycleIn(Strict):
    kind: PeriodKind = Field(description="year, quarter, or transitional (the only kind that takes dates).")
    year: StrictInt | None = Field(None, ge=2000, le=2100, description="For a year or a quarter.")
    quarter: StrictInt | None = Field(None, ge=1, le=4, description="For a quarter only.")
    period_start: IsoDate | None = Field(None, description="First day of a transitional window only.")
    period_end: IsoDate | None = Field(None, description="Last day of a transitional window only.")


class CycleOut(Schema):
    id: int
    label: str
    kind: str
    year: int
    quarter: int | None
    period_start: dt.date
    period_end: dt.date
    state: str
    state_label: str
    methodology_version: str = Field(description="Pinned at launch; empty for a draft.")
    snapshot_on: dt.date | None
    created_at: dt.datetime
    launched_at: dt.datetime | None
    participants: int
    evaluated: int
    kpi_participants: int
    launch_counts: dict[str, int]
    iwp_due: DueDateOut | None = Field(description="The plans' due date set at launch, with its rule and clause.")
    allowed_actions: list[str]


class CyclePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CycleOut]


def _cycle_out(request: HttpRequest, c: EvaluationCycle) -> CycleOut:
    roles = {workflow.HR} if Role.HR in roles_for(request.user, body_of(request)) else set()
    summary = c.launch_summary or {}
    due = summary.get("iwp_due") or None
    iwp_due = None
    if due and due.get("due"):
        on = dt.date.fromisoformat(due["due"])
        iwp_due = DueDateOut(on=on, rule=due.get("due_rule", ""), clause=due.get("due_clause", ""),
                         overdue=on < clock.today(), explanation={})
    return CycleOut(
        id=c.pk, label=c.label, kind=c.kind, year=c.year, quarter=c.quarter, period_start=c.period_start,
        period_end=c.period_end, state=c.state, state_label=str(c.get_state_display()),
        methodology_version=c.methodology_version, snapshot_on=c.snapshot_on, created_at=c.created_at,
        launched_at=c.launched_at, participants=getattr(c, "n_participants", 0),
        evaluated=getattr(c, "n_evaluated", 0), kpi_participants=getattr(c, "n_kpi", 0),
        launch_counts={str(k): int(v) for k, v in (summary.get("counts") or {}).items()}, iwp_due=iwp_due,
        allowed_actions=[t.action for t in workflow.available(workflow.CYCLE, c.state, roles)],
    )


def _cycle_with_counts(request: HttpRequest, cycle_id: int) -> EvaluationCycle:
    found = selectors.cycles(request.user, body_of(request)).filter(pk=cycle_id).first()
    if found is None:
        raise Http404
    return found


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=200)
    offset: Offset = 0


@router.get("", response={200: CyclePage, **ERRORS}, summary="List the body's evaluation cycles")
def list_cycles(request: HttpRequest, page: Query[PageQuery]) -> CyclePage:
    qs = selectors.cycles(request.user, body_of(request))
    count = qs.count()
    items = [_cycle_out(request, c) for c in qs[page.offset: page.offset + page.limit]]
    return CyclePage(count=count, limit=page.limit, offset=page.offset, items=items)


@router.post("", response={201: CycleOut, **ERRORS}, summary="Open a draft cycle (HR)")
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status[CycleOut]:
    c = services.create_cycle(request.user, body_of(request), kind=payload.kind, year=payload.year,
                              quarter=payload.quarter, period_start=payload.period_start,
                              period_end=payload.period_end)
    return Status(201, _cycle_out(request, _cycle_with_counts(request, c.pk)))


@router.get("/{int:cycle_id}", response={200: CycleOut, **ERRORS}, summary="One cycle")
def cycle_detail(request: HttpRequest, cycle_id: int) -> CycleOut:
    return _cycle_out(request, _cycle_with_counts(request, cycle_id))


class NoteOut(Schema):
    code: str
    message: str
    clause: str


class PreviewRowOut(Schema):
    servant_id: int
    servant_name: str
    position_code: str
    unit_code: str
    category: str
    is_head_of_unit: bool
    status: str = Field(description="evaluated or excluded")
    track: str
    exclusion_reason: str
    exclusion_clause: str
    participation: str = Field(description="with_participation or without_participation (S1-p.6)")
    participation_clause: str
    absence_kinds: list[str]
    methods: list[str]
    methods_clause: str
    direct_manager: PersonRef | None
    superior_manager: PersonRef | None
    plan_approver: PersonRef | None
    plan_approver_kind: str
    plan_approver_clause: str
    sheet_reviewer: PersonRef | None
    sheet_reviewer_kind: str
    sheet_reviewer_clause: str
    notes: list[NoteOut]


class PreviewOut(Schema):
    cycle_id: int
    methodology_version: str
    snapshot_on: dt.date
    counts: dict[str, int]
    participants: list[PreviewRowOut]


def _ref(s: Any) -> PersonRef | None:
    return PersonRef(id=s.pk, name=s.full_name) if s is not None else None


@router.get("/{int:cycle_id}/launch-preview", response={200: PreviewOut, **ERRORS},
            summary="What a launch would do, without writing (HR)")
def preview_launch(request: HttpRequest, cycle_id: int) -> PreviewOut:
    plan = services.preview_launch(request.user, body_of(request), cycle_id)
    rows = []
    for d in plan.participants:
        pos = d.appointment.position
        rows.append(PreviewRowOut(
            servant_id=d.servant.pk, servant_name=d.servant.full_name, position_code=pos.code,
            unit_code=pos.unit.code, category=pos.category, is_head_of_unit=pos.is_head_of_unit, status=d.status,
            track=d.track, exclusion_reason=d.exclusion_reason, exclusion_clause=d.exclusion_clause,
            participation=d.participation, participation_clause=d.participation_clause,
            absence_kinds=list(d.absence_kinds), methods=list(d.methods), methods_clause=d.methods_clause,
            direct_manager=_ref(d.line.direct_manager), superior_manager=_ref(d.line.superior_manager),
            plan_approver=_ref(d.plan_approver), plan_approver_kind=d.plan_approver_kind,
            plan_approver_clause=d.plan_approver_clause, sheet_reviewer=_ref(d.sheet_reviewer),
            sheet_reviewer_kind=d.sheet_reviewer_kind, sheet_reviewer_clause=d.sheet_reviewer_clause,
            notes=[NoteOut(code=n.get("code", ""), message=describe_note(n), clause=n.get("clause", ""))
                   for n in d.notes],
        ))
    return PreviewOut(cycle_id=cycle_id, methodology_version=plan.version_id, snapshot_on=plan.snapshot_on,
                      counts=plan.counts(), participants=rows)


@router.post("/{int:cycle_id}/launch", response={200: CycleOut, **ERRORS},
             summary="Launch: pin the methodology version, store the snapshot, open the plans (HR)")
def launch_cycle(request: HttpRequest, cycle_id: int) -> CycleOut:
    """Launching a launched cycle again changes nothing. 422 naming `period_start` when the body has
    adopted no methodology version in force on the period start."""
    services.launch_cycle(request.user, body_of(request), cycle_id)
    return _cycle_out(request, _cycle_with_counts(request, cycle_id))


class CancelIn(Strict):
    reason: Text = Field("", max_length=2000)


@router.post("/{int:cycle_id}/cancel", response={200: CycleOut, **ERRORS}, summary="Cancel a draft cycle (HR)")
def cancel_cycle(request: HttpRequest, cycle_id: int, payload: CancelIn) -> CycleOut:
    services.cancel_cycle(request.user, body_of(request), cycle_id, reason=payload.reason)
    return _cycle_out(request, _cycle_with_counts(request, cycle_id))


@router.post("/{int:cycle_id}/close", response={200: CycleOut, **ERRORS},
             summary="Close a launched cycle once every KPI sheet reached the Commission (HR)")
def close_cycle(request: HttpRequest, cycle_id: int) -> CycleOut:
    services.close_cycle(request.user, body_of(request), cycle_id)
    return _cycle_out(request, _cycle_with_counts(request, cycle_id))


# -- the board -------------------------------------------------------------------------------------

# The board's stages as an enum, so the OpenAPI document lists them and pydantic refuses others.
BoardStage = enum.StrEnum("BoardStage", {s: s for s in selectors.STAGES})  # type: ignore[misc]


class CycleBoardQuery(Schema):
    stage: BoardStage | None = None
    unit_id: int | None = Field(None, ge=1)
    overdue: bool | None = None
    search: Text = Field("", max_length=100)
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(selectors.DEFAULT_PAGE_SIZE, ge=1, le=selectors.MAX_PAGE_SIZE)


class BoardRowOut(Schema):
    participant_id: int
    servant_id: int
    servant_name: str
    unit_id: int | None
    unit_code: str
    position_code: str
    category: str
    is_head_of_unit: bool
    status: str
    track: str
    participation: str
    exclusion_reason: str
    exclusion_clause: str
    stage: str
    plan_id: int | None
    plan_state: str | None
    plan_version: int | None
    sheet_id: int | None
    sheet_state: str | None
    sheet_version: int | None
    due: dt.date | None
    due_rule: str
    due_clause: str
    overdue: bool


class BoardOut(Schema):
    cycle_id: int
    today: dt.date
    counts: dict[str, int] = Field(description="Participants per stage, over every filter but the stage.")
    overdue_count: int
    total: int
    page: int
    per_page: int
    pages: int
    rows: list[BoardRowOut]


@router.get("/{int:cycle_id}/board", response={200: BoardOut, **ERRORS},
            summary="Every participant's stage and due date, filtered and paginated")
def cycle_board(request: HttpRequest, cycle_id: int, q: Query[CycleBoardQuery]) -> BoardOut:
    cycle = selectors.cycle(request.user, body_of(request), cycle_id)
    filters = {"stage": q.stage.value if q.stage else None, "unit_id": q.unit_id, "overdue": q.overdue,
               "search": q.search}
    board = selectors.cycle_board(request.user, cycle, filters, page=q.page, per_page=q.per_page)
    # Plain dicts: the response schema validates each row once (a BoardRowOut built here would be
    # validated a second time on the way out).
    rows = [{
        "participant_id": r.participant.pk, "servant_id": r.participant.servant_id,
        "servant_name": r.participant.servant_name, "unit_id": r.participant.unit_id,
        "unit_code": r.participant.unit_code, "position_code": r.participant.position_code,
        "category": r.participant.category, "is_head_of_unit": r.participant.is_head_of_unit,
        "status": r.participant.status, "track": r.participant.track, "participation": r.participant.participation,
        "exclusion_reason": r.participant.exclusion_reason, "exclusion_clause": r.participant.exclusion_clause,
        "stage": r.stage, "plan_id": r.plan_id, "plan_state": r.plan_state, "plan_version": r.plan_version,
        "sheet_id": r.sheet_id, "sheet_state": r.sheet_state, "sheet_version": r.sheet_version, "due": r.due_on,
        "due_rule": r.due_rule, "due_clause": r.due_clause, "overdue": r.overdue,
    } for r in board.rows]
    return {"cycle_id": cycle.pk, "today": board.today, "counts": board.counts,  # type: ignore[return-value]
            "overdue_count": board.overdue_count, "total": board.total, "page": board.page,
            "per_page": board.per_page, "pages": board.pages, "rows": rows}


# -- my evaluations and my team --------------------------------------------------------------------

class DocRef(Schema):
    id: int
    state: str
    version: int
    due: dt.date | None
    due_rule: str
    due_clause: str


class MyRowOut(Schema):
    participant_id: int
    cycle: CycleRef
    servant_id: int
    servant_name: str
    track: str
    plan: DocRef | None
    sheet: DocRef | None


def _doc_ref(doc: Any) -> DocRef | None:
    if doc is None:
        return None
    return DocRef(id=doc.pk, state=doc.state, version=doc.version, due=doc.due_on, due_rule=doc.due_rule,
                  due_clause=doc.due_clause)


def _my_rows(qs: Any) -> list[MyRowOut]:
    return [MyRowOut(participant_id=p.pk, cycle=_cycle_ref(p.cycle), servant_id=p.servant_id,
                     servant_name=p.servant_name, track=p.track, plan=_doc_ref(_related(p, "plan")),
                     sheet=_doc_ref(_related(p, "sheet")))
            for p in qs]


@router.get("/mine", response={200: list[MyRowOut], **ERRORS}, summary="My own evaluations, every cycle")
def my_evaluations(request: HttpRequest) -> list[MyRowOut]:
    return _my_rows(selectors.my_evaluations(request.user, body_of(request))[:200])


@router.get("/team", response={200: list[MyRowOut], **ERRORS},
            summary="The evaluations I draft as the direct manager in the cycles' snapshots")
def my_team(request: HttpRequest, cycle_id: RowId | None = None) -> list[MyRowOut]:
    return _my_rows(selectors.my_subordinates(request.user, body_of(request), cycle_id=cycle_id)[:500])


# -- plans -----------------------------------------------------------------------------------------

class KpiIn(Strict):
    text_kk: Text = Field("", max_length=4000)
    text_ru: Text = Field("", max_length=4000)
    expected_change: Text = Field("", max_length=4000)
    measure: Text = Field("", max_length=4000)
    target: Text = Field("", max_length=200)
    unit: Text = Field("", max_length=100)
    resources_note: Text = Field("", max_length=4000)
    deadline: IsoDate | None = Field(None, description="Inside the evaluated period (checked on submit).")
    strategic_goal_ref: Text = Field("", max_length=300)


class PlanSaveIn(Strict):
    kpis: list[KpiIn] = Field(max_length=MAX_KPIS,
                              description="The plan's KPIs, numbered 1..n in this order; replaces the stored ones.")
    expected_version: Version
    submit: StrictBool = Field(False, description="Save and submit in one step: if the submit is refused, "
                                                  "nothing is saved (the page's \"Save and submit\").")


class MoveIn(Strict):
    expected_version: Version


class PlanReturnIn(Strict):
    expected_version: Version
    reason: Text = Field(min_length=1, max_length=2000)


class KpiOut(Out):
    number: int
    text_kk: str
    text_ru: str
    expected_change: str
    measure: str
    target: str
    unit: str
    resources_note: str
    deadline: dt.date | None
    strategic_goal_ref: str


class PlanOut(Schema):
    id: int
    state: str
    state_label: str
    version: int
    participant: ParticipantOut
    kpis: list[KpiOut]
    kpi_count_required: int | None = Field(description="What the cycle's methodology version requires.")
    problems: list[FieldError] = Field(description="What blocks a submit now, each with its clause.")
    due: DueDateOut
    steps: list[StepOut]
    return_reason: str
    returns: list[ReturnOut]
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    signatures: list[SignatureOut]
    sheet_id: int | None
    my_roles: list[str]
    allowed_actions: list[str]
    updated_at: dt.datetime


def _kpi(k: Kpi) -> KpiOut:
    return KpiOut(number=k.number, text_kk=k.text_kk, text_ru=k.text_ru, expected_change=k.expected_change,
                  measure=k.measure, target=k.target, unit=k.unit, resources_note=k.resources_note,
                  deadline=k.deadline, strategic_goal_ref=k.strategic_goal_ref)


def _plan_out(request: HttpRequest, plan_id: int) -> PlanOut:
    d = selectors.plan_detail(request.user, body_of(request), plan_id)
    plan = d.plan
    sheet = _related(plan, "sheet")
    return PlanOut(
        id=plan.pk, state=plan.state, state_label=str(plan.get_state_display()), version=plan.version,
        participant=_participant(d.participant, plan.cycle), kpis=[_kpi(k) for k in d.kpis],
        kpi_count_required=d.kpi_count, problems=_errors(d.problems), due=_due(plan), steps=_steps(plan),
        return_reason=plan.return_reason, returns=_returns(plan, "cycles.plan.return"),
        submitted_at=plan.submitted_at, approved_at=plan.approved_at, signatures=_signatures(d.signatures),
        sheet_id=sheet.pk if sheet else None, my_roles=sorted(d.roles), allowed_actions=d.actions,
        updated_at=plan.updated_at,
    )


@router.get("/plans/{int:plan_id}", response={200: PlanOut, **ERRORS}, url_name="cycles_plan_detail",
            summary="An individual work plan")
def plan_detail(request: HttpRequest, plan_id: int) -> PlanOut:
    return _plan_out(request, plan_id)


@router.put("/plans/{int:plan_id}", response={200: PlanOut, **ERRORS},
            summary="Save the plan's KPIs (direct manager; a draft may be incomplete)")
def save_plan(request: HttpRequest, plan_id: int, payload: PlanSaveIn) -> PlanOut:
    """Replace the KPIs. A draft may be incomplete: what blocks a submit is listed in `problems`.
    With `submit: true` the plan is also submitted, all or nothing: a plan the rules refuse (the
    KPI count, SMART, a deadline outside the period, each with its clause) is 422 and nothing is
    saved. 409 for a stale `expected_version`."""
    body = body_of(request)
    with transaction.atomic():
        plan = services.save_plan(request.user, body, plan_id, kpis=[k.model_dump() for k in payload.kpis],
                                  expected_version=payload.expected_version)
        if payload.submit:
            services.submit_plan(request.user, body, plan_id, expected_version=plan.version)
    return _plan_out(request, plan_id)


@router.post("/plans/{int:plan_id}/submit", response={200: PlanOut, **ERRORS},
             summary="Sign and submit the plan for approval (direct manager)")
def submit_plan(request: HttpRequest, plan_id: int, payload: MoveIn) -> PlanOut:
    """422 naming each failing field and its clause when the rules refuse the plan; 409 for a stale
    version or a plan not in draft/returned."""
    services.submit_plan(request.user, body_of(request), plan_id, expected_version=payload.expected_version)
    return _plan_out(request, plan_id)


@router.post("/plans/{int:plan_id}/approve", response={200: PlanOut, **ERRORS},
             summary="Approve and sign the plan; the KPI sheet opens (superior manager, or the first head)")
def approve_plan(request: HttpRequest, plan_id: int, payload: MoveIn) -> PlanOut:
    """403 for anyone but the plan's approver in the cycle's snapshot; 409 unless the plan is submitted."""
    services.approve_plan(request.user, body_of(request), plan_id, expected_version=payload.expected_version)
    return _plan_out(request, plan_id)


@router.post("/plans/{int:plan_id}/return", response={200: PlanOut, **ERRORS},
             summary="Return the plan to the direct manager with a reason (approver)")
def return_plan(request: HttpRequest, plan_id: int, payload: PlanReturnIn) -> PlanOut:
    services.return_plan(request.user, body_of(request), plan_id, expected_version=payload.expected_version,
                         reason=payload.reason)
    return _plan_out(request, plan_id)


# -- sheets ----------------------------------------------------------------------------------------

class ResultIn(Strict):
    number: StrictInt = Field(ge=1, le=MAX_KPIS, description="The KPI's number in the plan.")
    indicators_planned: Annotated[StrictInt, Field(ge=1, le=50)] | None = None
    indicators_met: Count | None = Field(None, description="Indicators fully met; the KPI is achieved only if all are.")
    achieved: StrictBool | None = Field(
        None, description="Shortcut when indicators_met is not given: all indicators met (true) or none (false). "
                          "Whether the KPI counts as achieved is still derived by the rules core.")
    evidence_text: Text | None = Field(None, max_length=8000)


class SheetSaveIn(Strict):
    results: list[ResultIn] = Field(max_length=MAX_KPIS)
    expected_version: Version
    sign: StrictBool = Field(False, description="Save and sign in one step: if the signing is refused, nothing "
                                                "is saved (the page's \"Save and sign\").")


class SheetReturnIn(Strict):
    expected_version: Version
    grounds: list[Annotated[Text, Field(max_length=64)]] = Field(
        min_length=1, max_length=10,
        description="Grounds the cycle's version allows (typical: insufficient_evidence, unreliable_evidence).")
    reason: Text = Field(min_length=1, max_length=2000)


class EvidenceOut(Out):
    id: int
    kpi_number: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    download_url: str


class OutcomeOut(Out):
    number: int
    kpi: KpiOut
    indicators_planned: int
    indicators_met: int | None
    achieved: bool | None = Field(description="Derived by the rules core from the indicators (S1-p.50).")
    evidence_text: str
    files: list[EvidenceOut]


class RatingOut(Out):
    """Derived by the rules core from the results; never typed."""

    value: str | None
    label: dict[str, str] | None
    clause: str
    verified: bool
    achieved_count: int | None


class SheetOut(Out):
    id: int
    plan_id: int
    state: str
    state_label: str
    version: int
    participant: ParticipantOut
    outcomes: list[OutcomeOut]
    rating: RatingOut
    signatures: list[SignatureOut]
    due: DueDateOut
    steps: list[StepOut]
    times_returned: int
    return_reason: str
    return_grounds: list[str]
    returns: list[ReturnOut]
    signed_at: dt.datetime | None
    agreed_at: dt.datetime | None
    forwarded_at: dt.datetime | None
    my_roles: list[str]
    allowed_actions: list[str]
    updated_at: dt.datetime


def _evidence(f: EvidenceFile, number: int) -> EvidenceOut:
    return EvidenceOut(id=f.pk, kpi_number=number, name=f.original_name, content_type=f.content_type, size=f.size,
                       sha256=f.sha256, uploaded_at=f.uploaded_at,
                       download_url=reverse("api:cycles_evidence_download", kwargs={"file_id": f.pk}))


def _rating(sheet: KpiSheet) -> RatingOut:
    label = None
    if sheet.rating and sheet.cycle.methodology_version:
        try:
            found = version_of(sheet.cycle).param("rating_labels").value.get(sheet.rating)
        except MethodologyError:
            found = None
        if found is not None:
            label = found.as_dict() if hasattr(found, "as_dict") else {str(k): str(v) for k, v in dict(found).items()}
    return RatingOut(value=sheet.rating or None, label=label, clause=sheet.rating_clause,
                     verified=sheet.rating_verified, achieved_count=sheet.achieved_count)


def _sheet_out(request: HttpRequest, sheet_id: int) -> SheetOut:
    return _sheet_detail_out(selectors.sheet_detail(request.user, body_of(request), sheet_id))


def _sheet_detail_out(d: selectors.SheetDetail) -> SheetOut:
    sheet = d.sheet
    outcomes = [OutcomeOut(number=o.number, kpi=_kpi(o.kpi), indicators_planned=o.indicators_planned,
                           indicators_met=o.indicators_met, achieved=o.achieved, evidence_text=o.evidence_text,
                           files=[_evidence(f, o.number) for f in getattr(o, "evidence", [])])
                for o in d.outcomes]
    return SheetOut(
        id=sheet.pk, plan_id=sheet.plan_id, state=sheet.state, state_label=str(sheet.get_state_display()),
        version=sheet.version, participant=_participant(d.participant, sheet.cycle), outcomes=outcomes,
        rating=_rating(sheet), signatures=_signatures(d.signatures), due=_due(sheet), steps=_steps(sheet),
        times_returned=sheet.times_returned, return_reason=sheet.return_reason,
        return_grounds=[str(g) for g in sheet.return_grounds], returns=_returns(sheet, "cycles.sheet.return"),
        signed_at=sheet.signed_at, agreed_at=sheet.agreed_at, forwarded_at=sheet.forwarded_at,
        my_roles=sorted(d.roles), allowed_actions=d.actions, updated_at=sheet.updated_at,
    )


@router.get("/sheets/{int:sheet_id}", response={200: SheetOut, **ERRORS}, url_name="cycles_sheet_detail",
            summary="A KPI evaluation sheet")
def sheet_detail(request: HttpRequest, sheet_id: int) -> SheetOut:
    return _sheet_out(request, sheet_id)


@router.put("/sheets/{int:sheet_id}", response={200: SheetOut, **ERRORS},
            summary="Record the results and evidence text per KPI (direct manager); the rating follows")
def save_sheet(request: HttpRequest, sheet_id: int, payload: SheetSaveIn) -> SheetOut:
    """Only the fields given for a KPI change. The rating is derived, never sent (an unknown field
    is 422). With `sign: true` the sheet is also signed, all or nothing."""
    body = body_of(request)
    results = [r.model_dump(exclude_unset=True) for r in payload.results]
    if payload.sign:
        with transaction.atomic():
            sheet = services.save_sheet(request.user, body, sheet_id, results=results,
                                        expected_version=payload.expected_version)
            services.sign_sheet(request.user, body, sheet_id, expected_version=sheet.version)
        return _sheet_out(request, sheet_id)
    # A plain save is the service's one transaction; the answer is made of the rows it has just
    # read and written, not read again.
    saved = services.save_sheet_outcomes(request.user, body, sheet_id, results=results,
                                         expected_version=payload.expected_version)
    return _sheet_detail_out(selectors.sheet_detail_of(request.user, body, saved.sheet, saved.outcomes))


class EvidenceUploadOut(Schema):
    file: EvidenceOut
    sheet_version: int


@router.post("/sheets/{int:sheet_id}/evidence", response={201: EvidenceUploadOut, **ERRORS},
             summary="Attach an evidence file to one KPI's result (pdf, docx, xlsx, jpg, png; checked by content)")
def upload_evidence(request: HttpRequest, sheet_id: int, file: File[UploadedFile],
                    number: Form[Annotated[int, Field(ge=1, le=MAX_KPIS)]],
                    expected_version: Form[Annotated[int, Field(ge=1)]]) -> Status[EvidenceUploadOut]:
    """Multipart: `file`, `number` (the KPI), `expected_version` (the sheet's). The type is decided
    by the content and must agree with the name; too large, empty or another type is 422 naming
    `results-<n>-file`, and nothing is stored."""
    evidence = services.attach_evidence(request.user, body_of(request), sheet_id, number=number,
                                        name=file.name or "", stream=file, expected_version=expected_version)
    return Status(201, EvidenceUploadOut(file=_evidence(evidence, number), sheet_version=evidence.sheet.version))


BINARY = {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


@router.get("/evidence/{int:file_id}", response={200: None, **ERRORS}, url_name="cycles_evidence_download",
            openapi_extra={"responses": {200: {"description": "The file, as an attachment", **BINARY}}},
            summary="Download an evidence file (those who may read the sheet)")
def download_evidence(request: HttpRequest, file_id: int) -> FileResponse:
    """Served as an attachment with its checked content type, only to those who may read the sheet
    (403); a file of another body is 404."""
    f = selectors.evidence_file(request.user, body_of(request), file_id)
    try:
        stream = f.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, as_attachment=True, filename=f.original_name, content_type=f.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


class RemoveQuery(Schema):
    expected_version: int = Field(ge=1, description="The sheet's row version the caller read.")


@router.delete("/evidence/{int:file_id}", response={200: SheetOut, **ERRORS},
               summary="Remove an evidence file from its sheet (direct manager)")
def remove_evidence(request: HttpRequest, file_id: int, q: Query[RemoveQuery]) -> SheetOut:
    body = body_of(request)
    f = selectors.evidence_file(request.user, body, file_id)
    services.remove_evidence(request.user, body, f.sheet_id, file_id=f.pk, expected_version=q.expected_version)
    return _sheet_out(request, f.sheet_id)


@router.post("/sheets/{int:sheet_id}/sign", response={200: SheetOut, **ERRORS},
             summary="Sign the completed sheet and send it to the reviewer (direct manager)")
def sign_sheet(request: HttpRequest, sheet_id: int, payload: MoveIn) -> SheetOut:
    """422 naming each KPI whose result is missing; 409 for a stale version or a sheet not in
    draft/returned."""
    services.sign_sheet(request.user, body_of(request), sheet_id, expected_version=payload.expected_version)
    return _sheet_out(request, sheet_id)


@router.post("/sheets/{int:sheet_id}/agree", response={200: SheetOut, **ERRORS},
             summary="Agree with the sheet and sign (superior manager, or the first head)")
def agree_sheet(request: HttpRequest, sheet_id: int, payload: MoveIn) -> SheetOut:
    services.agree_sheet(request.user, body_of(request), sheet_id, expected_version=payload.expected_version)
    return _sheet_out(request, sheet_id)


@router.post("/sheets/{int:sheet_id}/return", response={200: SheetOut, **ERRORS},
             summary="Return the sheet for correction citing its grounds (reviewer)")
def return_sheet(request: HttpRequest, sheet_id: int, payload: SheetReturnIn) -> SheetOut:
    """The reviewer may not change the results, only return them on a ground the cycle's version
    allows (422 naming `grounds` otherwise); the direct manager's resubmission is then due by
    `sheet_resubmission_due`."""
    services.return_sheet(request.user, body_of(request), sheet_id, expected_version=payload.expected_version,
                          grounds=list(payload.grounds), reason=payload.reason)
    return _sheet_out(request, sheet_id)


@router.post("/sheets/{int:sheet_id}/forward", response={200: SheetOut, **ERRORS},
             summary="Submit the agreed sheet to the Commission (HR)")
def forward_sheet(request: HttpRequest, sheet_id: int, payload: MoveIn) -> SheetOut:
    services.forward_sheet(request.user, body_of(request), sheet_id, expected_version=payload.expected_version)
    return _sheet_out(request, sheet_id)

