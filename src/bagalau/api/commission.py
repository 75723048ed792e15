"""The evaluation commission: its order, its meetings, the open vote, the protocol and the approval.

The same operations as the commission pages, for integrators: each handler parses, calls one
service or selector of `bagalau.commission` and serialises. The roles (authorized person, HR,
chair, member, secretary), the workflow tables, the rules with their clauses and the tenant
boundary live in the services and selectors; the body is always the caller's current one
(`context.body_of`), never an id from the request, so an order, meeting or item of another body is
404.

Conventions (those of the cycles API):

* Moves of an order or a meeting that the services version take `expected_version`, the row
  version the caller read (in every order and meeting answer); a different one is 409. Repeating a
  move that already happened (a double click) returns the document unchanged.
* A move the workflow table does not allow in the document's state (approve before the protocol is
  signed) is 409 naming the state and the action; a move by someone without the role is 403.
* A rule that refuses the input is 422 naming the field and the clause: the composition below the
  minimum (`members`), a date too close to notify the evaluators (`meeting_on`), a vote without
  quorum (`quorum`), a revision without its corrected result or reason.
* A refused vote (the secretary, an absent or recused member, no quorum) is recorded in the audit
  trail as "commission.vote_refused" even though the answer is an error.
* People on an order are given as `{"servant": id}` (a servant of the body with a login) or
  `{"user": id}` (an external member holding the Commission member grant, or the HR secretary).
* Only the authorized person's approval makes a result final (`/results`); until then the item's
  decision is the commission's, not the final result.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, StrictInt, model_validator

from bagalau.api.context import body_of
from bagalau.api.errors import ERRORS
from bagalau.api.types import IsoDate, Offset, RowId, SafeText
from bagalau.commission import selectors, services
from bagalau.commission.models import (
    AgendaItem,
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    FinalResult,
    MeetingState,
)

router = Router(tags=["commission"])

Version = Annotated[StrictInt, Field(ge=1, description="The row version the caller read (optimistic locking).")]
SeatId = Annotated[StrictInt, Field(ge=1)]


class Strict(Schema):
    """An input that refuses unknown fields, so a typo (or a body id) is an error, not ignored."""

    model_config = ConfigDict(extra="forbid")


# -- shared pieces ---------------------------------------------------------------------------------

class PersonIn(Strict):
    """A seat holder: exactly one of `servant` (a servant of the body) or `user` (a login)."""

    servant: StrictInt | None = Field(None, ge=1)
    user: StrictInt | None = Field(None, ge=1)

    @model_validator(mode="after")
    def _one(self) -> PersonIn:
        if (self.servant is None) == (self.user is None):
            raise ValueError('a person is given as {"servant": id} or {"user": id}')
        return self

    def ref(self) -> dict[str, int]:
        return {"servant": self.servant} if self.servant is not None else {"user": self.user}  # type: ignore[dict-item]


class SeatOut(Schema):
    id: int
    role: str = Field(description="chair, member or secretary (the secretary does not vote, S1-p.62).")
    name: str
    position_kk: str
    position_ru: str
    external: bool
    servant_id: int | None
    user_id: int
    votes: bool
    ordinal: int


def _seat(s: CommissionSeat) -> SeatOut:
    return SeatOut(id=s.pk, role=s.role, name=s.name, position_kk=s.position_kk, position_ru=s.position_ru,
                   external=s.external, servant_id=s.servant_id, user_id=s.user_id, votes=s.votes, ordinal=s.ordinal)


class SeatRef(Schema):
    id: int
    name: str
    role: str


def _seat_ref(s: CommissionSeat) -> SeatRef:
    return SeatRef(id=s.pk, name=s.name, role=s.role)


class LiveQuorumOut(Schema):
    """The quorum as the core computes it now: two thirds of the members, rounded up (S1-p.58)."""

    members: int
    present: int | None = Field(description="None before the attendance is recorded.")
    required: int
    fraction: str
    quorate: bool | None
    clause: str
    verified: bool


def _quorum(q: selectors.LiveQuorum | None) -> LiveQuorumOut | None:
    if q is None:
        return None
    return LiveQuorumOut(members=q.members, present=q.present, required=q.required, fraction=str(q.fraction),
                         quorate=q.quorate, clause=q.clause, verified=q.verified)


# -- orders ----------------------------------------------------------------------------------------

class OrderOut(Schema):
    id: int
    number: str
    order_date: dt.date
    revision: int
    original_id: int | None
    amends_id: int | None
    reason: str
    state: str
    state_label: str
    version: int
    methodology_version: str
    composition_clause: str
    replacement_clause: str
    issued_at: dt.datetime | None
    seats: list[SeatOut]


def _order(o: CommissionOrder, seats: list[CommissionSeat] | None = None) -> OrderOut:
    return OrderOut(id=o.pk, number=o.number, order_date=o.order_date, revision=o.revision,
                    original_id=o.original_id, amends_id=o.amends_id, reason=o.reason, state=o.state,
                    state_label=str(o.get_state_display()), version=o.version,
                    methodology_version=o.methodology_version, composition_clause=o.composition_clause,
                    replacement_clause=o.replacement_clause, issued_at=o.issued_at,
                    seats=[_seat(s) for s in (seats if seats is not None else o.seats.all())])


class OrderRef(Schema):
    id: int
    number: str
    order_date: dt.date
    revision: int
    state: str


class OrderDetailOut(OrderOut):
    lineage: list[OrderRef] = Field(description="The original order and every amendment, oldest first.")
    allowed_actions: list[str]


class CommissionOut(Schema):
    order: OrderOut | None = Field(description="The revision in force; null before the first order is issued.")
    members: int = Field(description="The chair and the members: the quorum base (the secretary is not counted).")
    quorum_required: int | None
    quorum_clause: str
    min_members: int | None
    min_members_clause: str
    drafts: list[OrderOut]
    history: list[OrderOut] = Field(description="Every revision, newest first (amended ones kept, S1-p.59).")
    my_roles: list[str]
    may_form: bool


@router.get("", response={200: CommissionOut, **ERRORS}, summary="The commission in force, its drafts and history")
def commission_view(request: HttpRequest) -> CommissionOut:
    v = selectors.commission(request.user, body_of(request))
    return CommissionOut(
        order=_order(v.order, v.seats) if v.order else None, members=v.members, quorum_required=v.quorum_required,
        quorum_clause=v.quorum_clause, min_members=v.min_members, min_members_clause=v.min_members_clause,
        drafts=[_order(o) for o in v.drafts], history=[_order(o) for o in v.history], my_roles=sorted(v.roles),
        may_form=v.may_form,
    )


def _order_out(request: HttpRequest, order_id: int) -> OrderDetailOut:
    d = selectors.order_detail(request.user, body_of(request), order_id)
    base = _order(d.order, d.seats)
    return OrderDetailOut(**base.model_dump(), allowed_actions=d.actions,
                          lineage=[OrderRef(id=o.pk, number=o.number, order_date=o.order_date, revision=o.revision,
                                            state=o.state) for o in d.lineage])


class OrderIn(Strict):
    number: SafeText = Field(min_length=1, max_length=100)
    order_date: IsoDate
    chair: PersonIn
    members: list[PersonIn] = Field(max_length=50, description="The members other than the chair.")
    secretary: PersonIn = Field(description="The HR specialist: keeps the protocol, does not vote (S1-p.62).")
    reason: SafeText = Field("", max_length=2000)


class OrderUpdateIn(OrderIn):
    expected_version: Version


class AmendIn(OrderIn):
    reason: SafeText = Field(min_length=1, max_length=2000, description="Why the chair or a member is replaced.")


class CommissionMoveIn(Strict):
    expected_version: Version


@router.post("/orders", response={201: OrderDetailOut, **ERRORS},
             summary="Draft the order forming the commission (authorized person)")
def create_order(request: HttpRequest, payload: OrderIn) -> Status[OrderDetailOut]:
    """422 naming the field and the clause when the composition is refused (fewer members than the
    minimum, the secretary among the members, someone twice, a person not of the body)."""
    order = services.create_order(request.user, body_of(request), number=payload.number,
                                  order_date=payload.order_date, chair=payload.chair.ref(),
                                  members=[m.ref() for m in payload.members], secretary=payload.secretary.ref(),
                                  reason=payload.reason)
    return Status(201, _order_out(request, order.pk))


@router.get("/orders/{int:order_id}", response={200: OrderDetailOut, **ERRORS}, summary="One order revision")
def order_detail(request: HttpRequest, order_id: int) -> OrderDetailOut:
    return _order_out(request, order_id)


@router.put("/orders/{int:order_id}", response={200: OrderDetailOut, **ERRORS},
            summary="Change a draft order (authorized person); an issued order is never changed")
def update_order(request: HttpRequest, order_id: int, payload: OrderUpdateIn) -> OrderDetailOut:
    services.update_order(request.user, body_of(request), order_id, expected_version=payload.expected_version,
                          number=payload.number, order_date=payload.order_date, chair=payload.chair.ref(),
                          members=[m.ref() for m in payload.members], secretary=payload.secretary.ref(),
                          reason=payload.reason)
    return _order_out(request, order_id)


@router.post("/orders/{int:order_id}/issue", response={200: OrderDetailOut, **ERRORS},
             summary="Put a draft order in force (authorized person)")
def issue_order(request: HttpRequest, order_id: int, payload: CommissionMoveIn) -> OrderDetailOut:
    services.issue_order(request.user, body_of(request), order_id, expected_version=payload.expected_version)
    return _order_out(request, order_id)


@router.post("/orders/{int:order_id}/amend", response={201: OrderDetailOut, **ERRORS},
             summary="Draft an amending order replacing the chair or a member (authorized person, S1-p.59)")
def amend_order(request: HttpRequest, order_id: int, payload: AmendIn) -> Status[OrderDetailOut]:
    """The full composition after the amendment; the order in force stays in force until the
    amendment is issued. 422 on `amends` unless `order_id` is the order in force."""
    order = services.amend_order(request.user, body_of(request), order_id, number=payload.number,
                                 order_date=payload.order_date, chair=payload.chair.ref(),
                                 members=[m.ref() for m in payload.members], secretary=payload.secretary.ref(),
                                 reason=payload.reason)
    return Status(201, _order_out(request, order.pk))


# -- meetings --------------------------------------------------------------------------------------

class MeetingCycleRef(Schema):
    id: int
    label: str
    state: str


class MeetingSummaryOut(Schema):
    id: int
    cycle: MeetingCycleRef
    order_id: int
    meeting_on: dt.date
    place: str
    state: str
    state_label: str
    version: int
    notice_by: dt.date
    items: int
    pending: int
    decided: int


class MeetingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MeetingSummaryOut]


class MeetingsQuery(Schema):
    cycle_id: RowId | None = None
    state: list[MeetingState] = Field([], description="Only meetings in these states.")
    limit: int = Field(25, ge=1, le=200)
    offset: Offset = 0


def _cycle_ref(m: CommissionMeeting) -> MeetingCycleRef:
    return MeetingCycleRef(id=m.cycle.pk, label=m.cycle.label, state=m.cycle.state)


@router.get("/meetings", response={200: MeetingPage, **ERRORS}, summary="The body's commission meetings")
def list_meetings(request: HttpRequest, q: Query[MeetingsQuery]) -> MeetingPage:
    qs = selectors.meetings(request.user, body_of(request), cycle_id=q.cycle_id,
                            states=[str(s) for s in q.state] or None)
    count = qs.count()
    items = [MeetingSummaryOut(id=m.pk, cycle=_cycle_ref(m), order_id=m.order_id, meeting_on=m.meeting_on,
                               place=m.place, state=m.state, state_label=str(m.get_state_display()),
                               version=m.version, notice_by=m.notice_by, items=getattr(m, "n_items", 0),
                               pending=getattr(m, "n_pending", 0), decided=getattr(m, "n_decided", 0))
             for m in qs[q.offset: q.offset + q.limit]]
    return MeetingPage(count=count, limit=q.limit, offset=q.offset, items=items)


class MeetingNoticeOut(Schema):
    by: dt.date = Field(description="The last day the evaluated servants and evaluators may be notified (S1-p.57).")
    rule: str
    clause: str
    lines: dict[str, list[str]] = Field(description="How the date was counted, per language (kk, ru, en).")


class VoteOut(Schema):
    seat_id: int
    name: str
    role: str
    choice: str
    corrected_result: str
    reason: str
    cast_at: dt.datetime
    changes: int


class ItemOut(Schema):
    id: int
    meeting_id: int
    ordinal: int
    participant_id: int
    servant_id: int
    servant_name: str
    method: str
    original_result: str
    original_clause: str
    state: str
    decision: str
    corrected_result: str = Field(description="The commission's correction, beside the original (S1-p.66).")
    decision_clause: str
    votes_for: int | None
    votes_against: int | None
    casting_vote: bool
    revision_reasons: list[dict[str, Any]]
    withdraw_reason: str


class TallyOut(Schema):
    item: ItemOut
    approve: int
    revise: int
    votes: list[VoteOut]
    voters: list[SeatRef] = Field(description="The members present who vote on this item (a recused one left out).")
    missing: list[SeatRef] = Field(description="Of the voters, who has not voted yet.")
    recused: SeatRef | None = Field(description="The member whose own result this is (Q-16).")
    quorum: LiveQuorumOut | None
    projected: str | None = Field(description="What the votes decide now: APPROVE, REVISE, TIE_UNRESOLVED, "
                                              "NO_QUORUM; the decision once recorded.")
    projected_clause: str
    casting_vote: bool = Field(description="The chair's vote breaks a tie (S1-p.61).")
    corrected_proposals: dict[str, int]


def _item(i: AgendaItem) -> ItemOut:
    p = i.participant
    return ItemOut(id=i.pk, meeting_id=i.meeting_id, ordinal=i.ordinal, participant_id=p.pk, servant_id=p.servant_id,
                   servant_name=p.servant_name, method=i.method, original_result=i.original_result,
                   original_clause=i.original_clause, state=i.state, decision=i.decision,
                   corrected_result=i.corrected_result, decision_clause=i.decision_clause, votes_for=i.votes_for,
                   votes_against=i.votes_against, casting_vote=i.casting_vote,
                   revision_reasons=list(i.revision_reasons or []), withdraw_reason=i.withdraw_reason)


def _tally(t: selectors.Tally) -> TallyOut:
    return TallyOut(
        item=_item(t.item), approve=t.approve, revise=t.revise,
        votes=[VoteOut(seat_id=v.seat.pk, name=v.seat.name, role=v.seat.role, choice=v.choice,
                       corrected_result=v.corrected_result, reason=v.reason, cast_at=v.cast_at, changes=v.changes)
               for v in t.votes],
        voters=[_seat_ref(s) for s in t.voters], missing=[_seat_ref(s) for s in t.missing],
        recused=_seat_ref(t.recused) if t.recused else None, quorum=_quorum(t.quorum), projected=t.projected,
        projected_clause=t.projected_clause, casting_vote=t.casting_vote,
        corrected_proposals=dict(t.corrected_proposals),
    )


class AttendingSeatOut(SeatOut):
    present: bool | None = Field(description="None before the session opens; the secretary is not counted.")


class ProtocolRef(Schema):
    id: int
    number: str
    state: str
    content_sha256: str
    approved_on: dt.date | None


class MeetingOut(Schema):
    id: int
    cycle: MeetingCycleRef
    order: OrderRef
    meeting_on: dt.date
    place: str
    state: str
    state_label: str
    version: int
    methodology_version: str
    notice: MeetingNoticeOut
    consent_clause: str
    quorum: LiveQuorumOut = Field(description="The live quorum of the sitting (S1-p.58).")
    seats: list[AttendingSeatOut]
    items: list[TallyOut]
    protocol: ProtocolRef | None
    cancel_reason: str
    approved_on: dt.date | None
    approval_clause: str
    my_roles: list[str]
    my_seat_id: int | None
    allowed_actions: list[str]


def _meeting_out(request: HttpRequest, meeting_id: int) -> MeetingOut:
    d = selectors.meeting_detail(request.user, body_of(request), meeting_id)
    m, o, p = d.meeting, d.order, d.protocol
    opened = bool(d.attendance)
    seats = [AttendingSeatOut(**_seat(s).model_dump(),
                              present=bool(d.attendance.get(s.pk)) if opened and s.votes else None)
             for s in d.seats]
    return MeetingOut(
        id=m.pk, cycle=_cycle_ref(m),
        order=OrderRef(id=o.pk, number=o.number, order_date=o.order_date, revision=o.revision, state=o.state),
        meeting_on=m.meeting_on, place=m.place, state=m.state, state_label=str(m.get_state_display()),
        version=m.version, methodology_version=m.methodology_version,
        notice=MeetingNoticeOut(by=d.notice.by, rule=d.notice.rule, clause=d.notice.clause,
                                lines={str(k): [str(x) for x in v] for k, v in (d.notice.lines or {}).items()}),
        consent_clause=m.consent_clause, quorum=_quorum(d.quorum), seats=seats,  # type: ignore[arg-type]
        items=[_tally(t) for t in d.items],
        protocol=ProtocolRef(id=p.pk, number=p.number, state=p.state, content_sha256=p.content_sha256,
                             approved_on=p.approved_on) if p else None,
        cancel_reason=m.cancel_reason, approved_on=m.approved_on, approval_clause=m.approval_clause,
        my_roles=sorted(d.roles), my_seat_id=d.my_seat.pk if d.my_seat else None, allowed_actions=d.actions,
    )


class ProposeIn(Strict):
    cycle_id: StrictInt = Field(ge=1, description="A launched cycle of the body.")
    meeting_on: IsoDate = Field(description="A working day late enough to notify the evaluators (S1-p.57).")
    place: SafeText = Field("", max_length=300)


class RescheduleIn(Strict):
    expected_version: Version
    meeting_on: IsoDate
    place: SafeText | None = Field(None, max_length=300, description="Omitted: the place stays.")


class MeetingCancelIn(Strict):
    expected_version: Version
    reason: SafeText = Field(min_length=1, max_length=2000)


class OpenIn(Strict):
    expected_version: Version
    present: list[SeatId] = Field(max_length=100, description="Seat ids of the chair and members present.")


class AttendanceIn(Strict):
    present: list[SeatId] = Field(max_length=100, description="Seat ids of the chair and members present now.")


@router.post("/meetings", response={201: MeetingOut, **ERRORS},
             summary="Propose a meeting for a launched cycle (HR); the chair is asked to consent")
def propose_meeting(request: HttpRequest, payload: ProposeIn) -> Status[MeetingOut]:
    """422 on `meeting_on` naming the notice rule and its clause when the evaluators can no longer
    be notified in time; 404 for a cycle not of this body."""
    meeting = services.propose_meeting(request.user, body_of(request), cycle_id=payload.cycle_id,
                                       meeting_on=payload.meeting_on, place=payload.place)
    return Status(201, _meeting_out(request, meeting.pk))


@router.get("/meetings/{int:meeting_id}", response={200: MeetingOut, **ERRORS},
            summary="One meeting: seats with attendance, the live quorum, each item's tally")
def meeting_detail(request: HttpRequest, meeting_id: int) -> MeetingOut:
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/reschedule", response={200: MeetingOut, **ERRORS},
             summary="Move a proposed or scheduled meeting to another date (HR); the chair consents again")
def reschedule_meeting(request: HttpRequest, meeting_id: int, payload: RescheduleIn) -> MeetingOut:
    services.reschedule_meeting(request.user, body_of(request), meeting_id, expected_version=payload.expected_version,
                                meeting_on=payload.meeting_on, place=payload.place)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/consent", response={200: MeetingOut, **ERRORS},
             summary="Agree the date (chair); the evaluated servants and evaluators are notified")
def consent_to_meeting(request: HttpRequest, meeting_id: int, payload: CommissionMoveIn) -> MeetingOut:
    services.consent_to_meeting(request.user, body_of(request), meeting_id, expected_version=payload.expected_version)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/refresh-agenda", response={200: MeetingOut, **ERRORS},
             summary="Add the sheets submitted to the commission since the meeting was proposed (HR)")
def refresh_agenda(request: HttpRequest, meeting_id: int, payload: CommissionMoveIn) -> MeetingOut:
    services.refresh_agenda(request.user, body_of(request), meeting_id, expected_version=payload.expected_version)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/draft-protocol", response={200: MeetingOut, **ERRORS},
             summary="Prepare (or refresh) the draft protocol before the meeting (HR, S1-p.64)")
def prepare_draft_protocol(request: HttpRequest, meeting_id: int) -> MeetingOut:
    services.prepare_draft_protocol(request.user, body_of(request), meeting_id)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/cancel", response={200: MeetingOut, **ERRORS},
             summary="Call the meeting off (HR); undecided items are withdrawn for another agenda")
def cancel_meeting(request: HttpRequest, meeting_id: int, payload: MeetingCancelIn) -> MeetingOut:
    services.cancel_meeting(request.user, body_of(request), meeting_id, expected_version=payload.expected_version,
                            reason=payload.reason)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/open", response={200: MeetingOut, **ERRORS},
             summary="Open the sitting on its date with the members present (secretary)")
def open_session(request: HttpRequest, meeting_id: int, payload: OpenIn) -> MeetingOut:
    """The quorum is computed and kept (S1-p.58); a sitting without it opens but decides nothing
    (votes and decisions are 422 on `quorum`). 422 on `present` for a seat not a member's."""
    services.open_session(request.user, body_of(request), meeting_id, expected_version=payload.expected_version,
                          present=list(payload.present))
    return _meeting_out(request, meeting_id)


