"""Reads of the commission for the pages and the API, always scoped to one body.

Access: HR, the authorized person, the auditor, holders of the Commission member grant and anyone
seated on an order of the body read the commission's records (`access.require_read`); anyone else
gets PermissionDenied. An id of another body is not found (Http404).

Query counts are bounded: each selector runs a fixed number of queries whatever the number of
members, items or votes (tallies and quorum are computed in memory from one query each).

What each returns:

* `commission(user, body)` -> CommissionView: the order in force with its seats, the quorum it
  needs, drafts and every revision (the amended ones kept, S1-p.59).
* `order_detail(user, body, order_id)` -> OrderDetail: a revision, its seats, its lineage, the
  moves open to the user.
* `meetings(user, body, cycle_id=None, states=None)`: meetings annotated with item counts.
* `meeting_detail(user, body, meeting_id)` -> MeetingDetail: the meeting, seats with attendance,
  the live quorum (core, S1-p.58), each item with its tally, the notice date with its rule and
  day-by-day count, the protocol, the user's roles and the moves open to him.
* `item_tally(user, body, item_id)` -> Tally for one item (votes, who has not voted, the
  recusal, the item's quorum, the decision the votes would give now).
* `protocol(user, body, meeting_id)` -> ProtocolView: the content, each signature with whether
  it matches the current content, who has still to sign, the approval.
* `my_votes_to_cast(user, body)` -> list[VoteTask]: items of sittings in session on which the
  user, present and not recused, has not voted yet.
* `approval_queue(user, body)`: meetings whose protocol is signed, for the authorized person.
* `final_results(user, body, cycle_id=None)`: approved results (HR, authorized, auditor).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.commission import access, rules, workflow
from bagalau.commission.content import canonical, protocol_content, sha256
from bagalau.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    FinalResult,
    ItemState,
    MeetingState,
    OrderState,
    Protocol,
    ProtocolSignature,
    ProtocolState,
    SeatRole,
    SignatureRole,
    Vote,
)
from bagalau.methodology import commission as core
from bagalau.methodology.errors import MethodologyError
from bagalau.orgs.access import require_role
from bagalau.orgs.models import Role, StateBody
from bagalau.queries import one_or_none

RESULT_READERS = (Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR)


def _key(seat_id: int) -> str:
    return f"s{seat_id}"


# -- the commission and its orders -----------------------------------------------------------------

@dataclass(frozen=True)
class CommissionView:
    order: CommissionOrder | None  # the revision in force, None before the first order is issued
    seats: list[CommissionSeat]
    members: int  # the chair and the members: the quorum base (the secretary is not counted, Q-15)
    quorum_required: int | None
    quorum_clause: str
    min_members: int | None
    min_members_clause: str
    drafts: list[CommissionOrder]
    history: list[CommissionOrder]  # every revision, newest first, with .seats prefetched
    roles: frozenset[str]

    @property
    def chair(self) -> CommissionSeat | None:
        return next((s for s in self.seats if s.role == SeatRole.CHAIR), None)

    @property
    def secretary(self) -> CommissionSeat | None:
        return next((s for s in self.seats if s.role == SeatRole.SECRETARY), None)

    @property
    def may_form(self) -> bool:
        return workflow.AUTHORIZED in self.roles


def _orders(body: StateBody) -> list[CommissionOrder]:
    seats = Prefetch("seats", queryset=CommissionSeat.objects.order_by("ordinal", "pk"))
    return list(CommissionOrder.objects.filter(body=body).prefetch_related(seats)
                .order_by("-order_date", "-revision", "-pk"))


def commission(user: Any, body: StateBody) -> CommissionView:
    access.require_read(user, body)
    orders = _orders(body)
    active = next((o for o in orders if o.state == OrderState.ACTIVE), None)
    seats = list(active.seats.all()) if active else []
    members = sum(1 for s in seats if s.votes)
    required: int | None = None
    quorum_clause = minimum_clause = ""
    minimum: int | None = None
    if active is not None:
        version = rules.version_named(active.methodology_version)
        decision = rules.quorum(version, members, members, active.order_date)
        required, quorum_clause = decision.details["required"], decision.clause
        minimum, minimum_clause = rules.min_members(version)
    return CommissionView(
        order=active, seats=seats, members=members, quorum_required=required, quorum_clause=quorum_clause,
        min_members=minimum, min_members_clause=minimum_clause,
        drafts=[o for o in orders if o.state == OrderState.DRAFT], history=orders,
        roles=frozenset(access.body_roles(user, body)),
    )


@dataclass(frozen=True)
class OrderDetail:
    order: CommissionOrder
    seats: list[CommissionSeat]
    lineage: list[CommissionOrder]  # the original and every amendment, oldest first
    actions: list[str]


def order_detail(user: Any, body: StateBody, order_id: int) -> OrderDetail:
    access.require_read(user, body)
    order = CommissionOrder.objects.filter(body=body, pk=order_id).first()
    if order is None:
        raise Http404(_("No such commission order in this state body."))
    root = order.original_id or order.pk
    lineage = list(CommissionOrder.objects.filter(body=body).filter(Q(pk=root) | Q(original_id=root))
                   .order_by("revision", "pk"))
    seats = list(order.seats.order_by("ordinal", "pk"))
    roles = access.body_roles(user, body)
    actions = [tr.action for tr in workflow.available(workflow.ORDER, order.state, roles)
               if tr.action in ("edit", "issue")]
    if order.state == OrderState.ACTIVE and workflow.AUTHORIZED in roles:
        actions.append("amend")  # drafts an amending order (S1-p.59)
    return OrderDetail(order, seats, lineage, actions)


# -- meetings --------------------------------------------------------------------------------------

def meetings(user: Any, body: StateBody, *, cycle_id: int | None = None,
             states: list[str] | None = None) -> QuerySet[CommissionMeeting]:
    """The body's meetings, newest first, with item counts (one query)."""
    access.require_read(user, body)
    qs = CommissionMeeting.objects.filter(body=body)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if states:
        qs = qs.filter(state__in=states)
    return (qs.select_related("cycle", "order")
            .annotate(n_items=Count("items", filter=~Q(items__state=ItemState.WITHDRAWN)),
                      n_pending=Count("items", filter=Q(items__state=ItemState.PENDING)),
                      n_decided=Count("items", filter=Q(items__state=ItemState.DECIDED)))
            .order_by("-meeting_on", "-pk"))


