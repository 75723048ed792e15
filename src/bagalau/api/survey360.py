"""The 360 survey: raters, questionnaires, anonymous answers and the development-only report.

The same operations as the 360 pages, for integrators; each handler parses, calls one service or
selector of `bagalau.assessments.survey360` and serialises. The body is always the caller's
current one, so another body's survey is 404.

Anonymity holds here too: no answer lists responses, and nothing pairs a rater with an answer.
A survey lists its raters with whether they answered; the report gives the aggregates frozen at
closing, or `NOT_ENOUGH_RESPONSES` with no number below the version's threshold, or `OPEN` with
only the count while the survey runs. Moves take `expected_version` (409 when stale or when the
workflow does not allow the move in the survey's state); refusals of the rules are 422 naming the
field and the clause.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict, StrictInt, StrictStr

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.assessments.survey360 import selectors, services
from bagalau.assessments.survey360.models import RaterAssignment, Survey360

router = Router(tags=["survey360"])

Version = Annotated[StrictInt, Field(ge=1, description="The row version the caller read (optimistic locking).")]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class RaterOut(Schema):
    id: int
    rater_id: int
    rater_name: str
    role: str
    state: str = Field(description="pending, completed (answered) or withdrawn; never what was answered.")


class SurveyOut(Schema):
    id: int
    servant_id: int
    servant_name: str
    category: str
    is_head_of_unit: bool
    group: str = Field(description="head or non_head: the indicator set, from the head flag.")
    methodology_version: str
    snapshot_on: dt.date
    state: str
    version: int
    due_on: dt.date | None
    due_rule: str
    due_clause: str
    raters: list[RaterOut]


def _rater(a: RaterAssignment) -> RaterOut:
    return RaterOut(id=a.pk, rater_id=a.rater_id, rater_name=a.rater_name, role=a.role, state=a.state)


def _survey(s: Survey360, raters: list[RaterAssignment] | None = None) -> SurveyOut:
    return SurveyOut(id=s.pk, servant_id=s.servant_id, servant_name=s.servant_name, category=s.category,
                     is_head_of_unit=s.is_head_of_unit, group=s.group, methodology_version=s.methodology_version,
                     snapshot_on=s.snapshot_on, state=s.state, version=s.version, due_on=s.due_on,
                     due_rule=s.due_rule, due_clause=s.due_clause,
                     raters=[_rater(a) for a in (raters if raters is not None else selectors.assignments(s))])


def _detail(request: HttpRequest, survey_id: int) -> SurveyOut:
    return _survey(selectors.survey(request.user, body_of(request), survey_id))


class SurveyIn(Strict):
    servant: StrictInt = Field(ge=1, description="The servant evaluated (of the current body).")


class AssignIn(Strict):
    rater: StrictInt = Field(ge=1)
    role: StrictStr = Field(description="direct_manager, peer or subordinate, as the version allows.")
    expected_version: Version


class MoveIn(Strict):
    expected_version: Version


class SurveyRow(Schema):
    id: int
    servant_name: str
    group: str
    state: str
    raters: int
    answered: int


@router.get("/surveys", response={200: list[SurveyRow], **ERRORS}, summary="The body's 360 surveys (HR)")
def list_surveys(request: HttpRequest) -> list[SurveyRow]:
    # raters and answered are annotations of the selector's query.
    return [SurveyRow(id=s.pk, servant_name=s.servant_name, group=s.group, state=s.state,
                      raters=s.raters, answered=s.answered)  # type: ignore[attr-defined]
            for s in selectors.surveys(request.user, body_of(request))[:500]]


@router.post("/surveys", response={201: SurveyOut, **ERRORS}, summary="Start the 360 of a servant (HR)")
def create_survey(request: HttpRequest, payload: SurveyIn) -> Status[SurveyOut]:
    s = services.create_survey(request.user, body_of(request), payload.servant)
    return Status(201, _detail(request, s.pk))


@router.get("/surveys/{int:survey_id}", response={200: SurveyOut, **ERRORS}, summary="One survey and its raters")
def survey_detail(request: HttpRequest, survey_id: int) -> SurveyOut:
    return _detail(request, survey_id)


class SuggestionOut(Schema):
    servant_id: int
    name: str
    role: str
    has_login: bool


@router.get("/surveys/{int:survey_id}/suggestions", response={200: list[SuggestionOut], **ERRORS},
            summary="Raters suggested by the org snapshot")
def suggestions(request: HttpRequest, survey_id: int) -> list[SuggestionOut]:
    s = selectors.survey(request.user, body_of(request), survey_id)
    return [SuggestionOut(servant_id=x.servant_id, name=x.name, role=x.role, has_login=x.has_login)
            for x in selectors.suggestions(s)]


@router.post("/surveys/{int:survey_id}/raters", response={201: SurveyOut, **ERRORS}, summary="Assign a rater (HR)")
def assign(request: HttpRequest, survey_id: int, payload: AssignIn) -> Status[SurveyOut]:
    services.assign_rater(request.user, body_of(request), survey_id, rater_id=payload.rater, role=payload.role,
                          expected_version=payload.expected_version)
    return Status(201, _detail(request, survey_id))


@router.post("/raters/{int:assignment_id}/withdraw", response={200: SurveyOut, **ERRORS},
             summary="Withdraw a rater who has not answered (HR)")
def withdraw(request: HttpRequest, assignment_id: int, payload: MoveIn) -> SurveyOut:
    a = services.withdraw_rater(request.user, body_of(request), assignment_id,
                                expected_version=payload.expected_version)
    return _detail(request, a.survey_id)


@router.post("/surveys/{int:survey_id}/open", response={200: SurveyOut, **ERRORS},
             summary="Send the questionnaires (HR); 422 when the raters miss the version's rules")
def open_survey(request: HttpRequest, survey_id: int, payload: MoveIn) -> SurveyOut:
    services.open_survey(request.user, body_of(request), survey_id, expected_version=payload.expected_version)
    return _detail(request, survey_id)


@router.post("/surveys/{int:survey_id}/close", response={200: SurveyOut, **ERRORS},
             summary="Close the survey and freeze its result (HR)")
def close_survey(request: HttpRequest, survey_id: int, payload: MoveIn) -> SurveyOut:
    services.close_survey(request.user, body_of(request), survey_id, expected_version=payload.expected_version)
    return _detail(request, survey_id)


@router.post("/surveys/{int:survey_id}/cancel", response={200: SurveyOut, **ERRORS}, summary="Cancel (HR)")
def cancel_survey(request: HttpRequest, survey_id: int, payload: MoveIn) -> SurveyOut:
    services.cancel_survey(request.user, body_of(request), survey_id, expected_version=payload.expected_version)
    return _detail(request, survey_id)


# -- the rater's side --------------------------------------------------------------------------------

class QuestionnaireRow(Schema):
    id: int
    survey_id: int
    servant_name: str
    role: str
    state: str
    due_on: dt.date | None
    due_clause: str


@router.get("/questionnaires", response={200: list[QuestionnaireRow], **ERRORS},
            summary="The questionnaires sent to me, with their due dates")
def my_questionnaires(request: HttpRequest) -> list[QuestionnaireRow]:
    return [QuestionnaireRow(id=a.pk, survey_id=a.survey_id, servant_name=a.survey.servant_name, role=a.role,
                             state=a.state, due_on=a.survey.due_on, due_clause=a.survey.due_clause)
            for a in selectors.my_questionnaires(request.user, body_of(request))]


class QuestionnaireOut(Schema):
    id: int
    servant_name: str
    group: str
    clause: str
    scale: dict[str, Any]
    competencies: list[dict[str, Any]] = Field(
        description="[{id, name{kk,ru,en}, indicators[{ordinal, effective{..}, ineffective{..}|null}]}]; "
                    "answer each as \"<competency id>/<ordinal>\".")


@router.get("/questionnaires/{int:assignment_id}", response={200: QuestionnaireOut, **ERRORS},
            summary="My questionnaire: the indicators of the servant's group, kk/ru/en")
def questionnaire(request: HttpRequest, assignment_id: int) -> QuestionnaireOut:
    a = selectors.my_assignment(request.user, body_of(request), assignment_id)
    content = selectors.questionnaire_of(a.survey)
    return QuestionnaireOut(id=a.pk, servant_name=a.survey.servant_name, group=a.survey.group,
                            clause=content.clause, scale=dict(content.details["scale"]),
                            competencies=list(content.value))


class AnswersIn(Strict):
    answers: dict[StrictStr, StrictStr | StrictInt] = Field(
        description='Every indicator: {"management/1": "effective", ...} (binary) or 1..N (Likert).')


class SubmittedOut(Schema):
    id: int
    state: str


@router.post("/questionnaires/{int:assignment_id}/answers", response={201: SubmittedOut, **ERRORS},
             summary="Answer my questionnaire (stored anonymously)")
def submit(request: HttpRequest, assignment_id: int, payload: AnswersIn) -> Status[SubmittedOut]:
    a = services.submit_answers(request.user, body_of(request), assignment_id, dict(payload.answers))
    return Status(201, SubmittedOut(id=a.pk, state=a.state))


# -- the report ---------------------------------------------------------------------------------------

class CompetencyScore(Schema):
    id: int | str
    name: dict[str, str]
    score: float
    training_need: bool


class ReportOut(Schema):
    survey_id: int
    status: str = Field(description="OPEN, INSUFFICIENT_RESPONSES (no numbers) or SCORED.")
    answered: int
    min_responses: int | None
    index: float | None
    competencies: list[CompetencyScore]
    by_role: dict[str, Any] | None
    training_needs: list[str]
    clause: str
    verified: bool
    development_only: bool = Field(description="True: the result may not feed bonuses or personnel decisions.")
    refused_purposes: list[str]
    uses_clause: str


@router.get("/surveys/{int:survey_id}/report", response={200: ReportOut, **ERRORS},
            summary="The 360 report (the servant evaluated and HR)")
def report(request: HttpRequest, survey_id: int) -> ReportOut:
    r = selectors.report(request.user, body_of(request), survey_id)
    return ReportOut(
        survey_id=r.survey.pk, status=r.status, answered=r.answered, min_responses=r.min_responses, index=r.index,
        competencies=[CompetencyScore(id=c["id"], name=c["name"], score=c["score"], training_need=c["training_need"])
                      for c in r.competencies],
        by_role=r.by_role, training_needs=r.training_needs, clause=r.clause, verified=r.verified,
        development_only=not r.uses.get("allowed"), refused_purposes=list(r.uses.get("refused", [])),
        uses_clause=r.uses.get("clause", ""),
    )


class UseOut(Schema):
    purpose: str
    allowed: bool


@router.get("/surveys/{int:survey_id}/uses/{purpose}", response={200: UseOut, **ERRORS},
            summary="Whether the 360 result may be used for a purpose; 422 with the clause when not")
def use(request: HttpRequest, survey_id: int, purpose: str) -> UseOut:
    body = body_of(request)
    selectors.survey(request.user, body, survey_id)
    services.require_use(body, survey_id, purpose)
    return UseOut(purpose=purpose, allowed=True)