@router.put("/meetings/{int:meeting_id}/attendance", response={200: MeetingOut, **ERRORS},
            summary="Correct the attendance during the sitting (secretary); the quorum is recomputed")
def record_attendance(request: HttpRequest, meeting_id: int, payload: AttendanceIn) -> MeetingOut:
    services.record_attendance(request.user, body_of(request), meeting_id, present=list(payload.present))
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/conclude", response={200: MeetingOut, **ERRORS},
             summary="Close the sitting once every item is decided or withdrawn (secretary)")
def conclude_meeting(request: HttpRequest, meeting_id: int, payload: CommissionMoveIn) -> MeetingOut:
    """The protocol is generated from the meeting; the chair, the members present and the
    secretary are asked to sign it."""
    services.conclude_meeting(request.user, body_of(request), meeting_id, expected_version=payload.expected_version)
    return _meeting_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/approve", response={200: MeetingOut, **ERRORS},
             summary="Approve the commission's results (authorized person, S1-p.67): they become final")
def approve_results(request: HttpRequest, meeting_id: int, payload: CommissionMoveIn) -> MeetingOut:
    """409 unless every signatory has signed the protocol (the meeting is in protocol_signed);
    the familiarization due date of each result is counted from today (S1-p.68)."""
    services.approve_results(request.user, body_of(request), meeting_id, expected_version=payload.expected_version)
    return _meeting_out(request, meeting_id)


