"""The open vote per servant and the decision counted from it (S1-p.60-62, p.65-66; Q-09, Q-16).

* Each member present votes openly on each item: "approve", or "revise" with the corrected result
  (one of the version's rating codes) and the reason (S1-p.66, spec 7). A member may change his
  vote until the decision is recorded; there is no abstention (Q-09).
* Refused, and recorded in the audit trail as ``commission.vote_refused`` with the reason, even
  though nothing else is written: a vote by the secretary (S1-p.62), by someone not on the
  commission, by a member not present, by the member whose own result the item is (recusal, Q-16),
  and any vote while the sitting has no quorum for the item (S1-p.58).
* The secretary records the decision: the core counts the votes (`count_votes`): a majority of the
  votes cast by the members present, the chair's vote deciding a tie (S1-p.61), the evaluated
  member left out of both the vote and the quorum base. No quorum, a tie the chair did not vote
  in, or a member present who has not voted: nothing is recorded and the item stays pending. On
  "revise" the corrected result is the one most revising members gave (the chair's on a tie
  between values); the original result is kept beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, rules, workflow
from bagalau.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMeeting,
    CommissionSeat,
    ItemDecision,
    ItemState,
    MeetingState,
    SeatRole,
    Vote,
)
from bagalau.commission.services._base import lock_item, seats_of, text_field
from bagalau.cycles import clock
from bagalau.methodology import commission as core
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import StateBody


def key(seat: CommissionSeat | int) -> str:
    """The id the core knows a seat by."""
    return f"s{seat if isinstance(seat, int) else seat.pk}"


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str
    clause: str
    quorum: bool = False

    def error(self) -> Exception:
        if self.quorum:
            return ValidationError({"quorum": self.message}, code=self.code)
        return PermissionDenied(self.message)


@dataclass(frozen=True)
class ItemSitting:
    """Who sits on one item: the voting seats, those present, the recused member (if any)."""

    seats: list[CommissionSeat]
    present: set[int]
    recused: CommissionSeat | None

    @property
    def voting(self) -> list[CommissionSeat]:
        return [s for s in self.seats if s.votes]

    @property
    def chair(self) -> CommissionSeat:
        return next(s for s in self.seats if s.role == SeatRole.CHAIR)

    @property
    def secretary(self) -> CommissionSeat:
        return next(s for s in self.seats if s.role == SeatRole.SECRETARY)

    @property
    def base(self) -> list[CommissionSeat]:
        """The quorum base for this item: the members, the recused one left out (Q-16)."""
        return [s for s in self.voting if self.recused is None or s.pk != self.recused.pk]

    @property
    def present_base(self) -> list[CommissionSeat]:
        return [s for s in self.base if s.pk in self.present]

    def core(self) -> core.Sitting:
        return core.Sitting(members=tuple(key(s) for s in self.voting),
                            present=tuple(key(s) for s in self.voting if s.pk in self.present),
                            chair=key(self.chair), secretary=key(self.secretary))


def sitting_for(item: AgendaItem, meeting: CommissionMeeting, seats: list[CommissionSeat] | None = None,
                present: set[int] | None = None) -> ItemSitting:
    if seats is None:
        seats = seats_of(meeting.order_id)
    if present is None:
        present = set(Attendance.objects.filter(meeting=meeting, present=True).values_list("seat_id", flat=True))
    recused = next((s for s in seats if s.votes and s.servant_id and s.servant_id == item.participant.servant_id),
                   None)
    return ItemSitting(seats, present, recused)


def item_quorum(version: MethodologyVersion, sitting: ItemSitting, meeting: CommissionMeeting) -> dict[str, Any]:
    decision = rules.quorum(version, len(sitting.base), len(sitting.present_base), meeting.meeting_on)
    return {"members": len(sitting.base), "present": len(sitting.present_base),
            "required": decision.details["required"], "quorate": bool(decision.value), "clause": decision.clause,
            "recused": sitting.recused.pk if sitting.recused else None}


def _refusal(version: MethodologyVersion, seat: CommissionSeat | None, roles: frozenset[str], item: AgendaItem,
             meeting: CommissionMeeting, sitting: ItemSitting) -> Refusal | None:
    if seat is not None and seat.role == SeatRole.SECRETARY:
        return Refusal("secretary", _("The secretary keeps the protocol and does not vote (%(clause)s).")
                       % {"clause": rules.clause(version, "commission.secretary_votes")},
                       rules.clause(version, "commission.secretary_votes"))
    if workflow.MEMBER not in roles or seat is None:
        clause = rules.clause(version, "commission.voting")
        return Refusal("not_member", _("Only the chair and the members of the commission vote (%(clause)s).")
                       % {"clause": clause}, clause)
    if meeting.state != MeetingState.IN_SESSION:
        raise workflow.IllegalTransition(workflow.MEETING, meeting.state, "vote", roles)
    workflow.fire(workflow.ITEM, item.state, "vote", roles)
    clause = rules.clause(version, "commission.voting")
    if seat.pk not in sitting.present:
        return Refusal("absent", _("You are not recorded as present at this sitting; only the members present vote "
                                   "(%(clause)s).") % {"clause": clause}, clause)
    if sitting.recused is not None and sitting.recused.pk == seat.pk:
        recusal_clause = rules.clause(version, "commission.member_under_evaluation", "commission.voting")
        return Refusal("recused", _("This is your own evaluation result: a member does not vote on it (%(clause)s, "
                                    "Q-16).") % {"clause": recusal_clause}, recusal_clause)
    q = item_quorum(version, sitting, meeting)
    if not q["quorate"]:
        return Refusal("no_quorum", _("No quorum: %(present)s of %(members)s members present, %(required)s needed "
                                      "(%(clause)s). The sitting can decide nothing.") % q, q["clause"], quorum=True)
    return None


@dataclass(frozen=True)
class CastVote:
    """A vote as cast, with what was read under the meeting's lock to check it: the item, its
    meeting, the order's seats, the attendance ({seat id: present}) and every vote on the item in
    seat order (the cast one included), enough to show the item's tally without reading it again."""

    vote: Vote
    item: AgendaItem
    meeting: CommissionMeeting
    seats: list[CommissionSeat]
    attendance: dict[int, bool]
    votes: list[Vote]


