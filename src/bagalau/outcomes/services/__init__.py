"""Writes of the outcomes app. Every function checks the actor's role (access.py; PermissionDenied),
validates before writing (ValidationError({field: message}) naming the rule and clause), runs in
one transaction, records an audit event with the clause, and opens/closes the work items and
queues the notifications of the step.

Familiarization (servant, HR): sign_result, refuse_to_sign, draw_refusal_act, record_delivery,
record_remote_notice.
Appeals (servant, reviewer, HR): file_appeal, decide_appeal, record_court_case, add_court_document,
set_court_status.
Consequences (HR, authorized person): propose_consequence, decide_consequence, withdraw_consequence.
"""

from bagalau.outcomes.services.appeals import (
    add_court_document,
    decide_appeal,
    file_appeal,
    record_court_case,
    set_court_status,
)
from bagalau.outcomes.services.consequences import decide_consequence, propose_consequence, withdraw_consequence
from bagalau.outcomes.services.familiarization import (
    draw_refusal_act,
    open_familiarizations,
    record_delivery,
    record_remote_notice,
    refuse_to_sign,
    sign_result,
)

__all__ = [
    "add_court_document", "decide_appeal", "decide_consequence", "draw_refusal_act", "file_appeal",
    "open_familiarizations", "propose_consequence", "record_court_case", "record_delivery",
    "record_remote_notice", "refuse_to_sign", "set_court_status", "sign_result", "withdraw_consequence",
]