# -- the protocol ----------------------------------------------------------------------------------

class ProtocolSignatureOut(Schema):
    id: int
    seat_id: int | None
    role: str
    signer_name: str
    signed_at: dt.datetime
    method: str
    content_sha256: str
    valid: bool = Field(description="The signature covers the protocol's current content.")


class ProtocolOut(Schema):
    id: int
    meeting_id: int
    number: str
    state: str = Field(description="draft (before the sitting) or final (generated when it closed).")
    content: dict[str, Any]
    content_sha256: str
    current_valid: bool = Field(description="The stored content is what the meeting's records give now.")
    signatures: list[ProtocolSignatureOut]
    required: list[SeatRef] = Field(description="Who signs: the chair and members present, and the secretary.")
    missing: list[SeatRef]
    complete: bool
    valid: bool = Field(description="Every required signature is there and matches the current content.")
    approved_on: dt.date | None
    approved_by_name: str
    approval_clause: str


def _protocol_out(request: HttpRequest, meeting_id: int) -> ProtocolOut:
    v = selectors.protocol(request.user, body_of(request), meeting_id)
    p = v.protocol
    return ProtocolOut(
        id=p.pk, meeting_id=v.meeting.pk, number=p.number, state=p.state, content=v.content,
        content_sha256=p.content_sha256, current_valid=v.current_valid,
        signatures=[ProtocolSignatureOut(id=s.signature.pk, seat_id=s.signature.seat_id, role=s.signature.role,
                                         signer_name=s.signature.signer_name, signed_at=s.signature.signed_at,
                                         method=s.signature.method, content_sha256=s.signature.content_sha256,
                                         valid=s.valid)
                    for s in v.signatures],
        required=[_seat_ref(s) for s in v.required], missing=[_seat_ref(s) for s in v.missing],
        complete=v.complete, valid=v.valid, approved_on=v.approved_on, approved_by_name=v.approved_by_name,
        approval_clause=p.approval_clause,
    )