def cast_vote(actor: Any, body: StateBody, item_id: int, *, choice: str, corrected_result: str = "",
              reason: str = "") -> Vote:
    """A member's open vote on an item (changing his earlier vote on it, if any).

    Refused with PermissionDenied (secretary, not a member, absent, recused) or a ValidationError
    on "quorum" (no quorum), each also recorded as ``commission.vote_refused``; IllegalTransition
    when the sitting is not in session or the item is no longer pending; ValidationError naming
    the field for a bad choice, corrected result or reason."""
    return cast_open_vote(actor, body, item_id, choice=choice, corrected_result=corrected_result, reason=reason).vote


def _roles(actor: Any, body: StateBody, meeting: CommissionMeeting, item: AgendaItem,
           seats: list[CommissionSeat]) -> frozenset[str]:
    """The actor's roles on the meeting. A member's vote in a sitting in session on an item open to
    votes rests on his seat alone, so the body roles (HR, authorized person: a query) are only read
    when the vote is going to be refused, where the refusal names every role held."""
    held = frozenset(access.seat_roles(actor, seats))
    transition = workflow.ITEM_TABLE.get(item.state, "vote")
    if meeting.state == MeetingState.IN_SESSION and transition is not None and transition.roles & held:
        return held
    return access.meeting_roles(actor, body, meeting, seats)


