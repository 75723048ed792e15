"""Scheduling and running a sitting: S1-p.57-58, p.63-64.

* HR proposes a date (a working day) and a place for a launched cycle; the agenda is every KPI
  sheet of the cycle in state "submitted_to_commission" and not on another live agenda. The chair
  consents (S1-p.57, p.63). The evaluated servants and their evaluators must be notified no later
  than `commission_notice_by` working days before the meeting, counted back on the calendar
  (S1-p.57, Q-06): a date whose last notice day has already passed is refused when proposed, and
  again when the chair consents (the notices go out on his consent), with the last allowed day
  and the rule in the message.
* HR prepares the draft protocol before the meeting (S1-p.64); the session cannot open without it
  and the sheets.
* On the meeting date the secretary opens the session with the attendance; the quorum (two thirds
  of the members, rounded up, S1-p.58) is computed by the core and kept. A sitting without quorum
  decides nothing (votes and decisions are refused) and is cancelled.
* When every item is decided (or withdrawn to a later meeting), the secretary closes the sitting:
  the protocol is generated from the meeting and the signatories get their work item.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, notices, rules, workflow
from bagalau.commission.content import canonical, protocol_content, sha256
from bagalau.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    ItemMethod,
    ItemState,
    MeetingState,
    OrderState,
    Protocol,
    ProtocolState,
    SeatRole,
    Vote,
)
from bagalau.commission.services import sources
from bagalau.commission.services._base import (
    begin,
    date_field,
    finish,
    lock_item,
    lock_meeting,
    seats_of,
    show,
    text_field,
)
from bagalau.cycles import clock
from bagalau.cycles.models import CycleState, EvaluationCycle, KpiSheet, SheetState
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import Role, StateBody
from bagalau.workflow import clause_of

# -- the date --------------------------------------------------------------------------------------


def _check_date(body: StateBody, meeting_on: Any) -> tuple[dt.date, MethodologyVersion, rules.Due]:
    """The meeting date checked: a working day after today whose notice day has not passed."""
    on = date_field(meeting_on, "meeting_on")
    today = clock.today()
    if on <= today:
        raise ValidationError({"meeting_on": _("The meeting must be on a later day than today (%(today)s).")
                               % {"today": show(today)}})
    version = rules.version_on(body, on, field="meeting_on")
    working, reason = rules.working_day(on)
    if not working:
        raise ValidationError({"meeting_on": _("%(date)s is not a working day (%(reason)s); choose a working day.")
                               % {"date": show(on), "reason": reason.replace("_", " ")}})
    notice = rules.notice_due(version, on)
    refuse_if_too_late(version, on, notice, today)
    return on, version, notice


def refuse_if_too_late(version: MethodologyVersion, meeting_on: dt.date, notice: rules.Due, today: dt.date) -> None:
    """ValidationError on `meeting_on` when today is after the last notice day (S1-p.57)."""
    if today <= notice.on:
        return
    amount = version.param(f"deadlines.{rules.NOTICE_RULE}").value["amount"]
    raise ValidationError({"meeting_on": _(
        "Too late to notify for a meeting on %(date)s: the evaluated servants and their evaluators must be notified "
        "no later than %(notice_by)s, %(amount)s working days before the meeting counted back on the working-day "
        "calendar (%(clause)s), and today is %(today)s. Choose a later date.") % {
        "date": show(meeting_on), "notice_by": show(notice.on), "amount": amount, "clause": notice.clause,
        "today": show(today)}})


# -- the agenda ------------------------------------------------------------------------------------


def _waiting_sheets(body: StateBody, cycle_id: int) -> list[KpiSheet]:
    """The cycle's sheets at the commission's door and on no live agenda (S1-p.56)."""
    taken = AgendaItem.objects.filter(body=body, sheet__isnull=False).exclude(state=ItemState.WITHDRAWN)
    return list(KpiSheet.objects.filter(body=body, cycle_id=cycle_id, state=SheetState.SUBMITTED_TO_COMMISSION)
                .exclude(pk__in=taken.values("sheet_id")).select_related("participant")
                .order_by("participant__unit_code", "-participant__is_head_of_unit", "participant__servant_name",
                          "pk"))


def _add_items(meeting: CommissionMeeting, sheets: list[KpiSheet]) -> list[AgendaItem]:
    start = (AgendaItem.objects.filter(meeting=meeting).order_by("-ordinal").values_list("ordinal", flat=True)
             .first() or 0)
    items = [AgendaItem(meeting=meeting, body_id=meeting.body_id, participant=s.participant, sheet=s,
                        method=ItemMethod.KPI, ordinal=start + i, original_result=s.rating,
                        original_clause=s.rating_clause)
             for i, s in enumerate(sheets, start=1)]
    return AgendaItem.objects.bulk_create(items)


def _notify_evaluators(body: StateBody, meeting: CommissionMeeting, items: Sequence[AgendaItem]) -> int:
    """Notices to each evaluated servant, his direct manager and his sheet reviewer (S1-p.57)."""
    sent = 0
    from bagalau.orgs.models import Servant

    participants = [i.participant for i in items]
    ids = {sid for p in participants for sid in (p.servant_id, p.direct_manager_id, p.sheet_reviewer_id) if sid}
    servants = {s.pk: s for s in Servant.objects.filter(pk__in=ids, body=body).select_related("user")}
    for p in participants:
        for sid in dict.fromkeys(x for x in (p.servant_id, p.direct_manager_id, p.sheet_reviewer_id) if x):
            servant = servants.get(sid)
            if servant is not None and notices.meeting_notice(body=body, meeting=meeting, servant=servant,
                                                              subject_name=p.servant_name, subject_id=p.servant_id,
                                                              clause=meeting.notice_clause):
                sent += 1
    return sent


def _chair(seats: list[CommissionSeat]) -> CommissionSeat:
    return next(s for s in seats if s.role == SeatRole.CHAIR)


def _secretary(seats: list[CommissionSeat]) -> CommissionSeat:
    return next(s for s in seats if s.role == SeatRole.SECRETARY)


# -- proposing and scheduling ----------------------------------------------------------------------


@transaction.atomic
def propose_meeting(actor: Any, body: StateBody, *, cycle_id: int, meeting_on: Any, place: str = ""
                    ) -> CommissionMeeting:
    """HR proposes a sitting for a launched cycle; the chair gets the consent item, due on the
    last notice day."""
    access.require(access.body_roles(actor, body), {workflow.HR}, action=_("propose a commission meeting"))
    cycle = EvaluationCycle.objects.filter(body=body, pk=cycle_id).first()
    if cycle is None:
        raise Http404(_("No such cycle in this state body."))
    if cycle.state != CycleState.LAUNCHED:
        raise ValidationError({"cycle": _("The commission meets for a launched cycle; this one is %(state)s.")
                               % {"state": cycle.get_state_display()}})
    order = CommissionOrder.objects.filter(body=body, state=OrderState.ACTIVE).first()
    if order is None:
        raise ValidationError({"order": _("The commission has not been formed: the authorized person has issued no "
                                          "order in force.")})
    place = text_field(place, "place", max_length=300)
    on, version, notice = _check_date(body, meeting_on)
    sheets = _waiting_sheets(body, cycle.pk)
    others = sources.waiting(body, cycle.pk)  # e.g. ranking results submitted by HR
    if not sheets and not others:
        raise ValidationError({"agenda": _("No KPI evaluation sheet of this cycle is waiting for the commission: "
                                           "none has been submitted to it, or all are on another meeting's agenda.")})
    meeting = CommissionMeeting.objects.create(
        body=body, cycle=cycle, order=order, meeting_on=on, place=place, state=MeetingState.PROPOSED,
        last_action="propose", methodology_version=version.id, notice_by=notice.on, notice_rule=notice.rule,
        notice_clause=notice.clause, notice_explanation=notice.explanation, proposed_at=clock.now(),
        proposed_by=actor, updated_by=actor,
    )
    items = _add_items(meeting, sheets) + sources.add_items(meeting, others)
    chair = _chair(seats_of(order.pk))
    notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.CONSENT, user=chair.user,
                          due=notice.on, due_rule=notice.rule, due_clause=notice.clause,
                          due_explanation=notice.explanation)
    record_event(action="commission.meeting.propose", obj=meeting, actor=actor, role=workflow.HR, body_id=body.pk,
                 to_state=meeting.state, clause=notice.clause,
                 payload={"version": meeting.version, "cycle": cycle.pk, "order": order.pk,
                          "meeting_on": on.isoformat(), "place": place, "notice_by": notice.on.isoformat(),
                          "notice_rule": notice.rule, "items": [i.participant_id for i in items],
                          "methodology_version": version.id})
    return meeting


@transaction.atomic
def reschedule_meeting(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int, meeting_on: Any,
                       place: str | None = None) -> CommissionMeeting:
    """HR moves a proposed or scheduled sitting to another date: it needs the chair's consent again."""
    meeting = lock_meeting(body, meeting_id)
    move = begin(meeting, doc_type=workflow.MEETING, action="reschedule", roles=access.body_roles(actor, body),
                 label=_("move the commission meeting"), expected_version=expected_version)
    new_place = meeting.place if place is None else text_field(place, "place", max_length=300)
    old_date = meeting.meeting_on
    on, version, notice = _check_date(body, meeting_on)
    chair = _chair(seats_of(meeting.order_id))
    finish(move, actor=actor, body=body, version=version,
           update={"meeting_on": on, "place": new_place, "methodology_version": version.id, "notice_by": notice.on,
                   "notice_rule": notice.rule, "notice_clause": notice.clause,
                   "notice_explanation": notice.explanation, "consented_at": None, "consented_by": None,
                   "consent_clause": ""},
           payload={"from_date": old_date.isoformat(), "meeting_on": on.isoformat(), "place": new_place,
                    "notice_by": notice.on.isoformat()})
    for code in (notices.CONSENT, notices.ATTEND, notices.DOCUMENTS):
        notices.close(meeting, code, actor=actor)
    notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.CONSENT, user=chair.user,
                          due=notice.on, due_rule=notice.rule, due_clause=notice.clause,
                          due_explanation=notice.explanation)
    return meeting