@router.get("/meetings/{int:meeting_id}/protocol", response={200: ProtocolOut, **ERRORS},
            summary="The meeting's protocol with its signatures and whether they are valid")
def protocol_view(request: HttpRequest, meeting_id: int) -> ProtocolOut:
    return _protocol_out(request, meeting_id)


@router.post("/meetings/{int:meeting_id}/protocol/sign", response={200: ProtocolOut, **ERRORS},
             summary="Sign the protocol (chair, members present, secretary); the last signature seals it")
def sign_protocol(request: HttpRequest, meeting_id: int) -> ProtocolOut:
    """Signing twice returns the first signature; 403 for someone who is not a signatory; 409
    before the sitting is closed."""
    services.sign_protocol(request.user, body_of(request), meeting_id)
    return _protocol_out(request, meeting_id)


# -- items -----------------------------------------------------------------------------------------

class VoteIn(Strict):
    choice: SafeText = Field(max_length=20, description="approve or revise; there is no abstention (Q-09).")
    corrected_result: SafeText = Field("", max_length=30, description="A vote to revise gives the corrected result.")
    reason: SafeText = Field("", max_length=2000, description="A vote to revise gives its reason.")


class WithdrawIn(Strict):
    reason: SafeText = Field(min_length=1, max_length=2000)