@dataclass(frozen=True)
class LiveQuorum:
    """The quorum as the core computes it now: two thirds of the members, rounded up (S1-p.58)."""

    members: int
    present: int | None  # None before the attendance is recorded
    required: int
    fraction: str
    quorate: bool | None
    clause: str
    verified: bool


@dataclass(frozen=True)
class VoteView:
    seat: CommissionSeat
    choice: str
    corrected_result: str
    reason: str
    cast_at: dt.datetime
    changes: int


@dataclass(frozen=True)
class Tally:
    item: AgendaItem
    approve: int
    revise: int
    votes: list[VoteView]
    voters: list[CommissionSeat]  # the members present who vote on this item (the recused one left out)
    missing: list[CommissionSeat]  # of those, who has not voted yet
    recused: CommissionSeat | None
    quorum: LiveQuorum | None
    projected: str | None  # what the votes would decide now: APPROVE, REVISE, TIE_UNRESOLVED, NO_QUORUM; None
    projected_clause: str
    casting_vote: bool  # the chair's vote would break a tie
    corrected_proposals: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class NoticeView:
    by: dt.date
    rule: str
    clause: str
    lines: dict[str, list[str]]


@dataclass(frozen=True)
class MeetingDetail:
    meeting: CommissionMeeting
    order: CommissionOrder
    seats: list[CommissionSeat]
    attendance: dict[int, bool]  # seat id -> present (empty before the session opens)
    quorum: LiveQuorum
    items: list[Tally]
    notice: NoticeView
    protocol: Protocol | None
    roles: frozenset[str]
    actions: list[str]
    my_seat: CommissionSeat | None

    @property
    def voting_seats(self) -> list[CommissionSeat]:
        return [s for s in self.seats if s.votes]

    @property
    def secretary(self) -> CommissionSeat | None:
        return next((s for s in self.seats if s.role == SeatRole.SECRETARY), None)

    @property
    def chair(self) -> CommissionSeat | None:
        return next((s for s in self.seats if s.role == SeatRole.CHAIR), None)


