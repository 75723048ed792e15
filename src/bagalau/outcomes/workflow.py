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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bagalau.cycles import workflow as cycles_workflow
from bagalau.outcomes.models import AppealState, FamiliarizationState, ProposalState

SERVANT = "servant"
HR = "hr"
REVIEWER = "reviewer"
AUTHORIZED = "authorized"
SYSTEM = "system"
ROLES = (SERVANT, HR, REVIEWER, AUTHORIZED, SYSTEM)

FAMILIARIZATION = "familiarization"
APPEAL = "appeal"
CONSEQUENCE = "consequence"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    param: str = ""  # the version parameter the move's clause comes from


def t(source: str, action: str, target: str, roles: str | Iterable[str], param: str = "") -> Transition:
    return Transition(source, action, target, frozenset({roles} if isinstance(roles, str) else roles), param)


@dataclass(frozen=True)
class Table:
    doc_type: str
    states: tuple[str, ...]
    actions: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for tr in self.transitions:
            if tr.source not in self.states or tr.target not in self.states or tr.action not in self.actions:
                raise ValueError(f"{self.doc_type}: {tr} uses an unknown state or action")
            if not tr.roles or not tr.roles <= set(ROLES):
                raise ValueError(f"{self.doc_type}: {tr} uses an unknown role")
            if (tr.source, tr.action) in seen:
                raise ValueError(f"{self.doc_type}: two transitions for {tr.source} x {tr.action}")
            seen.add((tr.source, tr.action))

    def get(self, state: str, action: str) -> Transition | None:
        return next((tr for tr in self.transitions if tr.source == state and tr.action == action), None)


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

TABLES = {FAMILIARIZATION: FAMILIARIZATION_TABLE, APPEAL: APPEAL_TABLE, CONSEQUENCE: CONSEQUENCE_TABLE}
DOC_LABELS = {FAMILIARIZATION: "familiarization", APPEAL: "appeal", CONSEQUENCE: "consequence proposal"}


class IllegalTransition(cycles_workflow.IllegalTransition):
    """A move the table does not allow (the API answers 409, like the cycles' and commission's)."""

    def __init__(self, doc_type: str, state: str, action: str, roles: Iterable[str]) -> None:
        held = sorted(set(roles))
        super().__init__(DOC_LABELS.get(doc_type, doc_type), state, action, ", ".join(held) or "-")


def fire(doc_type: str, state: str, action: str, roles: Iterable[str]) -> tuple[Transition, str]:
    """The transition and the role (of those held) it is made in, or IllegalTransition."""
    held = set(roles)
    tr = TABLES[doc_type].get(state, action)
    if tr is not None:
        for role in ROLES:
            if role in held and role in tr.roles:
                return tr, role
    raise IllegalTransition(doc_type, state, action, held)


def available(doc_type: str, state: str, roles: Iterable[str]) -> list[str]:
    """The actions open in `state` to someone holding `roles` (for the pages' buttons)."""
    held = set(roles)
    return [tr.action for tr in TABLES[doc_type].transitions if tr.source == state and tr.roles & held]
