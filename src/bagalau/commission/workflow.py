"""The commission's workflows as explicit transition tables: STATE x ACTION -> STATE, with the
commission roles allowed to make the move (DESIGN.md section 2).

Roles are resolved per document (access.py), never typed by the caller:

* `authorized`: the authorized person of the body (the AUTHORIZED_PERSON grant, or the login of the
  body's `authorized_person` servant). Forms and amends the order (S0-p.5, S1-p.59), approves the
  results (S1-p.67).
* `hr`: a holder of the HR role in the body (the commission's working body, S0-p.5). Proposes the
  meeting date and agenda (S1-p.57), prepares the draft protocol (S1-p.64), cancels.
* `chair`: the chair seat of the meeting's order. Consents to the date (S1-p.57, p.63).
* `member`: the chair or a member seat (the chair is a member too). Votes openly (S1-p.60).
* `secretary`: the secretary seat (the HR specialist, no vote, S1-p.62). Opens the session,
  records attendance and decisions, closes the sitting.

Unlike the cycle tables, a move may be open to several roles (the protocol is signed by the chair,
the members present and the secretary). Self-moves (`edit`, `reschedule`, `agenda`, `attendance`,
`vote`, `sign`) say who may change what in which state. The `seal` move is fired by the signing
service together with the last signature the protocol needs.

Each transition names the version parameter its clause comes from, with a fallback parameter for
versions that do not set the optional one (typical-g2023 has no `commission.member_replacement`),
so the audit event cites the clause of the meeting's own version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bagalau.commission.models import ItemState, MeetingState, OrderState
from bagalau.cycles import workflow as cycles_workflow
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion

AUTHORIZED = "authorized"
HR = "hr"
CHAIR = "chair"
MEMBER = "member"
SECRETARY = "secretary"
ROLES = (AUTHORIZED, HR, CHAIR, MEMBER, SECRETARY)

ORDER = "order"
MEETING = "meeting"
ITEM = "item"

SIGNATORIES = frozenset({CHAIR, MEMBER, SECRETARY})


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    params: tuple[str, ...] = ()  # version parameters the clause comes from, first one set wins


def t(source: str, action: str, target: str, roles: str | Iterable[str], *params: str) -> Transition:
    held = frozenset({roles} if isinstance(roles, str) else roles)
    return Transition(source, action, target, held, params)


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

    def roles_for(self, action: str) -> frozenset[str]:
        """Every role that makes `action` in some state."""
        return frozenset().union(*(tr.roles for tr in self.transitions if tr.action == action))

    def targets(self, action: str) -> set[str]:
        return {tr.target for tr in self.transitions if tr.action == action}


ORDER_TABLE = Table(
    ORDER,
    states=tuple(OrderState.values),
    actions=("edit", "issue", "amend", "supersede"),
    transitions=(
        t(OrderState.DRAFT, "edit", OrderState.DRAFT, AUTHORIZED, "commission.min_members"),
        t(OrderState.DRAFT, "issue", OrderState.ACTIVE, AUTHORIZED, "commission.min_members"),
        # Fired on the revision an amending order replaces (S1-p.59): the only way a seat changes.
        t(OrderState.ACTIVE, "amend", OrderState.AMENDED, AUTHORIZED, "commission.member_replacement",
          "commission.min_members"),
        # Fired on the active order when a new order forms a new commission.
        t(OrderState.ACTIVE, "supersede", OrderState.SUPERSEDED, AUTHORIZED, "commission.min_members"),
    ),
)

_NOTICE = ("commission.schedule_agreed_with", "deadlines.commission_notice_by")
_DOCS = ("commission.documents", "deadlines.hr_to_commission_due")
_PROTOCOL = ("commission.revision_record", "commission.decision_options")

MEETING_TABLE = Table(
    MEETING,
    states=tuple(MeetingState.values),
    actions=("reschedule", "agenda", "prepare_protocol", "consent", "cancel", "open", "attendance", "conclude",
             "sign", "seal", "approve"),
    transitions=(
        t(MeetingState.PROPOSED, "reschedule", MeetingState.PROPOSED, HR, "deadlines.commission_notice_by"),
        # A new date needs the chair's consent again (S1-p.63).
        t(MeetingState.SCHEDULED, "reschedule", MeetingState.PROPOSED, HR, "deadlines.commission_notice_by"),
        t(MeetingState.PROPOSED, "agenda", MeetingState.PROPOSED, HR, *_DOCS),
        t(MeetingState.SCHEDULED, "agenda", MeetingState.SCHEDULED, HR, *_DOCS),
        t(MeetingState.PROPOSED, "prepare_protocol", MeetingState.PROPOSED, HR, *_DOCS),
        t(MeetingState.SCHEDULED, "prepare_protocol", MeetingState.SCHEDULED, HR, *_DOCS),
        t(MeetingState.PROPOSED, "consent", MeetingState.SCHEDULED, CHAIR, *_NOTICE),
        t(MeetingState.PROPOSED, "cancel", MeetingState.CANCELLED, HR),
        t(MeetingState.SCHEDULED, "cancel", MeetingState.CANCELLED, HR),
        # A sitting without quorum is not valid (S1-p.58): it is called off before anything is decided.
        t(MeetingState.IN_SESSION, "cancel", MeetingState.CANCELLED, HR, "commission.quorum_fraction"),
        t(MeetingState.SCHEDULED, "open", MeetingState.IN_SESSION, SECRETARY, "commission.quorum_fraction"),
        t(MeetingState.IN_SESSION, "attendance", MeetingState.IN_SESSION, SECRETARY, "commission.quorum_fraction"),
        t(MeetingState.IN_SESSION, "conclude", MeetingState.DECIDED, SECRETARY, "commission.decision_options"),
        t(MeetingState.DECIDED, "sign", MeetingState.DECIDED, SIGNATORIES, *_PROTOCOL),
        t(MeetingState.DECIDED, "seal", MeetingState.PROTOCOL_SIGNED, SIGNATORIES, *_PROTOCOL),
        t(MeetingState.PROTOCOL_SIGNED, "approve", MeetingState.APPROVED, AUTHORIZED, "commission.final_approval_by"),
    ),
)

ITEM_TABLE = Table(
    ITEM,
    states=tuple(ItemState.values),
    actions=("vote", "decide", "withdraw"),
    transitions=(
        t(ItemState.PENDING, "vote", ItemState.PENDING, MEMBER, "commission.voting"),
        t(ItemState.PENDING, "decide", ItemState.DECIDED, SECRETARY, "commission.voting"),
        t(ItemState.PENDING, "withdraw", ItemState.WITHDRAWN, SECRETARY),
    ),
)

TABLES = {ORDER: ORDER_TABLE, MEETING: MEETING_TABLE, ITEM: ITEM_TABLE}

DOC_LABELS = {ORDER: "commission order", MEETING: "commission meeting", ITEM: "agenda item"}


class IllegalTransition(cycles_workflow.IllegalTransition):
    """A move the table does not allow; the message names the document, state, action and role(s).

    A subclass of the cycles' IllegalTransition (a ValidationError with code "illegal_transition"),
    so the API's handler answers it with 409 like every other illegal move."""

    def __init__(self, doc_type: str, state: str, action: str, roles: str | Iterable[str]) -> None:
        held = sorted({roles} if isinstance(roles, str) else set(roles))
        super().__init__(DOC_LABELS.get(doc_type, doc_type), state, action, ", ".join(held) or "-")
        self.doc_type, self.roles = doc_type, tuple(held)