def _live_quorum(meeting: CommissionMeeting, members: int, present: int | None) -> LiveQuorum:
    version = rules.version_named(meeting.methodology_version)
    decision = rules.quorum(version, members, present if present is not None else 0, meeting.meeting_on)
    return LiveQuorum(members=members, present=present, required=decision.details["required"],
                      fraction=decision.details["fraction"], quorate=bool(decision.value) if present is not None
                      else None, clause=decision.clause, verified=decision.verified)


def _tally(meeting: CommissionMeeting, item: AgendaItem, seats: list[CommissionSeat], present: dict[int, bool],
           votes: list[Vote]) -> Tally:
    voting = [s for s in seats if s.votes]
    recused = next((s for s in voting if s.servant_id and s.servant_id == item.participant.servant_id), None)
    base = [s for s in voting if recused is None or s.pk != recused.pk]
    opened = bool(present)
    voters = [s for s in base if present.get(s.pk)]
    by_seat = {v.seat_id: v for v in votes}
    seat_by_id = {s.pk: s for s in seats}
    views = [VoteView(seat_by_id[v.seat_id], v.choice, v.corrected_result, v.reason, v.cast_at, v.changes)
             for v in votes if v.seat_id in seat_by_id]
    missing = [s for s in voters if s.pk not in by_seat]
    quorum = _live_quorum(meeting, len(base), len(voters) if opened else None)
    projected, clause, casting = None, "", False
    if item.state == ItemState.DECIDED:
        projected = item.decision.upper()
        clause = item.decision_clause
        casting = item.casting_vote
    elif opened and not missing:
        try:
            version = rules.version_named(meeting.methodology_version)
            chair = next(s for s in voting if s.role == SeatRole.CHAIR)
            secretary = next((s for s in seats if s.role == SeatRole.SECRETARY), None)
            sitting = core.Sitting(members=tuple(_key(s.pk) for s in voting),
                                   present=tuple(_key(s.pk) for s in voting if present.get(s.pk)),
                                   chair=_key(chair.pk), secretary=_key(secretary.pk) if secretary else None)
            decided = core.count_votes(version, sitting, {_key(v.seat_id): v.choice for v in votes},
                                       _key(recused.pk) if recused else None, meeting.meeting_on)
            projected, clause = str(decided.value), decided.clause
            casting = bool(decided.details.get("casting_vote"))
        except MethodologyError:
            projected = None
    proposals: dict[str, int] = {}
    for v in votes:
        if v.corrected_result:
            proposals[v.corrected_result] = proposals.get(v.corrected_result, 0) + 1
    return Tally(item=item, approve=sum(1 for v in votes if v.choice == "approve"),
                 revise=sum(1 for v in votes if v.choice == "revise"), votes=views, voters=voters, missing=missing,
                 recused=recused, quorum=quorum, projected=projected, projected_clause=clause, casting_vote=casting,
                 corrected_proposals=proposals)


def _meeting(body: StateBody, meeting_id: int) -> CommissionMeeting:
    meeting = one_or_none(CommissionMeeting.objects.select_related("order", "cycle", "body")
                          .filter(body=body, pk=meeting_id))
    if meeting is None:
        raise Http404(_("No such commission meeting in this state body."))
    return meeting


def _seats(order_id: int) -> list[CommissionSeat]:
    return list(CommissionSeat.objects.filter(order_id=order_id).order_by("ordinal", "pk"))