def _tally_out(request: HttpRequest, item_id: int) -> TallyOut:
    return _tally(selectors.item_tally(request.user, body_of(request), item_id))


@router.get("/items/{int:item_id}", response={200: TallyOut, **ERRORS},
            summary="One agenda item with its tally, quorum and the decision the votes give now")
def item_tally(request: HttpRequest, item_id: int) -> TallyOut:
    return _tally_out(request, item_id)


@router.post("/items/{int:item_id}/vote", response={200: TallyOut, **ERRORS},
             summary="Cast (or change) an open vote on the item (chair, members present)")
def cast_vote(request: HttpRequest, item_id: int, payload: VoteIn) -> TallyOut:
    """403 for the secretary (S1-p.62), a non-member, an absent member or the member whose own
    result it is (Q-16); 422 on `quorum` without quorum; each refusal is also audited as
    "commission.vote_refused". 409 when the sitting is not in session or the item is decided."""
    cast = services.cast_open_vote(request.user, body_of(request), item_id, choice=payload.choice,
                                   corrected_result=payload.corrected_result, reason=payload.reason)
    # The tally is made of what the vote read under the meeting's lock, not read again; whoever
    # may vote holds a seat of the body, so he reads the commission's records.
    return _tally(selectors.tally_of(cast.meeting, cast.item, cast.seats, cast.attendance, cast.votes))


