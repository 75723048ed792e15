"""Signing the protocol and the authorized person's approval (S1-p.62, p.64, p.67-68).

The protocol generated when the sitting closed is signed by the chair, each member present and the
secretary, each signature over the exact canonical content (SHA-256 kept). The last signature the
protocol needs seals it ("protocol_signed"). The authorized person then approves the results:
only this makes them final (S1-p.67; spec 17 rule 4). Approval checks that every signature still
matches the protocol's current content, records the approval on the protocol with its date and
his own signature, writes one `FinalResult` per decided item and computes the familiarization
due date from the approval day (S1-p.68, Q-07), stored with its rule, clause and count.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission import access, notices, rules, signals, workflow
from bagalau.commission.content import canonical, protocol_content, sha256
from bagalau.commission.models import (
    AgendaItem,
    CommissionMeeting,
    FinalResult,
    ItemDecision,
    ItemState,
    Protocol,
    ProtocolSignature,
    SeatRole,
    SignatureRole,
)
from bagalau.commission.services._base import begin, finish, lock_meeting, seats_of
from bagalau.commission.services.meetings import signatories
from bagalau.cycles import clock
from bagalau.orgs.models import Role, Servant, StateBody


def _signer_name(actor: Any, body: StateBody) -> str:
    servant = Servant.objects.filter(body=body, user_id=actor.pk).first()
    return servant.full_name if servant else (actor.get_full_name() or actor.get_username())


def current_text(meeting: CommissionMeeting, protocol: Protocol) -> str:
    return canonical(protocol_content(meeting, protocol.number, final=True))


@transaction.atomic
def sign_protocol(actor: Any, body: StateBody, meeting_id: int) -> ProtocolSignature:
    """The actor signs the protocol as chair, member present or secretary; the last signature
    needed seals it and puts it in the authorized person's queue. Signing twice returns the first
    signature."""
    meeting = lock_meeting(body, meeting_id)
    seats = seats_of(meeting.order_id)
    roles = access.meeting_roles(actor, body, meeting, seats)
    access.require(roles, workflow.SIGNATORIES, action=_("sign the commission's protocol"))
    protocol = Protocol.objects.select_for_update().filter(meeting=meeting).first()
    rows = signatories(meeting)
    mine = next((a for a in rows if a.seat.user_id == actor.pk), None)
    if protocol is not None and mine is not None:
        existing = ProtocolSignature.objects.filter(protocol=protocol, user=actor).exclude(
            role=SignatureRole.AUTHORIZED).first()
        if existing is not None:
            return existing
    workflow.fire(workflow.MEETING, meeting.state, "sign", roles)
    if mine is None:
        raise PermissionDenied(_("Not allowed: the protocol is signed by the chair, the members present and the "
                                 "secretary; you were not present at this sitting."))
    assert protocol is not None
    text = current_text(meeting, protocol)
    if text != protocol.content:
        raise ValidationError({"protocol": _("The protocol no longer matches the meeting's records; it cannot be "
                                             "signed. Report this to the system administrator.")})
    role = {SeatRole.CHAIR: SignatureRole.CHAIR, SeatRole.MEMBER: SignatureRole.MEMBER,
            SeatRole.SECRETARY: SignatureRole.SECRETARY}[SeatRole(mine.seat.role)]
    signature = ProtocolSignature.objects.create(
        protocol=protocol, body=body, user=actor, seat=mine.seat, role=role, signer_name=mine.seat.name,
        signed_at=clock.now(), content=text, content_sha256=sha256(text))
    notices.close(mine, notices.SIGN, actor=actor)
    signed = set(ProtocolSignature.objects.filter(protocol=protocol).exclude(role=SignatureRole.AUTHORIZED)
                 .values_list("seat_id", flat=True))
    missing = [a.seat.name for a in rows if a.seat_id not in signed]
    action = "sign" if missing else "seal"
    move = begin(meeting, doc_type=workflow.MEETING, action=action, roles={_workflow_role(mine.seat.role)},
                 label=_("sign the commission's protocol"), versioned=False)
    version = rules.version_named(meeting.methodology_version)
    finish(move, actor=actor, body=body, version=version,
           event="commission.meeting.sign" if missing else "commission.meeting.seal",
           payload={"protocol": protocol.pk, "signature": signature.pk, "signer_role": role,
                    "sha256": signature.content_sha256, "missing": missing})
    if not missing:
        _approval_item(body, meeting)
    return signature


def _workflow_role(seat_role: str) -> str:
    return {SeatRole.CHAIR: workflow.CHAIR, SeatRole.MEMBER: workflow.MEMBER,
            SeatRole.SECRETARY: workflow.SECRETARY}[SeatRole(seat_role)]


def _approval_item(body: StateBody, meeting: CommissionMeeting) -> None:
    """The authorized person's item: his own login if the body names him, else the role."""
    user: Any = None
    if body.authorized_person_id:
        person = Servant.objects.filter(pk=body.authorized_person_id).select_related("user").first()
        user = person.user if person is not None else None
    notices.open_for_user(body=body, obj=meeting, meeting=meeting, code=notices.APPROVE, user=user,
                          role=Role.AUTHORIZED_PERSON)