def cast_open_vote(actor: Any, body: StateBody, item_id: int, *, choice: str, corrected_result: str = "",
                   reason: str = "") -> CastVote:
    """`cast_vote`, answering also what the tally of the item is made of (see CastVote)."""
    with transaction.atomic():
        item, meeting = lock_item(body, item_id, meeting_changes=False)  # a vote writes only its item's rows
        # The seats' own fields are all a vote and its tally read (no servant record joined).
        seats = list(CommissionSeat.objects.filter(order_id=meeting.order_id).order_by("ordinal", "pk"))
        roles = _roles(actor, body, meeting, item, seats)
        seat = access.seat_of(actor, seats)
        version = rules.version_named(meeting.methodology_version)
        # Unordered: the model's ordering joins the seats, which a mapping does not need.
        attendance = dict(Attendance.objects.filter(meeting=meeting).order_by().values_list("seat_id", "present"))
        sitting = sitting_for(item, meeting, seats, {pk for pk, here in attendance.items() if here})
        refusal = _refusal(version, seat, roles, item, meeting, sitting)
        if refusal is None:
            assert seat is not None
            # Every vote on the item, in the order the tally lists them (seat order, then row): the
            # member's own earlier vote is among them.
            ordinal = {s.pk: s.ordinal for s in seats}
            votes = sorted(Vote.objects.filter(item=item).order_by(), key=lambda v: (ordinal.get(v.seat_id, 0), v.pk))
            vote = _cast(actor, body, version, item, meeting, seat, choice, corrected_result, reason,
                         next((v for v in votes if v.seat_id == seat.pk), None))
            # The time as the database gives it back (UTC), so the tally reads as a fresh read would.
            vote.cast_at = vote.cast_at.astimezone(dt.UTC)
            if all(v.pk != vote.pk for v in votes):
                votes = sorted([*votes, vote], key=lambda v: (ordinal.get(v.seat_id, 0), v.pk))
            return CastVote(vote, item, meeting, seats, attendance, votes)
        held = next((r for r in (workflow.SECRETARY, workflow.MEMBER, workflow.CHAIR, workflow.HR, workflow.AUTHORIZED)
                     if r in roles), "none")
        record_event(action="commission.vote_refused", obj=item, actor=actor, role=held, body_id=body.pk,
                     from_state=item.state, to_state=item.state, clause=refusal.clause,
                     payload={"reason": refusal.code, "message": refusal.message, "meeting": meeting.pk,
                              "seat": seat.pk if seat else None, "choice": str(choice)[:20]})
    # Outside the block: the refusal's audit event is committed, then the caller gets the error.
    raise refusal.error()


def _cast(actor: Any, body: StateBody, version: MethodologyVersion, item: AgendaItem, meeting: CommissionMeeting,
          seat: CommissionSeat, choice: Any, corrected_result: Any, reason: Any, vote: Vote | None) -> Vote:
    """Validate and store the vote; `vote` is the member's earlier vote on the item, if any."""
    options = rules.decision_options(version)
    clause = rules.clause(version, "commission.voting")
    if choice not in options:
        raise ValidationError({"choice": _("Vote %(options)s (%(clause)s); there is no abstention (Q-09).")
                               % {"options": _(" or ").join(options), "clause": clause}})
    corrected = text_field(corrected_result, "corrected_result", max_length=30)
    reason = text_field(reason, "reason")
    if choice == ItemDecision.REVISE:
        check = rules.check_revision(version, corrected, reason, meeting.meeting_on)
        errors: dict[str, str] = {}
        for p in check.problems:
            if p.code == "revision_rating":
                errors["corrected_result"] = _("A vote to revise gives the corrected result, one of %(codes)s "
                                               "(%(clause)s).") % {"codes": ", ".join(rules.rating_codes(version)),
                                                                  "clause": p.clause}
            elif p.code == "revision_justification":
                errors["reason"] = _("A vote to revise gives its reason (%(clause)s).") % {"clause": p.clause}
            else:
                errors.setdefault(p.field, f"{p.message} ({p.clause})")
        if not errors and corrected == item.original_result:
            errors["corrected_result"] = _("The corrected result is the original result %(original)s: vote to approve "
                                           "instead.") % {"original": item.original_result}
        if errors:
            raise ValidationError(errors)
    elif corrected:
        raise ValidationError({"corrected_result": _("A vote to approve carries no corrected result.")})
    previous = None
    if vote is None:
        vote = Vote(item=item, body=body, seat=seat, user=actor)
    else:
        previous = {"choice": vote.choice, "corrected_result": vote.corrected_result, "reason": vote.reason}
        if previous == {"choice": choice, "corrected_result": corrected, "reason": reason}:
            return vote
        vote.changes += 1
    vote.choice, vote.corrected_result, vote.reason, vote.cast_at = choice, corrected, reason, clock.now()
    vote.save()
    role = workflow.CHAIR if seat.role == SeatRole.CHAIR else workflow.MEMBER
    record_event(action="commission.item.vote", obj=item, actor=actor, role=role, body_id=body.pk,
                 from_state=item.state, to_state=item.state, clause=clause,
                 payload={"meeting": meeting.pk, "seat": seat.pk, "choice": choice, "corrected_result": corrected,
                          "reason": reason, "previous": previous})
    return vote


