"""The transition tables of what follows the approval: STATE x ACTION -> STATE, with the roles
allowed (DESIGN.md section 2). Roles are resolved by access.py per document, never typed:

* `servant`: the servant whose result it is (signs, refuses, appeals).
* `hr`: a holder of the HR role in the body (draws up the refusal act with two witnesses, records
  the delivery to a refuser and the remote notices, proposes consequences).
* `reviewer`: the appeal reviewer the appeal is addressed to (the authorized body for civil service
  affairs or its territorial department, S1-p.70).
* `authorized`: the authorized person of the body (approves or rejects consequence proposals).
* `system`: moves made by the system itself, in the transaction of another step (a result
  superseded by the approval of its revision).

The engine (checks, `fire`, `available`) is bagalau.workflow, shared with the other apps' tables.
"""

from __future__ import annotations

from bagalau.outcomes.models import AppealState, FamiliarizationState, ProposalState
from bagalau.workflow import IllegalTransition as BaseIllegalTransition
from bagalau.workflow import Table, Workflow, t

SERVANT = "servant"
HR = "hr"
REVIEWER = "reviewer"
AUTHORIZED = "authorized"
SYSTEM = "system"
ROLES = (SERVANT, HR, REVIEWER, AUTHORIZED, SYSTEM)

FAMILIARIZATION = "familiarization"
APPEAL = "appeal"
CONSEQUENCE = "consequence"


F = FamiliarizationState
_LIVE = (F.PENDING, F.SIGNED, F.REFUSED, F.ACT_DRAWN, F.DELIVERED, F.REMOTE)

FAMILIARIZATION_TABLE = Table(
    FAMILIARIZATION,
    states=tuple(F.values),
    actions=("sign", "refuse", "draw_act", "deliver", "notify_remote", "supersede"),
    transitions=(
        t(F.PENDING, "sign", F.SIGNED, SERVANT, "deadlines.familiarization_due"),
        # Back from leave, a servant familiarized remotely may still sign in the system.
        t(F.REMOTE, "sign", F.SIGNED, SERVANT, "deadlines.familiarization_due"),
        t(F.PENDING, "refuse", F.REFUSED, SERVANT, "familiarization.refusal_act"),
        # HR draws up the act whether the servant declared the refusal here or in person.
        t(F.PENDING, "draw_act", F.ACT_DRAWN, HR, "familiarization.refusal_act"),
        t(F.REFUSED, "draw_act", F.ACT_DRAWN, HR, "familiarization.refusal_act"),
        t(F.ACT_DRAWN, "deliver", F.DELIVERED, HR, "familiarization.refuser_delivery_channels"),
        t(F.PENDING, "notify_remote", F.REMOTE, HR, "familiarization.channels"),
        t(F.REMOTE, "notify_remote", F.REMOTE, HR, "familiarization.channels"),
        *(t(s, "supersede", F.SUPERSEDED, SYSTEM, "appeal.outcomes") for s in _LIVE),
    ),
)

A = AppealState
APPEAL_TABLE = Table(
    APPEAL,
    states=tuple(A.values),
    actions=("uphold", "recommend", "revised"),
    transitions=(
        t(A.FILED, "uphold", A.UPHELD, REVIEWER, "appeal.outcomes"),
        t(A.FILED, "recommend", A.REVISION, REVIEWER, "appeal.outcomes"),
        t(A.REVISION, "revised", A.REVISED, SYSTEM, "appeal.outcomes"),
    ),
)

P = ProposalState
CONSEQUENCE_TABLE = Table(
    CONSEQUENCE,
    states=tuple(P.values),
    actions=("approve", "reject", "withdraw"),
    transitions=(
        t(P.PROPOSED, "approve", P.APPROVED, AUTHORIZED, "result_uses.kpi"),
        t(P.PROPOSED, "reject", P.REJECTED, AUTHORIZED, "result_uses.kpi"),
        t(P.PROPOSED, "withdraw", P.WITHDRAWN, HR, "result_uses.kpi"),
    ),
)

DOC_LABELS = {FAMILIARIZATION: "familiarization", APPEAL: "appeal", CONSEQUENCE: "consequence proposal"}


class IllegalTransition(BaseIllegalTransition):
    """A move the tables do not allow (the API answers 409, like the cycles' and commission's)."""

    labels = DOC_LABELS


WORKFLOW = Workflow(ROLES, FAMILIARIZATION_TABLE, APPEAL_TABLE, CONSEQUENCE_TABLE, refusal=IllegalTransition)
TABLES = WORKFLOW.tables
fire = WORKFLOW.fire
available = WORKFLOW.available