def signatures_valid(meeting: CommissionMeeting, protocol: Protocol) -> tuple[bool, list[str]]:
    """Whether every signatory signed the protocol's current content; the problems in words."""
    text = current_text(meeting, protocol)
    digest = sha256(text)
    problems: list[str] = []
    if protocol.content_sha256 != digest:
        problems.append(_("the protocol's stored content differs from the meeting's records"))
    signed = {s.seat_id: s for s in ProtocolSignature.objects.filter(protocol=protocol)
              .exclude(role=SignatureRole.AUTHORIZED)}
    for row in signatories(meeting):
        sig = signed.get(row.seat_id)
        if sig is None:
            problems.append(_("%(name)s has not signed") % {"name": row.seat.name})
        elif sig.content_sha256 != digest:
            problems.append(_("the signature of %(name)s does not match the content") % {"name": row.seat.name})
    return not problems, problems


@transaction.atomic
def approve_results(actor: Any, body: StateBody, meeting_id: int, *, expected_version: int) -> CommissionMeeting:
    """The authorized person approves the commission's results, recorded in the protocol with the
    date (S1-p.67). Only now are the results final: one FinalResult per decided item, with the
    familiarization due date counted from today (S1-p.68, Q-07)."""
    meeting = lock_meeting(body, meeting_id)
    roles = access.meeting_roles(actor, body, meeting)
    move = begin(meeting, doc_type=workflow.MEETING, action="approve", roles=roles,
                 label=_("approve the evaluation results"), expected_version=expected_version)
    if move.repeated:
        return meeting
    protocol = Protocol.objects.select_for_update().get(meeting=meeting)
    ok, problems = signatures_valid(meeting, protocol)
    if not ok:
        raise ValidationError({"protocol": _("The protocol cannot be approved: %(problems)s.")
                               % {"problems": "; ".join(problems)}})
    version = rules.version_named(meeting.methodology_version)
    today = clock.today()
    approver, approval_clause = rules.approval(version, today)
    due = rules.familiarization_due(version, today)
    name = _signer_name(actor, body)
    items = list(AgendaItem.objects.filter(meeting=meeting, state=ItemState.DECIDED).select_related("participant"))
    results = []
    superseded = _supersede_reopened(items)
    for item in items:
        revised = item.decision == ItemDecision.REVISE
        value_clause = (item.decision_detail.get("correction", {}).get("clause") or item.decision_clause) if revised \
            else item.original_clause
        results.append(FinalResult.objects.create(
            body=body, cycle_id=meeting.cycle_id, participant=item.participant, agenda_item=item, protocol=protocol,
            method=item.method, value=item.final_value, value_clause=value_clause,
            original_result=item.original_result, revised=revised, clause=approval_clause,
            methodology_version=version.id, approved_on=today, approved_by=actor, familiarization_due=due.on,
            familiarization_rule=due.rule, familiarization_clause=due.clause,
            familiarization_explanation=due.explanation))
    for old in superseded:
        old.superseded_by = next(r for r in results if r.agenda_item.reopens_id == old.pk)
        old.save(update_fields=["superseded_by"])
    text = protocol.content
    ProtocolSignature.objects.create(protocol=protocol, body=body, user=actor, seat=None,
                                     role=SignatureRole.AUTHORIZED, signer_name=name, signed_at=clock.now(),
                                     content=text, content_sha256=sha256(text))
    protocol.approved_on, protocol.approved_by, protocol.approved_by_name = today, actor, name
    protocol.approval_clause = approval_clause
    protocol.save(update_fields=["approved_on", "approved_by", "approved_by_name", "approval_clause"])
    finish(move, actor=actor, body=body, version=version, clause=approval_clause,
           update={"approved_at": clock.now(), "approved_on": today, "approved_by": actor,
                   "approval_clause": approval_clause},
           payload={"protocol": protocol.pk, "approved_on": today.isoformat(), "approver": approver,
                    "results": len(results), "familiarization_due": due.on.isoformat(),
                    "familiarization_rule": due.rule})
    for result in results:
        record_event(action="commission.result.final", obj=result, actor=actor, role=move.role, body_id=body.pk,
                     to_state="final", clause=approval_clause,
                     payload={"participant": result.participant_id, "cycle": result.cycle_id, "value": result.value,
                              "original_result": result.original_result, "revised": result.revised,
                              "value_clause": result.value_clause, "protocol": protocol.pk,
                              "approved_on": today.isoformat(), "familiarization_due": due.on.isoformat(),
                              "familiarization_clause": due.clause})
    for old in superseded:
        record_event(action="commission.result.superseded", obj=old, actor=actor, role=move.role, body_id=body.pk,
                     from_state="reopened", to_state="superseded", clause=approval_clause,
                     payload={"superseded_by": old.superseded_by_id, "protocol": protocol.pk})
    notices.close(meeting, notices.APPROVE, actor=actor)
    signals.results_final.send(sender=FinalResult, body=body, actor=actor, results=results, superseded=superseded)
    return meeting


def _supersede_reopened(items: list[AgendaItem]) -> list[FinalResult]:
    """The results a revision after an appeal replaces, marked superseded before the new ones are
    written (one live result per servant and method); kept, never deleted."""
    ids = [i.reopens_id for i in items if i.reopens_id]
    old = list(FinalResult.objects.select_for_update().filter(pk__in=ids, superseded=False))
    now = clock.now()
    for result in old:
        result.superseded, result.superseded_at = True, now
        result.save(update_fields=["superseded", "superseded_at"])
    return old


__all__ = ["approve_results", "sign_protocol", "signatures_valid"]