@transaction.atomic
def record_decision(actor: Any, body: StateBody, item_id: int) -> AgendaItem:
    """The secretary records the decision on an item, counted by the core from the votes."""
    item, meeting = lock_item(body, item_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    access.require(roles, workflow.ITEM_TABLE.roles_for("decide"), action=_("record the commission's decision"))
    if meeting.state != MeetingState.IN_SESSION:
        raise workflow.IllegalTransition(workflow.MEETING, meeting.state, "decide", roles)
    transition, role = workflow.fire(workflow.ITEM, item.state, "decide", roles)
    version = rules.version_named(meeting.methodology_version)
    sitting = sitting_for(item, meeting, seats)
    votes = list(Vote.objects.filter(item=item))
    by_seat = {v.seat_id: v for v in votes}
    q = item_quorum(version, sitting, meeting)
    if not q["quorate"]:
        raise ValidationError({"quorum": _("No quorum: %(present)s of %(members)s members present, %(required)s "
                                           "needed (%(clause)s). No decision can be recorded.") % q})
    silent = [s for s in sitting.present_base if s.pk not in by_seat]
    if silent:
        raise ValidationError({"votes": _("No vote yet from %(names)s: every member present votes, there is no "
                                          "abstention (Q-09).") % {"names": ", ".join(s.name for s in silent)}})
    counted = {key(v.seat_id): v.choice for v in votes}
    decided = rules.count_votes(version, sitting.core(), counted,
                                key(sitting.recused) if sitting.recused else None, meeting.meeting_on)
    tally = dict(decided.details.get("tally", {}))
    if decided.value == core.NO_QUORUM:
        raise ValidationError({"quorum": _("No quorum (%(clause)s). No decision can be recorded.")
                               % {"clause": decided.clause}})
    if decided.value == core.TIE_UNRESOLVED:
        raise ValidationError({"votes": _(
            "The vote is tied (%(approve)s to approve, %(revise)s to revise) and the chair did not vote: only the "
            "chair's vote decides a tie (%(clause)s). The item stays undecided; withdraw it to a later meeting.")
            % {"approve": tally.get("approve", sum(1 for v in votes if v.choice == "approve")),
               "revise": tally.get("revise", sum(1 for v in votes if v.choice == "revise")),
               "clause": decided.clause}})
    choice = ItemDecision.APPROVE if decided.value == "APPROVE" else ItemDecision.REVISE
    corrected, by_chair = "", False
    reasons: list[dict[str, Any]] = []
    detail = decided.as_dict()
    if choice == ItemDecision.REVISE:
        revising = {key(v.seat_id): v.corrected_result for v in votes if v.choice == ItemDecision.REVISE
                    and (sitting.recused is None or v.seat_id != sitting.recused.pk)}
        value, by_chair = rules.correction(revising, key(sitting.chair))
        if value is None:
            proposals = ", ".join(sorted(set(revising.values())))
            raise ValidationError({"corrected_result": _(
                "The commission decided to revise, but the members voting to revise gave different corrected results "
                "(%(values)s) and the chair's does not settle it: they vote again on the corrected result.")
                % {"values": proposals}})
        corrected = value
        names = {s.pk: s.name for s in seats}
        reasons = [{"seat": v.seat_id, "name": names.get(v.seat_id, ""), "corrected_result": v.corrected_result,
                    "reason": v.reason} for v in votes if v.choice == ItemDecision.REVISE]
        detail["correction"] = {"value": value, "by_chair": by_chair,
                                "clause": rules.clause(version, "commission.revision_record",
                                                       "commission.decision_options")}
    for_ = tally.get(choice.value, 0)
    against = sum(tally.values()) - for_
    item.state = transition.target
    item.last_action = "decide"
    item.decision = choice
    item.corrected_result = corrected
    item.decision_clause = decided.clause
    item.decision_detail = detail
    item.votes_for, item.votes_against = for_, against
    item.casting_vote = bool(decided.details.get("casting_vote"))
    item.recused_seat = sitting.recused
    item.revision_reasons = reasons
    item.decided_at, item.decided_by = clock.now(), actor
    item.save()
    record_event(action="commission.item.decide", obj=item, actor=actor, role=role, body_id=body.pk,
                 from_state=ItemState.PENDING, to_state=item.state, clause=decided.clause,
                 payload={"meeting": meeting.pk, "participant": item.participant_id, "decision": choice.value,
                          "original_result": item.original_result, "corrected_result": corrected,
                          "votes_for": for_, "votes_against": against, "casting_vote": item.casting_vote,
                          "recused_seat": item.recused_seat_id, "quorum": q, "verified": decided.verified})
    meeting.version += 1
    meeting.updated_by = actor
    meeting.save(update_fields=["version", "updated_by", "updated_at"])
    return item


__all__ = ["CastVote", "cast_open_vote", "cast_vote", "item_quorum", "key", "record_decision", "sitting_for"]
