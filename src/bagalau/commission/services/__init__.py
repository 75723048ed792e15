"""Writes of the commission app. Every function: checks the actor's commission role (access.py;
PermissionDenied otherwise), validates before writing, runs in one transaction, records an audit
event naming the clause of the version in use, opens/closes the work items of the step and
queues the notices sent after the commit.

Arguments: `actor` (the Django user), `body` (the current state body: an id of another body is
not found, Http404) and the document id. Moves that change an order's or a meeting's state take
`expected_version` (the row version the caller read): a different one raises the cycles'
`Conflict`; repeating the move that already moved it returns it unchanged with no second event.

Errors: PermissionDenied (wrong role), Http404 (not in this body), ValidationError({field: msg})
for bad input with the rule and clause named, `workflow.IllegalTransition` (a subclass of the
cycles' one, so the API answers 409) for a move the table does not allow, `Conflict` for a stale
version. A refused vote is also audited ("commission.vote_refused") before the error is raised.

Orders (authorized person): create_order, update_order, amend_order, issue_order.
Meetings (HR, chair, secretary): propose_meeting, reschedule_meeting, consent_to_meeting,
refresh_agenda, prepare_draft_protocol, cancel_meeting, open_session, record_attendance,
withdraw_item, conclude_meeting.
Votes (members, secretary): cast_vote, record_decision.
Protocol (signatories, authorized person): sign_protocol, approve_results.
"""

from bagalau.commission.services.meetings import (
    cancel_meeting,
    conclude_meeting,
    consent_to_meeting,
    open_session,
    prepare_draft_protocol,
    propose_meeting,
    record_attendance,
    refresh_agenda,
    reschedule_meeting,
    withdraw_item,
)
from bagalau.commission.services.orders import amend_order, create_order, issue_order, update_order
from bagalau.commission.services.protocol import approve_results, sign_protocol
from bagalau.commission.services.voting import CastVote, cast_open_vote, cast_vote, record_decision

__all__ = [
    "CastVote", "amend_order", "approve_results", "cancel_meeting", "cast_open_vote", "cast_vote",
    "conclude_meeting", "consent_to_meeting", "create_order", "issue_order", "open_session",
    "prepare_draft_protocol", "propose_meeting", "record_attendance", "record_decision", "refresh_agenda",
    "reschedule_meeting", "sign_protocol", "update_order", "withdraw_item",
]
