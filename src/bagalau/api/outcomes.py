"""After the decision: familiarization, refusal acts, remote notice, appeals, consequences.

The same operations as the outcomes pages, for integrators: each handler parses, calls one service
or selector of `bagalau.outcomes` and serialises. Roles are resolved in the services (the servant
on his own result, HR, the authorized person, the appeal reviewer an appeal is addressed to): a
wrong role is 403, another body's id 404, bad input 422 naming the field and the clause, an
illegal move or a stale `expected_version` 409. The reviewer's endpoints are not scoped to the
current body: an appeal addressed to him is found in whichever body it was filed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from pydantic import ConfigDict, StrictBool, StrictInt

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.api.types import IsoDate, RowId, SafeText
from bagalau.commission.models import FinalResult
from bagalau.commission.services.reopen import propose_revision_meeting
from bagalau.notifications import services as notification_services
from bagalau.notifications.selectors import preference_of
from bagalau.outcomes import exports, selectors, services
from bagalau.outcomes.models import Appeal, ConsequenceProposal, Familiarization, RefusalAct, RemoteNotice

router = Router(tags=["outcomes"])

Version = Annotated[StrictInt, Field(ge=1, description="The row version the caller read (optimistic locking).")]


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# -- output shapes ---------------------------------------------------------------------------------

class ResultOut(Schema):
    id: int
    participant_id: int
    servant_name: str
    method: str
    value: str
    value_clause: str
    approved_on: dt.date
    approval_clause: str
    protocol_id: int
    superseded: bool
    superseded_by_id: int | None
    reopened: bool


def _result(r: FinalResult) -> ResultOut:
    return ResultOut(id=r.pk, participant_id=r.participant_id, servant_name=r.participant.servant_name,
                     method=r.method, value=r.value, value_clause=r.value_clause, approved_on=r.approved_on,
                     approval_clause=r.clause, protocol_id=r.protocol_id, superseded=r.superseded,
                     superseded_by_id=r.superseded_by_id, reopened=r.reopened_at is not None)


class DueOut(Schema):
    on: dt.date
    rule: str
    clause: str


class WitnessOut(Schema):
    servant_id: int
    name: str


class ActOut(Schema):
    id: int
    number: str
    drawn_on: dt.date
    hr_name: str
    witnesses: list[WitnessOut]
    clause: str
    verified: bool
    warnings: list[str]
    delivery_channel: str
    delivery_clause: str
    delivered_at: dt.datetime | None
    delivery_due: dt.date
    delivered_on_time: bool | None


def _act(act: RefusalAct) -> ActOut:
    return ActOut(id=act.pk, number=act.number, drawn_on=act.drawn_on, hr_name=act.hr_name,
                  witnesses=[WitnessOut(servant_id=w.servant_id, name=w.name) for w in act.witnesses.all()],
                  clause=act.clause, verified=bool(act.decision.get("verified")),
                  warnings=list(act.decision.get("warnings") or []), delivery_channel=act.delivery_channel,
                  delivery_clause=act.delivery_clause, delivered_at=act.delivered_at, delivery_due=act.delivery_due,
                  delivered_on_time=act.delivered_on_time)


class NoticeOut(Schema):
    id: int
    channel: str
    channel_clause: str
    sent_at: dt.datetime
    on_time: bool
    reference: str
    proof_type: str
    proof_sha256: str
    notification_id: int | None
    absence_kind: str


def _notice(n: RemoteNotice) -> NoticeOut:
    return NoticeOut(id=n.pk, channel=n.channel, channel_clause=n.channel_clause, sent_at=n.sent_at,
                     on_time=n.on_time, reference=n.reference, proof_type=n.proof_type, proof_sha256=n.proof_sha256,
                     notification_id=n.notification_id, absence_kind=n.absence.kind if n.absence is not None else "")


class FamiliarizationOut(Schema):
    id: int
    version: int
    state: str
    servant_id: int
    servant_name: str
    result: ResultOut
    due: DueOut
    overdue: bool
    signed_at: dt.datetime | None
    signed_on_time: bool | None
    signed_sha256: str
    refused_at: dt.datetime | None
    act: ActOut | None
    remote_notices: list[NoticeOut]


def _fam(f: Familiarization, overdue: bool = False) -> FamiliarizationOut:
    act = getattr(f, "refusal_act", None)
    return FamiliarizationOut(
        id=f.pk, version=f.version, state=f.state, servant_id=f.servant_id, servant_name=f.servant.full_name,
        result=_result(f.result), due=DueOut(on=f.due, rule=f.due_rule, clause=f.due_clause), overdue=overdue,
        signed_at=f.signed_at, signed_on_time=f.signed_on_time, signed_sha256=f.signed_sha256,
        refused_at=f.refused_at, act=_act(act) if act is not None else None,
        remote_notices=[_notice(n) for n in f.remote_notices.all()])


def _fam_out(request: HttpRequest, familiarization_id: int) -> FamiliarizationOut:
    return _fam(selectors.familiarization(request.user, body_of(request), familiarization_id).fam)


class AppealOut(Schema):
    id: int
    version: int
    state: str
    body_id: int
    servant_name: str
    result: ResultOut
    venue: str
    reviewer_id: int
    grounds: str
    filed_on: dt.date
    decision_on: dt.date
    last_day: DueOut
    timeliness: Literal["ON_TIME", "LATE"]
    late: bool
    outcome: str
    outcome_clause: str
    outcome_note: str
    revised_result_id: int | None


def _appeal(a: Appeal) -> AppealOut:
    return AppealOut(
        id=a.pk, version=a.version, state=a.state, body_id=a.body_id, servant_name=a.servant.full_name,
        result=_result(a.result), venue=a.venue, reviewer_id=a.reviewer_id, grounds=a.grounds, filed_on=a.filed_on,
        decision_on=a.decision_on, last_day=DueOut(on=a.last_day, rule=a.last_day_rule, clause=a.last_day_clause),
        timeliness=a.timeliness, late=a.late, outcome=a.outcome, outcome_clause=a.outcome_clause,  # type: ignore[arg-type]
        outcome_note=a.outcome_note, revised_result_id=a.revised_result_id)


class ConsequenceOut(Schema):
    id: int
    version: int
    state: str
    servant_id: int
    servant_name: str
    result_id: int
    basis: str
    purpose: str
    justification: str
    clause: str
    proposed_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str


def _consequence(p: ConsequenceProposal) -> ConsequenceOut:
    return ConsequenceOut(id=p.pk, version=p.version, state=p.state, servant_id=p.servant_id,
                          servant_name=p.servant.full_name, result_id=p.result_id, basis=p.basis, purpose=p.purpose,
                          justification=p.justification, clause=p.clause, proposed_at=p.proposed_at,
                          decided_at=p.decided_at, decision_note=p.decision_note)


# -- familiarization -------------------------------------------------------------------------------

class BoardQuery(Schema):
    cycle_id: RowId | None = None
    only_open: bool = False


@router.get("/familiarizations", response={200: list[FamiliarizationOut], **ERRORS},
            summary="Who has signed, refused, been notified remotely, and who not yet (HR, authorized, auditor)")
def familiarization_board(request: HttpRequest, filters: Query[BoardQuery]) -> list[FamiliarizationOut]:
    rows = selectors.board(request.user, body_of(request), cycle_id=filters.cycle_id, only_open=filters.only_open)
    return [_fam(r.fam, r.overdue) for r in rows]


@router.get("/familiarizations/{int:familiarization_id}", response={200: FamiliarizationOut, **ERRORS},
            summary="One familiarization (the servant's own, or the body's readers)")
def familiarization_detail(request: HttpRequest, familiarization_id: int) -> FamiliarizationOut:
    return _fam_out(request, familiarization_id)


class MoveIn(Strict):
    expected_version: Version


class RefuseIn(Strict):
    expected_version: Version
    note: SafeText = ""


@router.post("/familiarizations/{int:familiarization_id}/sign", response={200: FamiliarizationOut, **ERRORS},
             summary="The servant signs that they have read the result (S1-p.12)")
def sign(request: HttpRequest, familiarization_id: int, payload: MoveIn) -> FamiliarizationOut:
    services.sign_result(request.user, body_of(request), familiarization_id, expected_version=payload.expected_version)
    return _fam_out(request, familiarization_id)


@router.post("/familiarizations/{int:familiarization_id}/refuse", response={200: FamiliarizationOut, **ERRORS},
             summary="The servant refuses to sign; HR is asked for the refusal act")
def refuse(request: HttpRequest, familiarization_id: int, payload: RefuseIn) -> FamiliarizationOut:
    services.refuse_to_sign(request.user, body_of(request), familiarization_id, note=payload.note,
                            expected_version=payload.expected_version)
    return _fam_out(request, familiarization_id)


class ActIn(Strict):
    expected_version: Version
    number: SafeText
    text_kk: SafeText
    text_ru: SafeText
    witnesses: list[StrictInt] = Field(description="Servant ids of the other servants of the body who sign.")
    place: SafeText = ""


@router.post("/familiarizations/{int:familiarization_id}/refusal-act", response={201: FamiliarizationOut, **ERRORS},
             summary="HR draws up the free-form refusal act with its witnesses (S0-p.40)")
def refusal_act(request: HttpRequest, familiarization_id: int, payload: ActIn) -> Status[FamiliarizationOut]:
    """422 naming `witnesses` when a witness is the refuser, not of the body, or too few (the clause named)."""
    services.draw_refusal_act(request.user, body_of(request), familiarization_id, number=payload.number,
                              text_kk=payload.text_kk, text_ru=payload.text_ru, witnesses=payload.witnesses,
                              place=payload.place, expected_version=payload.expected_version)
    return Status(201, _fam_out(request, familiarization_id))


class DeliveryIn(Strict):
    expected_version: Version
    channel: SafeText = Field(description="intranet_portal, unified_hr_database or edms (S0-p.40 para 2)")
    reference: SafeText = ""


@router.post("/familiarizations/{int:familiarization_id}/delivery", response={200: FamiliarizationOut, **ERRORS},
             summary="HR records the delivery of the result to a servant who refused")
def delivery(request: HttpRequest, familiarization_id: int, payload: DeliveryIn) -> FamiliarizationOut:
    services.record_delivery(request.user, body_of(request), familiarization_id, channel=payload.channel,
                             reference=payload.reference, expected_version=payload.expected_version)
    return _fam_out(request, familiarization_id)


@router.post("/familiarizations/{int:familiarization_id}/remote-notices",
             response={201: FamiliarizationOut, **ERRORS},
             summary="HR familiarizes an absent servant remotely: channel, time, proof (S1-p.12 para 2)")
def remote_notice(request: HttpRequest, familiarization_id: int, channel: Form[str],
                  expected_version: Form[Annotated[int, Field(ge=1)]], sent_at: Form[str] = "",
                  reference: Form[str] = "", note: Form[str] = "",
                  proof: File[UploadedFile] | None = None) -> Status[FamiliarizationOut]:
    """Multipart. SMS and e-mail are sent by the system (the delivery log is the proof); the other
    channels need `proof` (PDF, JPEG or PNG, checked by content, size-limited)."""
    # An optional File parameter is not always bound by Ninja: read the multipart part directly too.
    upload: Any = proof or request.FILES.get("proof")
    services.record_remote_notice(request.user, body_of(request), familiarization_id, channel=channel,
                                  sent_at=sent_at or None, reference=reference, note=note, proof=upload,
                                  expected_version=expected_version)
    return Status(201, _fam_out(request, familiarization_id))


# -- the servant's own page ------------------------------------------------------------------------

class MyResultOut(Schema):
    result: ResultOut
    familiarization_id: int | None
    familiarization_state: str
    familiarization_version: int | None
    sign_by: DueOut | None
    appeal_by: DueOut | None
    history: list[ResultOut]
    appeals: list[AppealOut]


class DeadlineOut(Schema):
    label: str
    on: dt.date
    rule: str
    clause: str
    done: bool


class MeOut(Schema):
    servant_id: int | None
    results: list[MyResultOut]
    deadlines: list[DeadlineOut]
    documents: list[dict[str, Any]]
    consequences: list[ConsequenceOut]


@router.get("/me", response={200: MeOut, **ERRORS},
            summary="My results with their clauses, my deadlines (sign by, appeal by), my appeals and documents")
def me(request: HttpRequest) -> MeOut:
    page = selectors.my_page(request.user, body_of(request))
    results = []
    for mr in page.results:
        fam = mr.fam
        results.append(MyResultOut(
            result=_result(mr.result), familiarization_id=fam.pk if fam else None,
            familiarization_state=fam.state if fam else "", familiarization_version=fam.version if fam else None,
            sign_by=DueOut(on=fam.due, rule=fam.due_rule, clause=fam.due_clause) if fam else None,
            appeal_by=DueOut(on=mr.appeal_by.on, rule=mr.appeal_by.rule, clause=mr.appeal_by.clause)
            if mr.appeal_by else None,
            history=[_result(h) for h in mr.history], appeals=[_appeal(a) for a in mr.appeals]))
    documents = [{k: (v.pk if hasattr(v, "pk") else str(v)) for k, v in d.items()} for d in page.documents]
    return MeOut(servant_id=page.servant.pk if page.servant else None, results=results,
                 deadlines=[DeadlineOut(label=str(d.label), on=d.on, rule=d.rule, clause=d.clause, done=d.done)
                            for d in page.deadlines],
                 documents=documents, consequences=[_consequence(c) for c in page.consequences])


# -- appeals ---------------------------------------------------------------------------------------

class AppealIn(Strict):
    venue: SafeText = Field(description="authorized_body or territorial_department (S1-p.70)")
    reviewer_id: StrictInt
    grounds: SafeText


@router.post("/results/{int:result_id}/appeals", response={201: AppealOut, **ERRORS},
             summary="The servant appeals the result (S1-p.70); a late filing is recorded and flagged")
def file_appeal(request: HttpRequest, result_id: int, payload: AppealIn) -> Status[AppealOut]:
    appeal = services.file_appeal(request.user, body_of(request), result_id, venue=payload.venue,
                                  reviewer_id=payload.reviewer_id, grounds=payload.grounds)
    return Status(201, _appeal(selectors.appeal(request.user, appeal.pk, body_of(request)).appeal))


@router.get("/appeals/addressed-to-me", response={200: list[AppealOut], **ERRORS},
            summary="The appeals addressed to me as appeal reviewer, in any body")
def my_reviews(request: HttpRequest, state: str | None = None) -> list[AppealOut]:
    return [_appeal(a) for a in selectors.reviewer_appeals(request.user, state=state)]


@router.get("/appeals", response={200: list[AppealOut], **ERRORS},
            summary="The body's appeals (HR, authorized person, auditor)")
def body_appeals(request: HttpRequest) -> list[AppealOut]:
    return [_appeal(a) for a in selectors.body_appeals(request.user, body_of(request))]


@router.get("/appeals/{int:appeal_id}", response={200: AppealOut, **ERRORS},
            summary="One appeal (its reviewer, the servant, or the body's readers)")
def appeal_detail(request: HttpRequest, appeal_id: int) -> AppealOut:
    return _appeal(selectors.appeal(request.user, appeal_id, getattr(request, "state_body", None)).appeal)


@router.post("/appeals/{int:appeal_id}/outcome", response={200: AppealOut, **ERRORS},
             summary="The reviewer records the outcome (S1-p.70); a recommendation to revise reopens the case")
def appeal_outcome(request: HttpRequest, appeal_id: int, outcome: Form[str],
                   expected_version: Form[Annotated[int, Field(ge=1)]], note: Form[str] = "",
                   document: File[UploadedFile] | None = None) -> AppealOut:
    """Multipart: `outcome` (recommend_cancel_and_revise or leave_unrevised), `note` (required for a
    recommendation), `document` (optional: PDF, JPEG or PNG)."""
    upload: Any = document or request.FILES.get("document")
    services.decide_appeal(request.user, appeal_id, outcome=outcome, note=note, document=upload,
                           expected_version=expected_version)
    return _appeal(selectors.appeal(request.user, appeal_id).appeal)


@router.get("/revisions", response={200: list[AppealOut], **ERRORS},
            summary="Appeals whose result the commission must revise (HR)")
def revisions(request: HttpRequest) -> list[AppealOut]:
    return [_appeal(a) for a in selectors.revisions_waiting(request.user, body_of(request))]


class RevisionMeetingIn(Strict):
    result_ids: list[StrictInt]
    meeting_on: IsoDate
    place: SafeText = ""


class MeetingRef(Schema):
    meeting_id: int
    state: str
    notice_by: dt.date


@router.post("/revisions/meetings", response={201: MeetingRef, **ERRORS},
             summary="HR proposes a commission sitting on the reopened results (then the commission's own flow)")
def revision_meeting(request: HttpRequest, payload: RevisionMeetingIn) -> Status[MeetingRef]:
    meeting = propose_revision_meeting(request.user, body_of(request), result_ids=payload.result_ids,
                                       meeting_on=payload.meeting_on, place=payload.place)
    return Status(201, MeetingRef(meeting_id=meeting.pk, state=meeting.state, notice_by=meeting.notice_by))


@router.get("/participants/{int:participant_id}/results", response={200: list[ResultOut], **ERRORS},
            summary="Every final result of a participant, superseded ones included")
def results_history(request: HttpRequest, participant_id: int) -> list[ResultOut]:
    return [_result(r) for r in selectors.results_history(request.user, body_of(request), participant_id)]


class CourtIn(Strict):
    court: SafeText
    filed_on: IsoDate
    case_number: SafeText = ""
    note: SafeText = ""


class CourtOut(Schema):
    id: int
    result_id: int
    court: str
    case_number: str
    filed_on: dt.date
    status: str
    clause: str


@router.post("/results/{int:result_id}/court-cases", response={201: CourtOut, **ERRORS},
             summary="HR records a court challenge of the result (S1-p.71)")
def court_case(request: HttpRequest, result_id: int, payload: CourtIn) -> Status[CourtOut]:
    case = services.record_court_case(request.user, body_of(request), result_id, court=payload.court,
                                      filed_on=payload.filed_on, case_number=payload.case_number, note=payload.note)
    return Status(201, CourtOut(id=case.pk, result_id=case.result_id, court=case.court, case_number=case.case_number,
                                filed_on=case.filed_on, status=case.status, clause=case.clause))


# -- consequences ----------------------------------------------------------------------------------

class ConsequenceIn(Strict):
    result_id: StrictInt
    basis: SafeText = Field(description="kpi or ranking (a 360 result is refused, S1-p.9)")
    purpose: SafeText
    justification: SafeText


class DecisionIn(Strict):
    expected_version: Version
    approve: StrictBool
    note: SafeText = ""


class ConsequenceQuery(Schema):
    servant_id: RowId | None = None
    state: str | None = None


@router.get("/consequences", response={200: list[ConsequenceOut], **ERRORS},
            summary="Consequence proposals per servant (HR, authorized person, auditor)")
def consequences(request: HttpRequest, filters: Query[ConsequenceQuery]) -> list[ConsequenceOut]:
    return [_consequence(p) for p in selectors.consequences(request.user, body_of(request),
                                                            servant_id=filters.servant_id, state=filters.state)]


@router.post("/consequences", response={201: ConsequenceOut, **ERRORS},
             summary="HR proposes a use of a final KPI or ranking result (S1-p.9)")
def propose(request: HttpRequest, payload: ConsequenceIn) -> Status[ConsequenceOut]:
    p = services.propose_consequence(request.user, body_of(request), payload.result_id, basis=payload.basis,
                                     purpose=payload.purpose, justification=payload.justification)
    return Status(201, _consequence(p))


@router.post("/consequences/{int:proposal_id}/decision", response={200: ConsequenceOut, **ERRORS},
             summary="The authorized person approves or rejects (a rejection needs its note)")
def decide(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> ConsequenceOut:
    p = services.decide_consequence(request.user, body_of(request), proposal_id, approve=payload.approve,
                                    note=payload.note, expected_version=payload.expected_version)
    return _consequence(p)


@router.post("/consequences/{int:proposal_id}/withdraw", response={200: ConsequenceOut, **ERRORS},
             summary="HR withdraws a proposal not yet decided")
def withdraw(request: HttpRequest, proposal_id: int, payload: MoveIn) -> ConsequenceOut:
    return _consequence(services.withdraw_consequence(request.user, body_of(request), proposal_id,
                                                      expected_version=payload.expected_version))


@router.get("/consequences/export", response={200: None, **ERRORS},
            summary="The proposals as CSV or XLSX (format=csv|xlsx)")
def export(request: HttpRequest, format: Literal["csv", "xlsx"] = "csv") -> HttpResponse:
    rows = selectors.consequences(request.user, body_of(request))
    if format == "xlsx":
        response = HttpResponse(exports.to_xlsx(rows),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    else:
        response = HttpResponse(exports.to_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="consequences.{format}"'
    return response


# -- notification preferences ----------------------------------------------------------------------

class PreferenceIO(Strict):
    language: Literal["kk", "ru"]
    email: StrictBool
    sms: StrictBool


@router.get("/preferences", response={200: PreferenceIO, **ERRORS}, summary="My notification preferences")
def get_preferences(request: HttpRequest) -> PreferenceIO:
    pref = preference_of(request.user)
    return PreferenceIO(language=pref.language, email=pref.email, sms=pref.sms)  # type: ignore[arg-type]


@router.put("/preferences", response={200: PreferenceIO, **ERRORS}, summary="Set my notification preferences")
def put_preferences(request: HttpRequest, payload: PreferenceIO) -> PreferenceIO:
    pref = notification_services.save_preference(request.user, language=payload.language, email=payload.email,
                                                 sms=payload.sms)
    return PreferenceIO(language=pref.language, email=pref.email, sms=pref.sms)  # type: ignore[arg-type]
