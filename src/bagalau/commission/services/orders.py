"""The order forming the commission (S0-p.5) and its amendments (S1-p.59).

The authorized person drafts an order with its number and date, a chair, the other members and
the HR specialist as secretary, then issues it. The composition is checked by the core under the
body's version on the order date: at least `commission.min_members` members, the chair counted
(S0-p.5), the secretary not a member (S1-p.62, Q-15), nobody twice.

An issued order is never edited (there is no "edit" move from "active" in the table): the chair or
a member is replaced only by an amending order (S1-p.59), a new revision drafted with
`amend_order` and issued like any order, which moves the revision it amends to "amended" and
keeps it with its seats. A new order that is not an amendment supersedes the one in force.
Meetings not yet in session follow the revision in force (their work items follow too).

People are given as a `Servant` of the body, a user object, or a mapping {"servant": id} or
{"user": id}. A servant needs a login (members vote and sign in the system). A user who is not a
servant of the body is an external member (e.g. a maslikhat deputy) and must hold the Commission
member role in the body, so that he can reach the meeting; the secretary must hold the HR role.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, notices, rules, workflow
from bagalau.commission.models import (
    CommissionMeeting,
    CommissionOrder,
    CommissionSeat,
    MeetingState,
    OrderState,
    SeatRole,
)
from bagalau.commission.services._base import (
    Move,
    begin,
    date_field,
    finish,
    lock_order,
    seats_of,
    show,
    text_field,
)
from bagalau.cycles import clock
from bagalau.methodology.decision import Decision
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Appointment, Role, Servant, StateBody


@dataclass(frozen=True)
class Person:
    """A resolved seat holder."""

    user: Any
    servant: Servant | None
    external: bool
    name: str
    position_kk: str
    position_ru: str

    @property
    def key(self) -> str:
        return f"u{self.user.pk}"


def _resolve(body: StateBody, ref: Any, field: str, on: dt.date) -> Person:
    User = get_user_model()
    servant: Servant | None = None
    user: Any = None
    if isinstance(ref, Servant):
        servant = ref
    elif isinstance(ref, User):
        user = ref
    elif isinstance(ref, Mapping) and len(ref) == 1 and ("servant" in ref or "user" in ref):
        key, value = next(iter(ref.items()))
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError({field: _("An id is expected.")})
        if key == "servant":
            servant = Servant.objects.filter(pk=value).select_related("user").first()
            if servant is None:
                raise ValidationError({field: _("No such servant in this state body.")})
        else:
            user = User.objects.filter(pk=value).first()
            if user is None:
                raise ValidationError({field: _("No such login.")})
    else:
        raise ValidationError({field: _('A person is given as {"servant": id} or {"user": id}.')})
    if servant is None and user is not None:
        servant = Servant.objects.filter(body=body, user=user).first()
    if servant is not None:
        if servant.body_id != body.pk:
            raise ValidationError({field: _("No such servant in this state body.")})
        if servant.user is None or not servant.user.is_active:
            raise ValidationError({field: _("%(name)s has no active login: a member votes and signs the protocol in "
                                            "the system.") % {"name": servant.full_name}})
        appointment = (Appointment.objects.filter(servant=servant, start__lte=on).exclude(end__lt=on)
                       .select_related("position").order_by("-start").first())
        return Person(servant.user, servant, False, servant.full_name,
                      appointment.position.title_kk if appointment else "",
                      appointment.position.title_ru if appointment else "")
    assert user is not None
    if not user.is_active:
        raise ValidationError({field: _("This login is not active.")})
    name = user.get_full_name() or user.get_username()
    return Person(user, None, True, name, "", "")


def _composition(actor: Any, body: StateBody, *, order_date: Any, chair: Any, members: Any, secretary: Any
                 ) -> tuple[dt.date, MethodologyVersion, Person, list[Person], Person, Decision]:
    """Every person resolved and the composition checked by the core; ValidationError naming each
    bad field (chair, members-<n>, secretary, order_date), before anything is written."""
    on = date_field(order_date, "order_date")
    if on > clock.today():
        raise ValidationError({"order_date": _("An order cannot be dated after today (%(today)s).")
                               % {"today": show(clock.today())}})
    version = rules.version_on(body, on, field="order_date")
    if isinstance(members, str | bytes | Mapping) or not isinstance(members, Sequence):
        raise ValidationError({"members": _("A list of members is expected.")})
    errors: dict[str, str] = {}
    resolved: dict[str, Person] = {}
    for field, ref in (("chair", chair), *((f"members-{i}", m) for i, m in enumerate(members, start=1)),
                       ("secretary", secretary)):
        try:
            resolved[field] = _resolve(body, ref, field, on)
        except ValidationError as exc:
            errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    chair_p = resolved.pop("chair")
    secretary_p = resolved.pop("secretary")
    member_ps = list(resolved.values())
    for field, p in (("chair", chair_p), *((f"members-{i}", m) for i, m in enumerate(member_ps, start=1))):
        if p.external and Role.COMMISSION_MEMBER not in roles_for(p.user, body):
            errors[field] = _("%(name)s is not a servant of this body: an external member needs the Commission "
                              "member role in this body first.") % {"name": p.name}
    if Role.HR not in roles_for(secretary_p.user, body):
        errors["secretary"] = _("The secretary is the HR specialist (S1-p.62): %(name)s does not hold the HR role "
                                "in this body.") % {"name": secretary_p.name}
    voting = [chair_p, *member_ps]
    decision = rules.composition(version, [p.key for p in voting], chair_p.key, secretary_p.key, on)
    minimum, _min_clause = rules.min_members(version)
    for problem in decision.problems:
        if problem.code == "too_few_members":
            errors["members"] = _("The commission needs at least %(min)s members, the chair included; this order "
                                  "names %(n)s (%(clause)s).") % {"min": minimum, "n": len({p.key for p in voting}),
                                                                  "clause": problem.clause}
        elif problem.code == "secretary_is_member":
            errors["secretary"] = _("The secretary keeps the protocol and does not vote, so he cannot also be a "
                                    "member (%(clause)s).") % {"clause": problem.clause}
        elif problem.code == "duplicate_member":
            errors.setdefault("members", _("A person is named twice (the chair is a member already)."))
        else:
            errors.setdefault("members", f"{problem.message} ({problem.clause})")
    if errors:
        raise ValidationError(errors)
    return on, version, chair_p, member_ps, secretary_p, decision


def _write_seats(order: CommissionOrder, chair: Person, members: list[Person], secretary: Person) -> None:
    order.seats.all().delete()
    rows = [(SeatRole.CHAIR, chair), *((SeatRole.MEMBER, m) for m in members), (SeatRole.SECRETARY, secretary)]
    CommissionSeat.objects.bulk_create([
        CommissionSeat(order=order, body_id=order.body_id, role=role, user=p.user, servant=p.servant,
                       external=p.external, name=p.name, position_kk=p.position_kk, position_ru=p.position_ru,
                       ordinal=i)
        for i, (role, p) in enumerate(rows)
    ])


def _seat_set(order: CommissionOrder) -> set[tuple[str, int]]:
    return set(order.seats.values_list("role", "user_id"))


def _summary(chair: Person, members: list[Person], secretary: Person) -> dict[str, Any]:
    return {"chair": chair.user.pk, "members": [m.user.pk for m in members], "secretary": secretary.user.pk,
            "external": [p.user.pk for p in (chair, *members) if p.external]}


@transaction.atomic
def create_order(actor: Any, body: StateBody, *, number: str, order_date: Any, chair: Any, members: Sequence[Any],
                 secretary: Any, amends: int | None = None, reason: str = "") -> CommissionOrder:
    """Draft an order forming the commission (or, with `amends`, an amendment of the order in
    force: see `amend_order`). `members` are the members other than the chair."""
    access.require_authorized(actor, body, action=_("form the evaluation commission"))
    number = text_field(number, "number", required=True, max_length=100)
    on, version, chair_p, member_ps, secretary_p, decision = _composition(
        actor, body, order_date=order_date, chair=chair, members=members, secretary=secretary)
    amended: CommissionOrder | None = None
    replacement_clause = ""
    if amends is not None:
        amended = lock_order(body, amends)
        if amended.state != OrderState.ACTIVE:
            raise ValidationError({"amends": _("Only the order in force is amended; this one is %(state)s.")
                                   % {"state": amended.get_state_display()}})
        reason = text_field(reason, "reason", required=True)
        replacement = rules.replacement(version, on)
        replacement_clause = replacement.clause if replacement else rules.clause(version, "commission.min_members")
        new = {(SeatRole.CHAIR, chair_p.user.pk), *((SeatRole.MEMBER, m.user.pk) for m in member_ps),
               (SeatRole.SECRETARY, secretary_p.user.pk)}
        if new == _seat_set(amended):
            raise ValidationError({"members": _("The amendment changes nobody: an amending order replaces the chair, "
                                                "a member or the secretary (%(clause)s).")
                                   % {"clause": replacement_clause}})
        if on < amended.order_date:
            raise ValidationError({"order_date": _("An amendment cannot be dated before the order it amends "
                                                   "(%(date)s).") % {"date": show(amended.order_date)}})
    else:
        reason = text_field(reason, "reason")
    order = CommissionOrder.objects.create(
        body=body, number=number, order_date=on, state=OrderState.DRAFT, methodology_version=version.id,
        composition_clause=decision.clause, composition_decision=decision.as_dict(), reason=reason,
        revision=(amended.revision + 1) if amended else 1,
        original_id=(amended.original_id or amended.pk) if amended else None, amends=amended,
        replacement_clause=replacement_clause, created_by=actor, updated_by=actor, last_action="create",
    )
    _write_seats(order, chair_p, member_ps, secretary_p)
    record_event(action="commission.order.create", obj=order, actor=actor, role=workflow.AUTHORIZED, body_id=body.pk,
                 to_state=order.state, clause=replacement_clause or decision.clause,
                 payload={"number": number, "order_date": on.isoformat(), "amends": amends, "revision": order.revision,
                          "version": order.version, "methodology_version": version.id,
                          **_summary(chair_p, member_ps, secretary_p)})
    return order


def amend_order(actor: Any, body: StateBody, order_id: int, *, number: str, order_date: Any, chair: Any,
                members: Sequence[Any], secretary: Any, reason: str) -> CommissionOrder:
    """Draft an amending order: the only way to replace the chair or a member (S1-p.59). The full
    composition after the amendment is given; the order in force stays in force until the
    amendment is issued."""
    return create_order(actor, body, number=number, order_date=order_date, chair=chair, members=members,
                        secretary=secretary, amends=order_id, reason=reason)


@transaction.atomic
def update_order(actor: Any, body: StateBody, order_id: int, *, expected_version: int, number: str,
                 order_date: Any, chair: Any, members: Sequence[Any], secretary: Any,
                 reason: str | None = None) -> CommissionOrder:
    """Change a draft order (number, date, composition). An issued order is never changed."""
    order = lock_order(body, order_id)
    move = begin(order, doc_type=workflow.ORDER, action="edit", roles=access.body_roles(actor, body),
                 label=_("change the commission order"), expected_version=expected_version)
    number = text_field(number, "number", required=True, max_length=100)
    on, version, chair_p, member_ps, secretary_p, decision = _composition(
        actor, body, order_date=order_date, chair=chair, members=members, secretary=secretary)
    new_reason = order.reason if reason is None else text_field(reason, "reason", required=order.amends_id is not None)
    _write_seats(order, chair_p, member_ps, secretary_p)
    finish(move, actor=actor, body=body, version=version,
           update={"number": number, "order_date": on, "methodology_version": version.id, "reason": new_reason,
                   "composition_clause": decision.clause, "composition_decision": decision.as_dict()},
           payload={"number": number, "order_date": on.isoformat(), **_summary(chair_p, member_ps, secretary_p)})
    return order


@transaction.atomic
def issue_order(actor: Any, body: StateBody, order_id: int, *, expected_version: int) -> CommissionOrder:
    """Put a draft order in force. An amendment moves the revision it amends to "amended"; a new
    order supersedes the one in force. Meetings not yet in session follow the new revision."""
    order = lock_order(body, order_id)
    move = begin(order, doc_type=workflow.ORDER, action="issue", roles=access.body_roles(actor, body),
                 label=_("issue the commission order"), expected_version=expected_version)
    if move.repeated:
        return order
    version = rules.version_named(order.methodology_version)
    previous = CommissionOrder.objects.select_for_update().filter(body=body, state=OrderState.ACTIVE).first()
    if order.amends_id is not None:
        if previous is None or previous.pk != order.amends_id:
            raise ValidationError({"amends": _("The order this amendment amends is no longer in force; draft the "
                                               "amendment against the order in force.")})
        old = begin(previous, doc_type=workflow.ORDER, action="amend", roles={move.role}, label=_("amend the order"),
                    versioned=False)
        finish(old, actor=actor, body=body, version=version, update={"ended_at": clock.now()},
               clause=order.replacement_clause or None,
               payload={"amended_by": order.pk, "amending_number": order.number,
                        "amending_date": order.order_date.isoformat(), "reason": order.reason})
    elif previous is not None:
        old = begin(previous, doc_type=workflow.ORDER, action="supersede", roles={move.role},
                    label=_("supersede the order"), versioned=False)
        finish(old, actor=actor, body=body, version=version, update={"ended_at": clock.now()},
               payload={"superseded_by": order.pk, "number": order.number})
    finish(move, actor=actor, body=body, version=version, update={"issued_at": clock.now(), "issued_by": actor},
           clause=order.replacement_clause or order.composition_clause,
           payload={"number": order.number, "order_date": order.order_date.isoformat(), "revision": order.revision,
                    "amends": order.amends_id, "replaces": previous.pk if previous else None})
    if previous is not None:
        _follow(actor, body, previous, order)
    return order


def _follow(actor: Any, body: StateBody, old: CommissionOrder, new: CommissionOrder) -> None:
    """Meetings not yet in session run under the order in force: re-pin them, ask a new chair for
    his consent to a proposed date, give new members their meeting item."""
    seats = seats_of(new.pk)
    chair = next(s for s in seats if s.role == SeatRole.CHAIR)
    meetings = CommissionMeeting.objects.select_for_update().filter(
        body=body, order=old, state__in=[MeetingState.PROPOSED, MeetingState.SCHEDULED])
    for meeting in meetings:
        old_chair = CommissionSeat.objects.filter(order=old, role=SeatRole.CHAIR).values_list("user_id", flat=True)[0]
        meeting.order = new
        meeting.version += 1
        meeting.updated_by = actor
        meeting.save(update_fields=["order", "version", "updated_by", "updated_at"])
        record_event(action="commission.meeting.follow_order", obj=meeting, actor=actor, role=workflow.AUTHORIZED,
                     body_id=body.pk, from_state=meeting.state, to_state=meeting.state, clause=new.replacement_clause
                     or new.composition_clause, payload={"from_order": old.pk, "to_order": new.pk,
                                                         "version": meeting.version})
        if meeting.state == MeetingState.PROPOSED and old_chair != chair.user_id:
            notices.close(meeting, notices.CONSENT, actor=actor)
            notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.CONSENT, user=chair.user,
                                  due=meeting.notice_by, due_rule=meeting.notice_rule, due_clause=meeting.notice_clause,
                                  due_explanation=meeting.notice_explanation)
        if meeting.state == MeetingState.SCHEDULED:
            for seat in seats:
                if seat.votes:
                    notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.ATTEND,
                                          user=seat.user, due=meeting.meeting_on, due_rule=notices.MEETING_DATE_RULE,
                                          due_clause=meeting.consent_clause)


__all__ = ["Move", "amend_order", "create_order", "issue_order", "update_order"]
