"""Writes of the cycles app. Every function: checks the actor's permission (HR in the body, or the
workflow role the transition table names, resolved from the cycle's snapshot), validates before
writing, runs in one transaction, records an audit event naming the clause, opens/closes the work
items of the step (with their due date and rule) and queues the notices sent after the commit.

Arguments: `actor` (the Django user), `body` (the current state body: an id of another body is
not found, Http404) and the document id. Moves of plans and sheets take `expected_version` (the
row version the caller read): a different one raises `errors.Conflict`; repeating the action that
already moved the document returns it unchanged with no second event.

Errors: PermissionDenied (wrong role), Http404 (not in this body), ValidationError({field: msg})
for bad input with the rule and clause named, `workflow.IllegalTransition` (a ValidationError)
for a move the table does not allow, `errors.Conflict` (a ValidationError) for a stale version.
"""

from bagalau.cycles.services.cycles import cancel_cycle, close_cycle, create_cycle, launch_cycle, preview_launch
from bagalau.cycles.services.plans import approve_plan, return_plan, save_plan, submit_plan
from bagalau.cycles.services.sheets import (
    SavedSheet,
    agree_sheet,
    attach_evidence,
    forward_sheet,
    remove_evidence,
    return_sheet,
    save_sheet,
    save_sheet_outcomes,
    sign_sheet,
)

__all__ = [
    "SavedSheet", "agree_sheet", "approve_plan", "attach_evidence", "cancel_cycle", "close_cycle", "create_cycle",
    "forward_sheet", "launch_cycle", "preview_launch", "remove_evidence", "return_plan", "return_sheet",
    "save_plan", "save_sheet", "save_sheet_outcomes", "sign_sheet",
    "submit_plan",
]
