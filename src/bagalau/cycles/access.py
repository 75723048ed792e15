"""Who acts in which workflow role on a participant's documents, from the cycle's snapshot.

The snapshot, not today's organisation, decides: the direct manager is the person recorded at
launch, even if he moved since (spec section 3). A user acts as a snapshot person through the login
linked to that servant record; HR is a grant in the body (`orgs.access`). Services call
`require_workflow_role` before any write; selectors call `workflow_roles` / `may_read`.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.cycles import workflow
from bagalau.cycles.models import Participant
from bagalau.orgs.access import roles_for, servant_of
from bagalau.orgs.models import Role, StateBody

# Body roles that read every cycle, plan and sheet of the body.
BODY_READERS = (Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR)

ROLE_LABELS = {
    workflow.DIRECT_MANAGER: gettext_noop("direct manager"),
    workflow.REVIEWER: gettext_noop("reviewer (superior manager or first head)"),
    workflow.HR: gettext_noop("HR service"),
    workflow.SERVANT: gettext_noop("servant evaluated"),
}


def servant_id_of(user: Any, body: StateBody) -> int | None:
    """The id of the user's servant record in this body (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = getattr(user, "_bagalau_cycle_servant", None)
    if cache is None:
        cache = {}
        user._bagalau_cycle_servant = cache
    if body.pk not in cache:
        servant = servant_of(user)  # loaded with the user by the authentication backend, or read once
        cache[body.pk] = servant.pk if servant is not None and servant.body_id == body.pk else None
    return cache[body.pk]


def workflow_roles(user: Any, body: StateBody, participant: Participant, doc_type: str) -> frozenset[str]:
    """The workflow roles `user` holds on `participant`'s document of `doc_type`."""
    roles: set[str] = set()
    sid = servant_id_of(user, body)
    if sid is not None:
        if participant.servant_id == sid:
            roles.add(workflow.SERVANT)
        if participant.direct_manager_id == sid:
            roles.add(workflow.DIRECT_MANAGER)
        reviewer_id = participant.plan_approver_id if doc_type == workflow.PLAN else participant.sheet_reviewer_id
        if reviewer_id == sid:
            roles.add(workflow.REVIEWER)
    if Role.HR in roles_for(user, body):
        roles.add(workflow.HR)
    return frozenset(roles)


def require_workflow_role(user: Any, body: StateBody, participant: Participant, doc_type: str, role: str,
                          *, action: str) -> None:
    """PermissionDenied unless `user` holds `role` on this document."""
    if role == workflow.HR:
        held = Role.HR in roles_for(user, body)
    else:
        held = role in workflow_roles(user, body, participant, doc_type)
    if not held:
        raise PermissionDenied(
            _("Not allowed: %(action)s is done by the %(role)s of this servant in the cycle's snapshot.")
            % {"action": action, "role": _(ROLE_LABELS[role])})


def is_body_reader(user: Any, body: StateBody) -> bool:
    return bool(roles_for(user, body) & set(BODY_READERS))


def may_read(user: Any, body: StateBody, participant: Participant) -> bool:
    """A servant reads his own, the direct manager and the reviewers those they act on, HR, the
    authorized person and the auditor the whole body's."""
    if is_body_reader(user, body):
        return True
    sid = servant_id_of(user, body)
    return sid is not None and sid in (participant.servant_id, participant.direct_manager_id,
                                       participant.plan_approver_id, participant.sheet_reviewer_id)


def require_read(user: Any, body: StateBody, participant: Participant) -> None:
    if not may_read(user, body, participant):
        raise PermissionDenied(_("Not allowed: this evaluation is visible to the servant, his managers in the "
                                 "cycle's snapshot and the body's HR, authorized person and auditor."))