@transaction.atomic
def consent_to_meeting(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int) -> CommissionMeeting:
    """The chair agrees the date (S1-p.57, p.63): the meeting is scheduled, the evaluated servants
    and their evaluators are notified, the members and HR get their items for the meeting date."""
    meeting = lock_meeting(body, meeting_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    move = begin(meeting, doc_type=workflow.MEETING, action="consent", roles=roles,
                 label=_("agree the commission meeting date"), expected_version=expected_version)
    if move.repeated:
        return meeting
    version = rules.version_named(meeting.methodology_version)
    today = clock.today()
    notice = rules.Due(meeting.notice_by, meeting.notice_rule, meeting.notice_clause, meeting.notice_explanation)
    refuse_if_too_late(version, meeting.meeting_on, notice, today)
    items = list(AgendaItem.objects.filter(meeting=meeting, state=ItemState.PENDING).select_related("participant"))
    consent_clause = clause_of(version, move.transition) if move.transition else ""
    sent = _notify_evaluators(body, meeting, items)
    finish(move, actor=actor, body=body, version=version,
           update={"consented_at": clock.now(), "consented_by": actor, "consent_clause": consent_clause,
                   "notified_at": clock.now()},
           payload={"meeting_on": meeting.meeting_on.isoformat(), "notice_by": meeting.notice_by.isoformat(),
                    "notified_on": today.isoformat(), "notices_queued": sent})
    notices.close(meeting, notices.CONSENT, actor=actor)
    for seat in seats:
        if seat.votes:
            notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.ATTEND, user=seat.user,
                                  due=meeting.meeting_on, due_rule=notices.MEETING_DATE_RULE,
                                  due_clause=consent_clause)
            notices.member_notice(body=body, meeting=meeting, user=seat.user, servant=seat.servant, count=len(items))
    if not Protocol.objects.filter(meeting=meeting).exists():
        secretary = _secretary(seats)
        notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.DOCUMENTS, user=secretary.user,
                              role=Role.HR, due=meeting.meeting_on, due_rule=notices.MEETING_DATE_RULE,
                              due_clause=rules.clause(version, "commission.documents",
                                                      "deadlines.hr_to_commission_due"))
    return meeting


