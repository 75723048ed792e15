"""Consequences of the results (spec 10, S1-p.9): proposals, never automatic decisions.

HR proposes, on a servant's final KPI or ranking result, one of the uses the version lists for that
kind of result (bonus, incentive, training, rotation, promotion, demotion, dismissal); the rules
core is asked first (`may_use`) and a 360 result is refused with the clause, whatever the screen
offered. The authorized person approves or rejects; HR may withdraw a proposal not yet decided.
A superseded result (revised after an appeal) founds no new proposal.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.audit.services import record_event
from bagalau.commission.models import FinalResult
from bagalau.cycles import clock
from bagalau.orgs.models import Role, StateBody
from bagalau.outcomes import access, notices, rules, workflow
from bagalau.outcomes.models import ConsequenceProposal, Purpose
from bagalau.outcomes.services._base import check_version, move, text

BASES = ("kpi", "ranking", "method_360")


@transaction.atomic
def propose_consequence(actor: Any, body: StateBody, result_id: int, *, basis: str, purpose: str,
                        justification: str) -> ConsequenceProposal:
    result = FinalResult.objects.select_related("participant").filter(body=body, pk=result_id).first()
    if result is None:
        raise Http404(_("No such final result in this state body."))
    roles = access.body_roles(actor, body)
    access.require(roles, {workflow.HR}, action=_("HR proposes the consequences of a result"))
    if basis not in BASES:
        raise ValidationError({"basis": _("The basis is a KPI or a ranking result, not %(basis)s.") % {"basis": basis}})
    if purpose not in Purpose.values:
        raise ValidationError({"purpose": _("Unknown proposal %(purpose)s.") % {"purpose": purpose}})
    today = clock.today()
    version = rules.version_of(body, result.methodology_version, result.approved_on)
    decision = rules.may_use(version, basis, purpose, today)
    if result.method != basis:
        raise ValidationError({"basis": _("This final result is a %(method)s result, not %(basis)s.")
                               % {"method": result.method, "basis": basis}})
    if result.superseded:
        raise ValidationError({"result": _("This result was superseded after an appeal; use the revised one.")})
    justification = text(justification, "justification", required=True, max_length=4000)
    proposal = ConsequenceProposal.objects.create(
        body=body, result=result, servant_id=result.participant.servant_id, basis=basis, purpose=purpose,
        justification=justification, clause=decision.clause, decision=decision.as_dict(), proposed_by=actor,
        proposed_at=clock.now(), last_action="propose")
    record_event(action="outcomes.consequence.propose", obj=proposal, actor=actor, role=workflow.HR, body_id=body.pk,
                 to_state=proposal.state, clause=decision.clause,
                 payload={"result": result.pk, "basis": basis, "purpose": purpose, "value": result.value})
    notices.open_item(body=body, obj=proposal, code=notices.DECIDE, role=Role.AUTHORIZED_PERSON,
                      subject=proposal.servant, link=notices.url("web:outcomes_consequences"),
                      name=result.participant.servant_name)
    return proposal


def _lock(body: StateBody, proposal_id: int) -> ConsequenceProposal:
    proposal = (ConsequenceProposal.objects.select_for_update(of=("self",)).select_related("servant", "servant__user")
                .filter(body=body, pk=proposal_id).first())
    if proposal is None:
        raise Http404(_("No such proposal in this state body."))
    return proposal


@transaction.atomic
def decide_consequence(actor: Any, body: StateBody, proposal_id: int, *, approve: bool, note: str = "",
                       expected_version: Any) -> ConsequenceProposal:
    """The authorized person approves or rejects a proposal."""
    proposal = _lock(body, proposal_id)
    roles = access.body_roles(actor, body)
    access.require(roles, {workflow.AUTHORIZED}, action=_("the authorized person decides on the proposals"))
    check_version(proposal, expected_version)
    note = text(note, "note", required=not approve, max_length=4000)
    move(proposal, doc_type=workflow.CONSEQUENCE, action="approve" if approve else "reject", roles=roles,
         actor=actor, body_id=body.pk, clause=proposal.clause,
         update={"decided_by": actor, "decided_at": clock.now(), "decision_note": note}, payload={"note": note})
    notices.close(proposal, notices.DECIDE, actor=actor)
    if approve:
        notices.send(body=body, template=notices.T_CONSEQUENCE,
                     values={"purpose": str(Purpose(proposal.purpose).label)},
                     key=f"outcomes:consequence:{proposal.pk}", user=proposal.servant.user, servant=proposal.servant,
                     channels=("email",))
    return proposal


@transaction.atomic
def withdraw_consequence(actor: Any, body: StateBody, proposal_id: int, *, expected_version: Any
                         ) -> ConsequenceProposal:
    proposal = _lock(body, proposal_id)
    roles = access.body_roles(actor, body)
    access.require(roles, {workflow.HR}, action=_("HR withdraws its proposal"))
    check_version(proposal, expected_version)
    move(proposal, doc_type=workflow.CONSEQUENCE, action="withdraw", roles=roles, actor=actor, body_id=body.pk,
         clause=proposal.clause)
    notices.close(proposal, notices.DECIDE, actor=actor)
    return proposal


__all__ = ["BASES", "decide_consequence", "propose_consequence", "withdraw_consequence"]
