"""A case reopened after an appeal (S1-p.70): the commission meets again on the same servant.

When the authorized body for civil service affairs recommends cancelling the commission's decision
and revising the result, the final result is *reopened* (`reopen_result`, called by the appeal's
service inside its own transaction, which has checked the reviewer). HR then proposes a sitting
whose agenda is the reopened results (`propose_revision_meeting`); from there the meeting runs
like any other: the chair's consent, the session with quorum, the open vote, a new protocol, the
signatures and the authorized person's approval. The approval writes the new result and marks the
reopened one superseded (protocol.approve_results); nothing is deleted.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, notices, workflow
from bagalau.commission.models import (
    AgendaItem,
    CommissionMeeting,
    CommissionOrder,
    FinalResult,
    ItemMethod,
    ItemState,
    MeetingState,
    OrderState,
)
from bagalau.commission.services._base import text_field
from bagalau.commission.services.meetings import _chair, _check_date
from bagalau.cycles import clock
from bagalau.orgs.models import StateBody


def reopen_result(actor: Any, body: StateBody, result_id: int, *, basis: dict[str, Any], clause: str,
                  role: str) -> FinalResult:
    """Mark a final result as reopened for revision. Runs inside the caller's transaction (the
    appeal outcome that recommends it); the caller has checked the actor's right to recommend."""
    result = FinalResult.objects.select_for_update().filter(body=body, pk=result_id).first()
    if result is None:
        raise Http404(_("No such final result in this state body."))
    if result.superseded:
        raise ValidationError({"result": _("This result has already been replaced by a revised one.")})
    if result.reopened_at is not None:
        return result
    result.reopened_at = clock.now()
    result.reopen_basis = dict(basis)
    result.save(update_fields=["reopened_at", "reopen_basis"])
    record_event(action="commission.result.reopen", obj=result, actor=actor, role=role, body_id=body.pk,
                 from_state="final", to_state="reopened", clause=clause,
                 payload={"participant": result.participant_id, "value": result.value, **basis})
    return result


def reopened_waiting(body: StateBody, cycle_id: int | None = None) -> list[FinalResult]:
    """Reopened results not yet superseded and on no live agenda."""
    taken = AgendaItem.objects.filter(body=body, reopens__isnull=False).exclude(state=ItemState.WITHDRAWN)
    qs = (FinalResult.objects.filter(body=body, reopened_at__isnull=False, superseded=False)
          .exclude(pk__in=taken.values("reopens_id")).select_related("participant", "agenda_item"))
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    return list(qs.order_by("participant__servant_name", "pk"))


@transaction.atomic
def propose_revision_meeting(actor: Any, body: StateBody, *, result_ids: Sequence[int], meeting_on: Any,
                             place: str = "") -> CommissionMeeting:
    """HR proposes a sitting to revise reopened results (all of one cycle). The date is checked
    as for any meeting (a working day whose notice day has not passed, S1-p.57)."""
    access.require(access.body_roles(actor, body), {workflow.HR}, action=_("propose a commission meeting"))
    ids = [i for i in result_ids if isinstance(i, int) and not isinstance(i, bool)]
    if not ids or len(ids) != len(result_ids):
        raise ValidationError({"results": _("Choose the reopened results to put on the agenda.")})
    waiting = {r.pk: r for r in reopened_waiting(body)}
    missing = [i for i in ids if i not in waiting]
    if missing:
        raise ValidationError({"results": _("Result(s) %(ids)s are not reopened after an appeal, or are already on "
                                            "an agenda.") % {"ids": ", ".join(str(i) for i in missing)}})
    chosen = [waiting[i] for i in ids]
    if len({r.cycle_id for r in chosen}) != 1:
        raise ValidationError({"results": _("A sitting considers the results of one evaluation cycle.")})
    order = CommissionOrder.objects.filter(body=body, state=OrderState.ACTIVE).first()
    if order is None:
        raise ValidationError({"order": _("The commission has not been formed: the authorized person has issued no "
                                          "order in force.")})
    place = text_field(place, "place", max_length=300)
    on, version, notice = _check_date(body, meeting_on)
    meeting = CommissionMeeting.objects.create(
        body=body, cycle_id=chosen[0].cycle_id, order=order, meeting_on=on, place=place,
        state=MeetingState.PROPOSED, last_action="propose", methodology_version=version.id, notice_by=notice.on,
        notice_rule=notice.rule, notice_clause=notice.clause, notice_explanation=notice.explanation,
        proposed_at=clock.now(), proposed_by=actor, updated_by=actor)
    items = AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, body=body, participant=r.participant, sheet=r.agenda_item.sheet,
                   method=r.method or ItemMethod.KPI, ordinal=n, original_result=r.value,
                   original_clause=r.value_clause, reopens=r)
        for n, r in enumerate(chosen, start=1)])
    chair = _chair(list(order.seats.all()))
    notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.CONSENT, user=chair.user,
                          due=notice.on, due_rule=notice.rule, due_clause=notice.clause,
                          due_explanation=notice.explanation)
    record_event(action="commission.meeting.propose", obj=meeting, actor=actor, role=workflow.HR, body_id=body.pk,
                 to_state=meeting.state, clause=notice.clause,
                 payload={"version": meeting.version, "cycle": meeting.cycle_id, "order": order.pk,
                          "meeting_on": on.isoformat(), "place": place, "notice_by": notice.on.isoformat(),
                          "items": [i.participant_id for i in items], "reopens": ids,
                          "methodology_version": version.id})
    return meeting


__all__ = ["propose_revision_meeting", "reopen_result", "reopened_waiting"]
