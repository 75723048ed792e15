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
so the audit event cites the clause of the meeting's own version (bagalau.workflow.clause_of, the
engine these tables share with the other apps').
"""

from __future__ import annotations

from bagalau.commission.models import ItemState, MeetingState, OrderState
from bagalau.workflow import IllegalTransition as BaseIllegalTransition
from bagalau.workflow import Table, Workflow, t

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

DOC_LABELS = {ORDER: "commission order", MEETING: "commission meeting", ITEM: "agenda item"}


class IllegalTransition(BaseIllegalTransition):
    """A move the tables do not allow, naming the document as the commission's pages do."""

    labels = DOC_LABELS


WORKFLOW = Workflow(ROLES, ORDER_TABLE, MEETING_TABLE, ITEM_TABLE, refusal=IllegalTransition)
TABLES = WORKFLOW.tables
table = WORKFLOW.table
fire = WORKFLOW.fire
available = WORKFLOW.available