@transaction.atomic
def refresh_agenda(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int) -> CommissionMeeting:
    """HR adds the sheets submitted since the meeting was proposed. On a scheduled meeting the new
    evaluators are notified, so the notice day must not have passed (S1-p.57)."""
    meeting = lock_meeting(body, meeting_id)
    move = begin(meeting, doc_type=workflow.MEETING, action="agenda", roles=access.body_roles(actor, body),
                 label=_("update the commission's agenda"), expected_version=expected_version)
    version = rules.version_named(meeting.methodology_version)
    sheets = _waiting_sheets(body, meeting.cycle_id)
    others = sources.waiting(body, meeting.cycle_id)
    if not sheets and not others:
        return meeting
    if meeting.state == MeetingState.SCHEDULED:
        notice = rules.Due(meeting.notice_by, meeting.notice_rule, meeting.notice_clause, meeting.notice_explanation)
        refuse_if_too_late(version, meeting.meeting_on, notice, clock.today())
    items = _add_items(meeting, sheets) + sources.add_items(meeting, others)
    items = list(AgendaItem.objects.filter(pk__in=[i.pk for i in items]).select_related("participant"))
    sent = _notify_evaluators(body, meeting, items) if meeting.state == MeetingState.SCHEDULED else 0
    finish(move, actor=actor, body=body, version=version,
           payload={"added": [i.participant_id for i in items], "notices_queued": sent})
    return meeting