@router.post("/items/{int:item_id}/decide", response={200: TallyOut, **ERRORS},
             summary="Record the decision counted from the votes (secretary)")
def record_decision(request: HttpRequest, item_id: int) -> TallyOut:
    """A majority of the votes of the members present; the chair's vote breaks a tie (S1-p.61).
    422 on `votes` while a member present has not voted or a tie has no chair's vote."""
    services.record_decision(request.user, body_of(request), item_id)
    return _tally_out(request, item_id)


@router.post("/items/{int:item_id}/withdraw", response={200: TallyOut, **ERRORS},
             summary="Take an undecided item off the agenda for a later meeting (secretary)")
def withdraw_item(request: HttpRequest, item_id: int, payload: WithdrawIn) -> TallyOut:
    services.withdraw_item(request.user, body_of(request), item_id, reason=payload.reason)
    return _tally_out(request, item_id)


# -- queues and results ----------------------------------------------------------------------------

class VoteTaskOut(Schema):
    item_id: int
    meeting_id: int
    meeting_on: dt.date
    seat_id: int
    servant_name: str
    original_result: str


@router.get("/my-votes", response={200: list[VoteTaskOut], **ERRORS},
            summary="Items of sittings in session on which I, present and not recused, have not voted")
def my_votes_to_cast(request: HttpRequest) -> list[VoteTaskOut]:
    return [VoteTaskOut(item_id=t.item.pk, meeting_id=t.item.meeting_id, meeting_on=t.item.meeting.meeting_on,
                        seat_id=t.seat.pk, servant_name=t.item.participant.servant_name,
                        original_result=t.item.original_result)
            for t in selectors.my_votes_to_cast(request.user, body_of(request))]


