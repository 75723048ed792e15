"""What every move of a plan or a sheet does, in the order DESIGN.md sets:

lock the row (select_for_update; another body's id is simply not found) -> check the actor holds
the workflow role the table names for the action (PermissionDenied) -> a repeated action on a
document it already moved returns the document unchanged (idempotent double submit) -> compare the
caller's `expected_version` with the row's (Conflict) -> ask the table (IllegalTransition) -> the
caller validates and writes -> `finish` stores the new state, bumps the row version and records
the audit event with the clause of the cycle's own version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bagalau.audit.services import record_event
from bagalau.cycles import clock, workflow
from bagalau.cycles.access import require_workflow_role, servant_id_of
from bagalau.cycles.content import canonical, sha256
from bagalau.cycles.errors import Conflict
from bagalau.cycles.models import (
    CycleState,
    DocumentKind,
    EvaluationCycle,
    Participant,
    Signature,
    SignatureMethod,
    WorkflowDocument,
)
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import Servant, StateBody
from bagalau.queries import one_or_none
from bagalau.workflow import Transition, clause_of

ACTION_LABELS = {
    "edit": gettext_lazy("change the document"), "submit": gettext_lazy("submit the plan"),
    "approve": gettext_lazy("approve the plan"), "return": gettext_lazy("return the document"),
    "sign": gettext_lazy("sign the sheet"), "agree": gettext_lazy("agree with the sheet"),
    "forward": gettext_lazy("submit the sheet to the Commission"),
}


@dataclass
class Move:
    """A locked document and what the table allows on it."""

    doc: Any
    participant: Participant
    cycle: EvaluationCycle
    role: str
    transition: Transition | None  # None: a repeat of the action that already moved it
    from_state: str

    @property
    def repeated(self) -> bool:
        return self.transition is None


def lock(model: Any, body: StateBody, pk: int) -> Any:
    """The document of this body, locked for the transaction; Http404 for any other id. Read with
    its cycle's archive record, which the archive guard checks when the document is saved."""
    doc = one_or_none(model.objects.select_for_update(of=("self",))
                      .select_related("participant", "cycle__archive").filter(body=body, pk=pk))
    if doc is None:
        raise Http404(_("No such document in this state body."))
    return doc


def begin(*, actor: Any, body: StateBody, model: Any, doc_type: str, pk: int, action: str,
          expected_version: int | None) -> Move:
    doc = lock(model, body, pk)
    participant = doc.participant
    role = workflow.table(doc_type).role_for(action)
    require_workflow_role(actor, body, participant, doc_type, role, action=str(ACTION_LABELS.get(action, action)))
    if action != "edit" and doc.last_action == action and doc.state in workflow.table(doc_type).targets(action):
        return Move(doc, participant, doc.cycle, role, None, doc.state)
    if expected_version is None or int(expected_version) != doc.version:
        who = doc.updated_by.get_username() if doc.updated_by_id else ""
        raise Conflict(who=who, when=doc.updated_at, current_version=doc.version)
    if doc.cycle.state != CycleState.LAUNCHED:
        raise workflow.IllegalTransition(workflow.CYCLE, doc.cycle.state, action, role)
    transition = workflow.fire(doc_type, doc.state, action, role)[0]
    return Move(doc, participant, doc.cycle, role, transition, doc.state)


def finish(move: Move, *, actor: Any, doc_type: str, version: MethodologyVersion, update: dict[str, Any],
           payload: dict[str, Any] | None = None, clause: str | None = None) -> str:
    """Store the move: new state, the `update` fields, row version + 1, audit event. Returns the
    clause recorded."""
    doc = move.doc
    assert move.transition is not None
    for name, value in update.items():
        setattr(doc, name, value)
    doc.state = move.transition.target
    doc.version += 1
    doc.last_action = move.transition.action
    doc.updated_by = actor
    doc.save()
    if clause is None:
        clause = clause_of(version, move.transition, move.participant.first_head_is_direct)
    record_event(
        action=f"cycles.{doc_type}.{move.transition.action}", obj=doc, actor=actor, role=move.role,
        body_id=doc.body_id, from_state=move.from_state, to_state=doc.state, clause=clause,
        payload={"version": doc.version, "cycle": doc.cycle_id, "servant": move.participant.servant_id,
                 **(payload or {})},
    )
    return clause


def late_payload(doc: WorkflowDocument) -> dict[str, Any]:
    """Whether the step in progress was done after its due date (kept in the audit event)."""
    if doc.due_on is None:
        return {}
    return {"step_due": doc.due_on.isoformat(), "step_due_rule": doc.due_rule, "late": clock.today() > doc.due_on}


def sign(*, actor: Any, body: StateBody, doc: Any, kind: str, role: str, action: str,
         content: dict[str, Any]) -> Signature:
    """A simple signature over the canonical content (method "simple"; see Signature for CMS)."""
    text = canonical(content)
    sid = servant_id_of(actor, body)
    servant = Servant.objects.filter(pk=sid).first() if sid else None
    return Signature.objects.create(
        body=body, document_kind=kind, plan=doc if kind == DocumentKind.PLAN else None,
        sheet=doc if kind == DocumentKind.SHEET else None, user=actor, servant=servant,
        signer_name=servant.full_name if servant else (actor.get_full_name() or actor.get_username()),
        role=role, action=action, signed_at=clock.now(), content=text, content_sha256=sha256(text),
        method=SignatureMethod.SIMPLE,
    )


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

