"""The exact content of a commission protocol (Annex 3) that its signatures cover.

Canonical JSON as in the cycles (`bagalau.cycles.content.canonical`: keys sorted, no insignificant
whitespace, UTF-8, dates as ISO strings). Built from the rows every time it is needed: the service
stores it when the protocol is drafted and when it is generated after the sitting; the selector
rebuilds it and compares hashes, so any change to the attendance, a vote, a decision or a result
after signing shows as an invalid signature.

The draft (prepared by HR before the meeting, S1-p.64) lists the members, the secretary and each
servant with the method and the original result; the final protocol adds who was present, the
quorum computation (S1-p.58), and per servant the decision, the corrected result in the
"correction by the commission" column (S1-p.66), the votes for and against, each member's open
vote, the recusal and whether the chair's casting vote decided (S1-p.61). The approval by the
authorized person (S1-p.67) is recorded on the protocol beside this content, not in it, so that
approving does not invalidate the signatures it follows.
"""

from __future__ import annotations

from typing import Any

from bagalau.commission import rules
from bagalau.commission.models import (
    AgendaItem,
    Attendance,
    CommissionMeeting,
    CommissionSeat,
    ItemState,
    SeatRole,
    Vote,
)
from bagalau.cycles.content import canonical, sha256

__all__ = ["canonical", "sha256", "protocol_content", "current_protocol_text"]


def protocol_content(meeting: CommissionMeeting, number: str, *, final: bool) -> dict[str, Any]:
    """The protocol's content from the rows (a fixed number of queries, whatever the agenda size)."""
    order = meeting.order
    seats = list(CommissionSeat.objects.filter(order_id=order.pk).order_by("ordinal", "pk"))
    present: dict[int, bool] = {}
    if final:
        present = dict(Attendance.objects.filter(meeting=meeting).values_list("seat_id", "present"))
    items = list(AgendaItem.objects.filter(meeting=meeting).exclude(state=ItemState.WITHDRAWN)
                 .select_related("participant").order_by("ordinal", "pk"))
    votes_by_item: dict[int, list[Vote]] = {}
    if final:
        for v in Vote.objects.filter(item__meeting=meeting).select_related("seat").order_by("seat__ordinal", "pk"):
            votes_by_item.setdefault(v.item_id, []).append(v)
    version = rules.version_named(meeting.methodology_version)
    members = [s for s in seats if s.role != SeatRole.SECRETARY]
    secretary = next((s for s in seats if s.role == SeatRole.SECRETARY), None)
    cycle = meeting.cycle
    body = meeting.body
    content: dict[str, Any] = {
        "document": "commission_protocol",
        "form": "Annex 3",
        "stage": "final" if final else "draft",
        "number": number,
        "body": {"id": body.pk, "name_kk": body.name_kk, "name_ru": body.name_ru},
        "meeting": {"id": meeting.pk, "date": meeting.meeting_on.isoformat(), "place": meeting.place},
        "cycle": {"id": cycle.pk, "period": [cycle.period_start.isoformat(), cycle.period_end.isoformat()],
                  "methodology_version": cycle.methodology_version},
        "order": {"id": order.pk, "number": order.number, "date": order.order_date.isoformat(),
                  "revision": order.revision},
        "methodology_version": meeting.methodology_version,
        "members": [
            {"seat": s.pk, "name": s.name, "role": s.role, "external": s.external, "position_kk": s.position_kk,
             "position_ru": s.position_ru, "present": present.get(s.pk) if final else None}
            for s in members
        ],
        "secretary": {"seat": secretary.pk, "name": secretary.name} if secretary else None,
        "quorum": None,
        "items": [],
    }
    if final:
        n_present = sum(1 for s in members if present.get(s.pk))
        q = rules.quorum(version, len(members), n_present, meeting.meeting_on)
        content["quorum"] = {"members": len(members), "present": n_present, "required": q.details["required"],
                             "fraction": q.details["fraction"], "quorate": bool(q.value), "clause": q.clause}
    for item in items:
        p = item.participant
        entry: dict[str, Any] = {
            "item": item.pk,
            "servant": {"id": p.servant_id, "name": p.servant_name, "position_kk": p.position_title_kk,
                        "position_ru": p.position_title_ru, "unit": p.unit_code},
            "method": item.method,
            "original_result": item.original_result,
            "original_clause": item.original_clause,
        }
        if final:
            entry.update({
                "decision": item.decision,
                "corrected_result": item.corrected_result,
                "decision_clause": item.decision_clause,
                "votes_for": item.votes_for,
                "votes_against": item.votes_against,
                "casting_vote": item.casting_vote,
                "recused_seat": item.recused_seat_id,
                "revision_reasons": item.revision_reasons,
                "votes": [{"seat": v.seat_id, "name": v.seat.name, "choice": v.choice,
                           "corrected_result": v.corrected_result, "reason": v.reason}
                          for v in votes_by_item.get(item.pk, [])],
            })
        content["items"].append(entry)
    return content


def current_protocol_text(meeting: CommissionMeeting, number: str, *, final: bool) -> str:
    return canonical(protocol_content(meeting, number, final=final))