@transaction.atomic
def prepare_draft_protocol(actor: Any, body: StateBody, meeting_id: int) -> Protocol:
    """HR prepares the draft protocol (Annex 3) from the agenda before the meeting (S1-p.64);
    preparing it again after the agenda changed refreshes it."""
    meeting = lock_meeting(body, meeting_id)
    move = begin(meeting, doc_type=workflow.MEETING, action="prepare_protocol", roles=access.body_roles(actor, body),
                 label=_("prepare the draft protocol"), versioned=False)
    version = rules.version_named(meeting.methodology_version)
    protocol = Protocol.objects.filter(meeting=meeting).first()
    number = protocol.number if protocol else _next_number(body, meeting.meeting_on)
    text = canonical(protocol_content(meeting, number, final=False))
    if protocol is not None and protocol.content == text:
        return protocol
    if protocol is None:
        protocol = Protocol(meeting=meeting, body=body, number=number)
    protocol.state = ProtocolState.DRAFT
    protocol.content, protocol.content_sha256 = text, sha256(text)
    protocol.prepared_at, protocol.prepared_by = clock.now(), actor
    protocol.save()
    finish(move, actor=actor, body=body, version=version, event="commission.protocol.prepare",
           payload={"protocol": protocol.pk, "number": number, "sha256": protocol.content_sha256})
    notices.close(meeting, notices.DOCUMENTS, actor=actor)
    return protocol


def _next_number(body: StateBody, on: dt.date) -> str:
    """"<year>/<n>": the n-th protocol of the body dated in that year."""
    n = Protocol.objects.filter(body=body, meeting__meeting_on__year=on.year).count() + 1
    while Protocol.objects.filter(body=body, number=f"{on.year}/{n}").exists():
        n += 1
    return f"{on.year}/{n}"