class ApprovalOut(Schema):
    meeting_id: int
    cycle: MeetingCycleRef
    meeting_on: dt.date
    version: int
    protocol_id: int
    protocol_number: str
    decided: int
    revised: int


@router.get("/approval-queue", response={200: list[ApprovalOut], **ERRORS},
            summary="Meetings whose protocol is signed, awaiting approval (authorized person)")
def approval_queue(request: HttpRequest) -> list[ApprovalOut]:
    return [ApprovalOut(meeting_id=m.pk, cycle=_cycle_ref(m), meeting_on=m.meeting_on, version=m.version,
                        protocol_id=m.protocol.pk, protocol_number=m.protocol.number,
                        decided=getattr(m, "n_decided", 0), revised=getattr(m, "n_revised", 0))
            for m in selectors.approval_queue(request.user, body_of(request))]


class FinalResultOut(Schema):
    id: int
    cycle_id: int
    participant_id: int
    servant_id: int
    servant_name: str
    method: str
    value: str = Field(description="The final result: the commission's correction on a revision, else the original.")
    value_clause: str
    original_result: str
    revised: bool
    clause: str = Field(description="The approval clause (S1-p.67).")
    methodology_version: str
    approved_on: dt.date
    protocol_id: int
    protocol_number: str
    familiarization_due: dt.date
    familiarization_rule: str
    familiarization_clause: str


class ResultsQuery(Schema):
    cycle_id: RowId | None = None


def _result(r: FinalResult) -> FinalResultOut:
    return FinalResultOut(
        id=r.pk, cycle_id=r.cycle_id, participant_id=r.participant_id, servant_id=r.participant.servant_id,
        servant_name=r.participant.servant_name, method=r.method, value=r.value, value_clause=r.value_clause,
        original_result=r.original_result, revised=r.revised, clause=r.clause,
        methodology_version=r.methodology_version, approved_on=r.approved_on, protocol_id=r.protocol_id,
        protocol_number=r.protocol.number, familiarization_due=r.familiarization_due,
        familiarization_rule=r.familiarization_rule, familiarization_clause=r.familiarization_clause,
    )


@router.get("/results", response={200: list[FinalResultOut], **ERRORS},
            summary="Final results: only those the authorized person approved (HR, authorized person, auditor)")
def final_results(request: HttpRequest, q: Query[ResultsQuery]) -> list[FinalResultOut]:
    return [_result(r) for r in selectors.final_results(request.user, body_of(request), cycle_id=q.cycle_id)]
