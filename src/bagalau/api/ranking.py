"""Ranking (саралау): lists, grades, signatures and agreement (spec 5.2).

The same operations as the pages: each handler parses, calls one service or selector of
`bagalau.assessments.ranking` and serialises. The body is the caller's current one. Moves take
`expected_version` (409 when the list moved on; a repeated move returns it unchanged); a move the
table does not allow is 409, one by someone without the role 403, a quota breach or a label off the
scale 422 with the clause in the message. Every answer carries the scale, the quotas and whether
the ranking parameters are verified (a body's own values are shown as its act states them).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict, StrictBool, StrictInt

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.api.types import RowId
from bagalau.assessments.ranking import selectors, services

router = Router(tags=["ranking"])

Version = Annotated[StrictInt, Field(ge=1, description="The row version the caller read (optimistic locking).")]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ScaleOut(Schema):
    code: str
    label: str
    quota: str | None


class RulesOut(Schema):
    clause: str
    clause_title: str
    verified: bool
    note: str
    scale: list[ScaleOut]
    tie_rule: str | None
    min_group_size: int | None
    small_group: str | None
    error: str
    ranked_groups: list[str]
    methods_clause: str
    methods_verified: bool


class EntryOut(Schema):
    id: int
    participant_id: int
    servant_name: str
    grade: str
    order: int | None
    position: int | None
    without_participation: bool
    participation_clause: str
    agenda_item_id: int | None


class ListOut(Schema):
    id: int
    cycle_id: int
    state: str
    state_label: str
    version: int
    unit: str
    evaluator: str
    superior: str
    check: str
    check_clause: str
    check_problems: list[str]
    check_warnings: list[str]
    due_on: dt.date | None
    due_rule: str
    due_clause: str
    return_reason: str
    rules: RulesOut
    entries: list[EntryOut]
    my_roles: list[str]
    allowed_actions: list[str]


class ListRowOut(Schema):
    id: int
    cycle_id: int
    unit: str
    evaluator: str
    state: str
    version: int


class GradeIn(Strict):
    grade: str = Field("", max_length=30)
    order: StrictInt | None = Field(None, ge=1, le=999)


class GradesIn(Strict):
    expected_version: Version
    grades: dict[int, GradeIn]
    sign: StrictBool = False


class MoveIn(Strict):
    expected_version: Version


class ReturnIn(Strict):
    expected_version: Version
    reason: str = Field(min_length=1, max_length=2000)


class PreparedOut(Schema):
    lists: list[int]
    skipped: list[dict[str, Any]]


def _out(request: HttpRequest, list_id: int) -> ListOut:
    v = selectors.list_view(request.user, body_of(request), list_id, "en")
    rl = v.ranking_list
    decision = rl.check_decision or {}
    p = v.parameter
    return ListOut(
        id=rl.pk, cycle_id=rl.cycle_id, state=rl.state, state_label=str(rl.get_state_display()), version=rl.version,
        unit=rl.unit_name_kk, evaluator=rl.evaluator_name, superior=rl.reviewer_name, check=rl.check_value,
        check_clause=rl.check_clause, check_problems=[x["message"] for x in decision.get("problems", [])],
        check_warnings=list(decision.get("warnings", [])), due_on=rl.due_on, due_rule=rl.due_rule,
        due_clause=rl.due_clause, return_reason=rl.return_reason,
        rules=RulesOut(clause=p.clause if p else "", clause_title=v.clause_title, verified=bool(p and p.verified),
                       note=p.note if p else "", scale=[ScaleOut(code=s.code, label=s.label, quota=s.quota or None)
                                                        for s in v.scale],
                       tie_rule=v.settings.get("tie_rule"), min_group_size=v.settings.get("min_group_size"),
                       small_group=v.settings.get("small_group"), error=v.error, ranked_groups=v.ranked_groups,
                       methods_clause=v.methods.clause if v.methods else "",
                       methods_verified=bool(v.methods and v.methods.verified)),
        entries=[EntryOut(id=e.pk, participant_id=e.participant_id, servant_name=e.servant_name, grade=e.grade,
                          order=e.order, position=e.position,
                          without_participation=e.participant.participation == "without_participation",
                          participation_clause=e.participant.participation_clause,
                          agenda_item_id=e.agenda_item_id) for e in v.entries],
        my_roles=sorted(v.roles), allowed_actions=v.actions,
    )


@router.get("/lists", response={200: list[ListRowOut], **ERRORS}, summary="The ranking lists I may read")
def lists(request: HttpRequest, cycle_id: RowId | None = None) -> list[ListRowOut]:
    return [ListRowOut(id=rl.pk, cycle_id=rl.cycle_id, unit=rl.unit_name_kk, evaluator=rl.evaluator_name,
                       state=rl.state, version=rl.version)
            for rl in selectors.lists_for(request.user, body_of(request), cycle_id)]


@router.post("/cycles/{int:cycle_id}/prepare", response={200: PreparedOut, **ERRORS},
             summary="Prepare the ranking lists of a launched cycle (HR)")
def prepare(request: HttpRequest, cycle_id: int) -> PreparedOut:
    out = services.prepare_lists(request.user, body_of(request), cycle_id)
    return PreparedOut(lists=[rl.pk for rl in out.lists], skipped=out.skipped)


@router.get("/lists/{int:list_id}", response={200: ListOut, **ERRORS}, summary="A ranking list")
def detail(request: HttpRequest, list_id: int) -> ListOut:
    return _out(request, list_id)


@router.put("/lists/{int:list_id}", response={200: ListOut, **ERRORS},
            summary="Grade the servants (evaluator); with sign: true also sign, all or nothing")
def save(request: HttpRequest, list_id: int, payload: GradesIn) -> ListOut:
    body = body_of(request)
    grades = {k: v.model_dump(exclude_unset=True) for k, v in payload.grades.items()}
    with transaction.atomic():
        rl = services.save_grades(request.user, body, list_id, grades=grades, expected_version=payload.expected_version)
        if payload.sign:
            services.sign_list(request.user, body, list_id, expected_version=rl.version)
    return _out(request, list_id)


@router.post("/lists/{int:list_id}/sign", response={200: ListOut, **ERRORS}, summary="Sign the list (evaluator)")
def sign(request: HttpRequest, list_id: int, payload: MoveIn) -> ListOut:
    services.sign_list(request.user, body_of(request), list_id, expected_version=payload.expected_version)
    return _out(request, list_id)


@router.post("/lists/{int:list_id}/agree", response={200: ListOut, **ERRORS}, summary="Agree (superior)")
def agree(request: HttpRequest, list_id: int, payload: MoveIn) -> ListOut:
    services.agree_list(request.user, body_of(request), list_id, expected_version=payload.expected_version)
    return _out(request, list_id)


@router.post("/lists/{int:list_id}/return", response={200: ListOut, **ERRORS},
             summary="Return for correction with a reason (superior)")
def return_(request: HttpRequest, list_id: int, payload: ReturnIn) -> ListOut:
    services.return_list(request.user, body_of(request), list_id, expected_version=payload.expected_version,
                         reason=payload.reason)
    return _out(request, list_id)


@router.post("/lists/{int:list_id}/forward", response={200: ListOut, **ERRORS},
             summary="Submit to the Commission (HR)")
def forward(request: HttpRequest, list_id: int, payload: MoveIn) -> ListOut:
    services.forward_list(request.user, body_of(request), list_id, expected_version=payload.expected_version)
    return _out(request, list_id)