@transaction.atomic
def withdraw_item(actor: Any, body: StateBody, item_id: int, *, reason: str) -> AgendaItem:
    """The secretary takes an undecided item off the agenda (e.g. a tie the absent chair could not
    break), so that it can go on a later meeting's agenda."""
    item, meeting = lock_item(body, item_id)
    roles = access.meeting_roles(actor, body, meeting)
    access.require(roles, workflow.ITEM_TABLE.roles_for("withdraw"), action=_("withdraw an item from the agenda"))
    if meeting.state not in (MeetingState.PROPOSED, MeetingState.SCHEDULED, MeetingState.IN_SESSION):
        raise workflow.IllegalTransition(workflow.MEETING, meeting.state, "withdraw", roles)
    transition, role = workflow.fire(workflow.ITEM, item.state, "withdraw", roles)
    reason = text_field(reason, "reason", required=True)
    _withdraw(item, actor=actor, role=role, body=body, reason=reason)
    meeting.version += 1
    meeting.updated_by = actor
    meeting.save(update_fields=["version", "updated_by", "updated_at"])
    return item


def _withdraw(item: AgendaItem, *, actor: Any, role: str, body: StateBody, reason: str) -> None:
    Vote.objects.filter(item=item).delete()
    item.state = ItemState.WITHDRAWN
    item.last_action = "withdraw"
    item.withdraw_reason = reason
    item.save(update_fields=["state", "last_action", "withdraw_reason"])
    record_event(action="commission.item.withdraw", obj=item, actor=actor, role=role, body_id=body.pk,
                 from_state=ItemState.PENDING, to_state=ItemState.WITHDRAWN,
                 payload={"meeting": item.meeting_id, "participant": item.participant_id, "reason": reason})


@transaction.atomic
def cancel_meeting(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int, reason: str
                   ) -> CommissionMeeting:
    """HR calls the sitting off (before it, or a sitting without quorum before anything is decided);
    its undecided items are withdrawn so that they can go on another agenda."""
    meeting = lock_meeting(body, meeting_id)
    move = begin(meeting, doc_type=workflow.MEETING, action="cancel", roles=access.body_roles(actor, body),
                 label=_("cancel the commission meeting"), expected_version=expected_version)
    if move.repeated:
        return meeting
    reason = text_field(reason, "reason", required=True)
    if AgendaItem.objects.filter(meeting=meeting, state=ItemState.DECIDED).exists():
        raise ValidationError({"state": _("Items have been decided at this sitting: it is closed and its protocol "
                                          "signed, not cancelled.")})
    version = rules.version_named(meeting.methodology_version)
    for item in AgendaItem.objects.select_for_update().filter(meeting=meeting, state=ItemState.PENDING):
        _withdraw(item, actor=actor, role=move.role, body=body, reason=reason)
    finish(move, actor=actor, body=body, version=version, update={"cancel_reason": reason},
           payload={"reason": reason, "quorum": meeting.quorum or None})
    notices.close(meeting, notices.CONSENT, actor=actor)
    for code in (notices.ATTEND, notices.DOCUMENTS):
        notices.close(meeting, code, actor=actor)
    return meeting


# -- the sitting -----------------------------------------------------------------------------------


def _present_seats(seats: list[CommissionSeat], present: Any) -> set[int]:
    """The ids of the voting seats marked present, checked against the meeting's order."""
    if isinstance(present, str | bytes) or not isinstance(present, Sequence | set | frozenset):
        raise ValidationError({"present": _("A list of the members present (seat ids) is expected.")})
    voting = {s.pk for s in seats if s.votes}
    chosen: set[int] = set()
    for value in present:
        if isinstance(value, bool) or not isinstance(value, int) or value not in voting:
            raise ValidationError({"present": _("%(value)s is not a member's seat on this meeting's order (the "
                                                "secretary is not counted).") % {"value": value}})
        chosen.add(value)
    return chosen


