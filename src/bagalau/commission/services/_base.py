"""What every commission move does, in the order DESIGN.md sets:

lock the row (select_for_update; another body's id is simply not found, Http404) -> resolve the
actor's commission roles and check one of them may make the action at all (PermissionDenied) ->
a repeat of the action that already moved the document returns it unchanged (a double submit) ->
compare the caller's `expected_version` with the row's (cycles' `Conflict`) -> ask the table
(IllegalTransition) -> the caller validates and writes -> `finish` stores the new state, bumps the
row version and records the audit event with the clause of the version in use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, workflow
from bagalau.commission.models import AgendaItem, CommissionMeeting, CommissionOrder, CommissionSeat
from bagalau.cycles.errors import Conflict
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import StateBody
from bagalau.queries import one_or_none
from bagalau.workflow import Transition, clause_of

# Actions a page may send twice (a double click): the second returns the document unchanged.
REPEATABLE = frozenset({"issue", "consent", "open", "conclude", "approve", "cancel"})


@dataclass
class Move:
    doc: Any
    role: str
    transition: Transition | None  # None: a repeat of the action that already moved it
    from_state: str

    @property
    def repeated(self) -> bool:
        return self.transition is None


def lock_order(body: StateBody, pk: int) -> CommissionOrder:
    order = CommissionOrder.objects.select_for_update().filter(body=body, pk=pk).first()
    if order is None:
        raise Http404(_("No such commission order in this state body."))
    return order


def lock_meeting(body: StateBody, pk: int) -> CommissionMeeting:
    meeting = one_or_none(CommissionMeeting.objects.select_for_update(of=("self",))
                          .select_related("order", "cycle", "body").filter(body=body, pk=pk))
    if meeting is None:
        raise Http404(_("No such commission meeting in this state body."))
    return meeting


def lock_item(body: StateBody, pk: int, *, meeting_changes: bool = True) -> tuple[AgendaItem, CommissionMeeting]:
    """The item, locked, and its meeting, locked first. A move that changes the meeting row too
    (a decision or a withdrawal bumps its version) locks the meeting for update, so it is serialised
    with every other move of the meeting. A vote (`meeting_changes=False`) writes only its item's
    rows: it takes the meeting row in share mode, which still waits for and holds off every move
    that changes the meeting (attendance, opening, concluding: they lock it for update), while
    members voting on different items of one sitting no longer wait for each other. Two moves on
    one item are serialised on the item row."""
    # The meeting is found through the item in the same statement (one round trip, not two); only
    # the meeting row is locked by it, and the item after it, always in that order. The moves on an
    # item read the meeting's own fields only, so nothing else is joined.
    meetings = CommissionMeeting.objects.filter(body=body, items__pk=pk, items__body=body)
    if meeting_changes or connection.vendor != "postgresql":
        meeting = one_or_none(meetings.select_for_update(of=("self",)))
    else:
        meeting = _share_locked(meetings)
    if meeting is None:
        raise Http404(_("No such agenda item in this state body."))
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("participant").get(pk=pk)
    item.meeting = meeting
    return item, meeting


def _share_locked(meetings: QuerySet[CommissionMeeting]) -> CommissionMeeting | None:
    """The first of `meetings` read with FOR SHARE (PostgreSQL), which Django's select_for_update
    cannot ask for."""
    sql, params = meetings.order_by()[:1].query.sql_with_params()
    found = list(CommissionMeeting.objects.raw(f"{sql} FOR SHARE OF {CommissionMeeting._meta.db_table}", params))
    return found[0] if found else None


def seats_of(order_id: int) -> list[CommissionSeat]:
    return list(CommissionSeat.objects.filter(order_id=order_id).select_related("servant").order_by("ordinal", "pk"))


def begin(doc: Any, *, doc_type: str, action: str, roles: frozenset[str] | set[str], label: str,
          expected_version: int | None = None, versioned: bool = True) -> Move:
    table = workflow.table(doc_type)
    access.require(roles, table.roles_for(action), action=label)
    if (action in REPEATABLE and getattr(doc, "last_action", "") == action and doc.state in table.targets(action)
            and table.get(doc.state, action) is None):
        role = next(r for r in workflow.ROLES if r in roles and r in table.roles_for(action))
        return Move(doc, role, None, doc.state)
    if versioned:
        check_version(doc, expected_version)
    transition, role = workflow.fire(doc_type, doc.state, action, roles)
    return Move(doc, role, transition, doc.state)


def check_version(doc: Any, expected_version: int | None) -> None:
    if expected_version is None or isinstance(expected_version, bool) or int(expected_version) != doc.version:
        who = doc.updated_by.get_username() if getattr(doc, "updated_by_id", None) else ""
        raise Conflict(who=who, when=doc.updated_at, current_version=doc.version)


def finish(move: Move, *, actor: Any, body: StateBody, version: MethodologyVersion | None,
           update: dict[str, Any] | None = None, payload: dict[str, Any] | None = None,
           clause: str | None = None, event: str | None = None) -> str:
    """Store the move on an order or a meeting: the `update` fields, the new state, row version + 1,
    the audit event. Returns the clause recorded."""
    doc = move.doc
    assert move.transition is not None
    for name, value in (update or {}).items():
        setattr(doc, name, value)
    doc.state = move.transition.target
    doc.version += 1
    doc.last_action = move.transition.action
    doc.updated_by = actor
    doc.save()
    if clause is None:
        clause = clause_of(version, move.transition) if version is not None else ""
    record_event(
        action=event or f"commission.{doc_kind(doc)}.{move.transition.action}", obj=doc, actor=actor,
        role=move.role, body_id=body.pk, from_state=move.from_state, to_state=doc.state, clause=clause,
        payload={"version": doc.version, **(payload or {})},
    )
    return clause


def doc_kind(doc: Any) -> str:
    return {CommissionOrder: "order", CommissionMeeting: "meeting", AgendaItem: "item"}[type(doc)]


def text_field(value: Any, field: str, *, required: bool = False, max_length: int = 2000) -> str:
    """A stripped text, or ValidationError({field: ...})."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError({field: _("Text expected.")})
    value = value.strip()
    if required and not value:
        raise ValidationError({field: _("This field is required.")})
    if len(value) > max_length:
        raise ValidationError({field: _("At most %(n)s characters.") % {"n": max_length}})
    return value


def date_field(value: Any, field: str) -> dt.date:
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError({field: _("A date (YYYY-MM-DD) is expected.")}) from None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError({field: _("A date (YYYY-MM-DD) is expected.")})
    return value


def show(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")