def _actions(meeting: CommissionMeeting, roles: frozenset[str]) -> list[str]:
    # `seal` is never a button: the last signature fires it.
    return [tr.action for tr in workflow.available(workflow.MEETING, meeting.state, roles) if tr.action != "seal"]


def meeting_detail(user: Any, body: StateBody, meeting_id: int) -> MeetingDetail:
    access.require_read(user, body)
    meeting = _meeting(body, meeting_id)
    seats = _seats(meeting.order_id)
    attendance = dict(Attendance.objects.filter(meeting=meeting).values_list("seat_id", "present"))
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("participant").order_by("ordinal", "pk"))
    votes_by_item: dict[int, list[Vote]] = {}
    for v in Vote.objects.filter(item__meeting=meeting).order_by("seat__ordinal", "pk"):
        votes_by_item.setdefault(v.item_id, []).append(v)
    voting = [s for s in seats if s.votes]
    present = sum(1 for s in voting if attendance.get(s.pk)) if attendance else None
    quorum = _live_quorum(meeting, len(voting), present)
    tallies = [_tally(meeting, i, seats, attendance, votes_by_item.get(i.pk, [])) for i in items]
    roles = access.meeting_roles(user, body, meeting, seats)
    notice = NoticeView(meeting.notice_by, meeting.notice_rule, meeting.notice_clause,
                        (meeting.notice_explanation or {}).get("lines", {}))
    protocol = Protocol.objects.filter(meeting=meeting).first()
    return MeetingDetail(meeting=meeting, order=meeting.order, seats=seats, attendance=attendance, quorum=quorum,
                         items=tallies, notice=notice, protocol=protocol, roles=roles,
                         actions=_actions(meeting, roles), my_seat=access.seat_of(user, seats))


def tally_of(meeting: CommissionMeeting, item: AgendaItem, seats: list[CommissionSeat], attendance: dict[int, bool],
             votes: list[Vote]) -> Tally:
    """The tally of an item from records the caller already holds (a service that read them under the
    meeting's lock): `seats` of the meeting's order, `attendance` {seat id: present}, the item's
    `votes` in seat order. The caller has checked the reader may see it."""
    return _tally(meeting, item, seats, attendance, votes)


def item_tally(user: Any, body: StateBody, item_id: int) -> Tally:
    access.require_read(user, body)
    item = one_or_none(AgendaItem.objects.select_related("participant", "meeting").filter(body=body, pk=item_id))
    if item is None:
        raise Http404(_("No such agenda item in this state body."))
    meeting = item.meeting
    seats = _seats(meeting.order_id)
    attendance = dict(Attendance.objects.filter(meeting=meeting).values_list("seat_id", "present"))
    votes = list(Vote.objects.filter(item=item).order_by("seat__ordinal", "pk"))
    return _tally(meeting, item, seats, attendance, votes)


# -- the protocol ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SignatureStatus:
    signature: ProtocolSignature
    valid: bool  # signed the protocol's current content


@dataclass(frozen=True)
class ProtocolView:
    protocol: Protocol
    meeting: CommissionMeeting
    content: dict[str, Any]
    current_valid: bool  # the stored content is what the meeting's records give now
    signatures: list[SignatureStatus]
    required: list[CommissionSeat]  # the chair and members present, and the secretary (after the sitting)
    missing: list[CommissionSeat]
    approved_on: dt.date | None
    approved_by_name: str

    @property
    def complete(self) -> bool:
        return bool(self.required) and not self.missing

    @property
    def valid(self) -> bool:
        """Every required signature is there and matches the current content."""
        return self.current_valid and self.complete and all(s.valid for s in self.signatures)