def quorum_of(version: MethodologyVersion, meeting: CommissionMeeting, seats: list[CommissionSeat],
              present: set[int]) -> dict[str, Any]:
    members = [s for s in seats if s.votes]
    decision = rules.quorum(version, len(members), len(present), meeting.meeting_on)
    return {"members": len(members), "present": len(present), "required": decision.details["required"],
            "fraction": decision.details["fraction"], "quorate": bool(decision.value), "clause": decision.clause,
            "decision": decision.as_dict()}


@transaction.atomic
def open_session(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int, present: Sequence[int]
                 ) -> CommissionMeeting:
    """The secretary opens the sitting on the meeting date with the attendance (seat ids of the
    chair and members present). The quorum is computed and kept (S1-p.58); without it the sitting
    decides nothing."""
    meeting = lock_meeting(body, meeting_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    move = begin(meeting, doc_type=workflow.MEETING, action="open", roles=roles, label=_("open the sitting"),
                 expected_version=expected_version)
    if move.repeated:
        return meeting
    today = clock.today()
    if today != meeting.meeting_on:
        raise ValidationError({"meeting_on": _("The sitting opens on the date agreed with the chair and notified, "
                                               "%(date)s; today is %(today)s. Move the meeting if needed.")
                               % {"date": show(meeting.meeting_on), "today": show(today)}})
    version = rules.version_named(meeting.methodology_version)
    chosen = _present_seats(seats, present)
    voting = [s for s in seats if s.votes]
    composition = rules.composition(version, [f"u{s.user_id}" for s in voting], f"u{_chair(seats).user_id}",
                                    f"u{_secretary(seats).user_id}", meeting.meeting_on)
    if not composition.ok:
        raise ValidationError({"order": _("The order in force does not make a valid commission under the version in "
                                          "force on the meeting date: %(problems)s")
                               % {"problems": "; ".join(f"{p.message} ({p.clause})" for p in composition.problems)}})
    pending = AgendaItem.objects.filter(meeting=meeting, state=ItemState.PENDING).exists()
    protocol = Protocol.objects.filter(meeting=meeting).first()
    documents = rules.documents(version, [d for d, ok in (("evaluation_sheets", pending),
                                                          ("draft_protocol", protocol is not None)) if ok],
                                meeting.meeting_on)
    if not documents.ok:
        missing = ", ".join(documents.details.get("missing", []))
        raise ValidationError({"documents": _("The sitting needs the evaluation sheets and the draft protocol; "
                                              "missing: %(missing)s (%(clause)s).")
                               % {"missing": missing.replace("_", " "), "clause": documents.clause}})
    now = clock.now()
    Attendance.objects.bulk_create([
        Attendance(meeting=meeting, seat=s, present=(s.pk in chosen) if s.votes else True, recorded_at=now,
                   recorded_by=actor)
        for s in seats
    ])
    quorum = quorum_of(version, meeting, seats, chosen)
    assert protocol is not None
    text = canonical(protocol_content(meeting, protocol.number, final=False))
    refreshed = protocol.content != text
    if refreshed:
        protocol.content, protocol.content_sha256 = text, sha256(text)
        protocol.save(update_fields=["content", "content_sha256"])
    finish(move, actor=actor, body=body, version=version, clause=quorum["clause"],
           update={"opened_at": now, "quorum": quorum},
           payload={"present": sorted(chosen), "absent": sorted(s.pk for s in voting if s.pk not in chosen),
                    "quorum": {k: v for k, v in quorum.items() if k != "decision"},
                    "draft_protocol_refreshed": refreshed})
    notices.close(meeting, notices.ATTEND, actor=actor)
    notices.close(meeting, notices.DOCUMENTS, actor=actor)
    return meeting


@transaction.atomic
def record_attendance(actor: Any, body: StateBody, meeting_id: int, *, present: Sequence[int]) -> CommissionMeeting:
    """The secretary corrects the attendance during the sitting (a late arrival, a member leaving).
    A member who voted on an undecided item cannot be marked absent: the vote stands until the
    decision is recorded."""
    meeting = lock_meeting(body, meeting_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    move = begin(meeting, doc_type=workflow.MEETING, action="attendance", roles=roles,
                 label=_("record the attendance"), versioned=False)
    version = rules.version_named(meeting.methodology_version)
    chosen = _present_seats(seats, present)
    rows = {a.seat_id: a for a in Attendance.objects.select_for_update(of=("self",)).filter(meeting=meeting)
            .select_related("seat")}
    leaving = {sid for sid, a in rows.items() if a.present and sid not in chosen and a.seat.votes}
    voted = set(Vote.objects.filter(item__meeting=meeting, item__state=ItemState.PENDING, seat_id__in=leaving)
                .values_list("seat_id", flat=True))
    if voted:
        names = ", ".join(s.name for s in seats if s.pk in voted)
        raise ValidationError({"present": _("%(names)s voted on an undecided item; record the decision first.")
                               % {"names": names}})
    before = dict(meeting.quorum)
    now = clock.now()
    for seat in seats:
        if not seat.votes:
            continue
        row = rows.get(seat.pk)
        if row is None:
            Attendance.objects.create(meeting=meeting, seat=seat, present=seat.pk in chosen, recorded_at=now,
                                      recorded_by=actor)
        elif row.present != (seat.pk in chosen):
            row.present, row.recorded_at, row.recorded_by = seat.pk in chosen, now, actor
            row.save(update_fields=["present", "recorded_at", "recorded_by"])
    quorum = quorum_of(version, meeting, seats, chosen)
    finish(move, actor=actor, body=body, version=version, clause=quorum["clause"], update={"quorum": quorum},
           payload={"present": sorted(chosen), "quorum_before": {k: v for k, v in before.items() if k != "decision"},
                    "quorum": {k: v for k, v in quorum.items() if k != "decision"}})
    return meeting


@transaction.atomic
def conclude_meeting(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int) -> CommissionMeeting:
    """The secretary closes the sitting once every item is decided or withdrawn: the protocol is
    generated from the meeting, and the chair, the members present and the secretary get their
    signing item."""
    meeting = lock_meeting(body, meeting_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    move = begin(meeting, doc_type=workflow.MEETING, action="conclude", roles=roles, label=_("close the sitting"),
                 expected_version=expected_version)
    if move.repeated:
        return meeting
    version = rules.version_named(meeting.methodology_version)
    states = list(AgendaItem.objects.filter(meeting=meeting).values_list("state", flat=True))
    pending = states.count(ItemState.PENDING)
    if pending:
        raise ValidationError({"items": _("%(n)s item(s) still await a decision: record it or withdraw the item to a "
                                          "later meeting.") % {"n": pending}})
    if ItemState.DECIDED not in states:
        raise ValidationError({"items": _("Nothing was decided at this sitting: cancel it instead.")})
    protocol = Protocol.objects.select_for_update().get(meeting=meeting)
    text = canonical(protocol_content(meeting, protocol.number, final=True))
    now = clock.now()
    protocol.state, protocol.content, protocol.content_sha256, protocol.finalized_at = (
        ProtocolState.FINAL, text, sha256(text), now)
    protocol.save(update_fields=["state", "content", "content_sha256", "finalized_at"])
    finish(move, actor=actor, body=body, version=version, update={"concluded_at": now},
           payload={"protocol": protocol.pk, "number": protocol.number, "sha256": protocol.content_sha256,
                    "decided": states.count(ItemState.DECIDED), "withdrawn": states.count(ItemState.WITHDRAWN)})
    for row in signatories(meeting):
        notices.open_for_user(body=body, obj=row, meeting=meeting, code=notices.SIGN, user=row.seat.user)
    return meeting


def signatories(meeting: CommissionMeeting) -> list[Attendance]:
    """Who signs the protocol: the chair and the members present, and the secretary."""
    return [a for a in Attendance.objects.filter(meeting=meeting).select_related("seat", "seat__user")
            .order_by("seat__ordinal") if a.present or a.seat.role == SeatRole.SECRETARY]