def table(doc_type: str) -> Table:
    try:
        return TABLES[doc_type]
    except KeyError:
        raise ValueError(f"unknown document type {doc_type!r}; known: {', '.join(TABLES)}") from None


def fire(doc_type: str, state: str, action: str, roles: str | Iterable[str]) -> tuple[Transition, str]:
    """The transition for `state x action` and the role (of those held) it is made in, or
    IllegalTransition. Roles are tried in the order of ROLES, so the audit names a stable one."""
    held = {roles} if isinstance(roles, str) else set(roles)
    tr = table(doc_type).get(state, action)
    if tr is not None:
        for role in ROLES:
            if role in held and role in tr.roles:
                return tr, role
    raise IllegalTransition(doc_type, state, action, held)


def available(doc_type: str, state: str, roles: Iterable[str]) -> list[Transition]:
    """The moves open in `state` to someone holding `roles` (for the pages' buttons)."""
    held = set(roles)
    return [tr for tr in table(doc_type).transitions if tr.source == state and tr.roles & held]


def clause_of(version: MethodologyVersion, transition: Transition) -> str:
    """The clause of the first of the transition's parameters the version sets ("" if none)."""
    for key in transition.params:
        try:
            return version.param(key).clause
        except MethodologyError:
            continue
    return ""