def protocol(user: Any, body: StateBody, meeting_id: int) -> ProtocolView:
    access.require_read(user, body)
    meeting = _meeting(body, meeting_id)
    found = Protocol.objects.filter(meeting=meeting).first()
    if found is None:
        raise Http404(_("No protocol has been prepared for this meeting yet."))
    final = found.state == ProtocolState.FINAL
    current = canonical(protocol_content(meeting, found.number, final=final))
    digest = sha256(current)
    signatures = [SignatureStatus(s, s.content_sha256 == digest)
                  for s in ProtocolSignature.objects.filter(protocol=found).order_by("signed_at", "pk")]
    required: list[CommissionSeat] = []
    if final:
        rows = Attendance.objects.filter(meeting=meeting).select_related("seat").order_by("seat__ordinal", "pk")
        required = [a.seat for a in rows if a.present or a.seat.role == SeatRole.SECRETARY]
    signed = {s.signature.seat_id for s in signatures if s.signature.role != SignatureRole.AUTHORIZED}
    return ProtocolView(protocol=found, meeting=meeting, content=json.loads(found.content),
                        current_valid=found.content_sha256 == digest, signatures=signatures, required=required,
                        missing=[s for s in required if s.pk not in signed], approved_on=found.approved_on,
                        approved_by_name=found.approved_by_name)


# -- queues ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VoteTask:
    item: AgendaItem  # with .participant and .meeting
    seat: CommissionSeat


def my_votes_to_cast(user: Any, body: StateBody) -> list[VoteTask]:
    """Items of sittings in session where the user is present, may vote, and has not voted yet."""
    access.require_read(user, body)
    rows = list(Attendance.objects.filter(meeting__body=body, meeting__state=MeetingState.IN_SESSION, present=True,
                                          seat__user_id=user.pk, seat__role__in=[SeatRole.CHAIR, SeatRole.MEMBER])
                .select_related("seat"))
    if not rows:
        return []
    seat_by_meeting = {a.meeting_id: a.seat for a in rows}
    items = list(AgendaItem.objects.filter(body=body, meeting_id__in=seat_by_meeting, state=ItemState.PENDING)
                 .select_related("participant", "meeting").order_by("meeting__meeting_on", "ordinal", "pk"))
    voted = set(Vote.objects.filter(item__in=items, seat_id__in=[s.pk for s in seat_by_meeting.values()])
                .values_list("item_id", flat=True))
    tasks = []
    for item in items:
        seat = seat_by_meeting[item.meeting_id]
        if item.pk in voted or (seat.servant_id and seat.servant_id == item.participant.servant_id):
            continue
        tasks.append(VoteTask(item, seat))
    return tasks


def approval_queue(user: Any, body: StateBody) -> QuerySet[CommissionMeeting]:
    """Meetings whose protocol is signed and waits for the authorized person's approval (S1-p.67)."""
    access.require_authorized(user, body, action=_("view the results awaiting approval"))
    return (CommissionMeeting.objects.filter(body=body, state=MeetingState.PROTOCOL_SIGNED)
            .select_related("cycle", "order", "protocol")
            .annotate(n_decided=Count("items", filter=Q(items__state=ItemState.DECIDED)),
                      n_revised=Count("items", filter=Q(items__decision="revise")))
            .order_by("meeting_on", "pk"))


def final_results(user: Any, body: StateBody, *, cycle_id: int | None = None) -> QuerySet[FinalResult]:
    """Approved results: the only final ones (S1-p.67)."""
    if not access.is_authorized_person(user, body):
        require_role(user, body, RESULT_READERS, action=_("view the final evaluation results"))
    qs = FinalResult.objects.filter(body=body)
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    return qs.select_related("participant", "protocol").order_by("participant__unit_code", "participant__servant_name",
                                                                  "pk")


__all__ = [
    "CommissionView", "LiveQuorum", "MeetingDetail", "NoticeView", "OrderDetail", "ProtocolView",
    "SignatureStatus", "Tally", "VoteTask", "VoteView", "approval_queue", "commission", "final_results",
    "item_tally", "meeting_detail", "meetings", "my_votes_to_cast", "order_detail", "protocol", "tally_of",
]
