"""Who holds which outcomes role on which document.

* `servant`: the login of the servant whose result it is, in that body.
* `hr`: the HR grant in the document's body.
* `authorized`: the body's authorized person (the commission's own resolution of it).
* `reviewer`: the appeal reviewer an appeal is addressed to, while he still holds the Appeal
  reviewer grant in the appeal's body. A reviewer sees only the appeals addressed to him, in
  whichever body they were filed; nothing else of the body.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bagalau.commission.access import is_authorized_person
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, RoleGrant, Servant, StateBody
from bagalau.outcomes import workflow

# Who reads the body's familiarization board, appeals list and consequences.
BODY_READERS = frozenset({Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR})


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def servant_of(user: Any, body: StateBody | int) -> Servant | None:
    if not _active(user):
        return None
    body_id = body if isinstance(body, int) else body.pk
    return Servant.objects.filter(user_id=user.pk, body_id=body_id).first()


def body_roles(user: Any, body: StateBody) -> set[str]:
    roles: set[str] = set()
    if not _active(user):
        return roles
    held = roles_for(user, body)
    if Role.HR in held:
        roles.add(workflow.HR)
    if is_authorized_person(user, body):
        roles.add(workflow.AUTHORIZED)
    return roles


def doc_roles(user: Any, body: StateBody, servant_id: int) -> set[str]:
    """The body roles plus `servant` when the document is the user's own."""
    roles = body_roles(user, body)
    if _active(user) and Servant.objects.filter(pk=servant_id, user_id=user.pk).exists():
        roles.add(workflow.SERVANT)
    return roles


def is_reviewer(user: Any, body: StateBody | int) -> bool:
    return _active(user) and Role.APPEAL_REVIEWER in roles_for(user, body)


def require_reviewer(user: Any, *, action: str) -> set[int]:
    """The bodies where the user holds the Appeal reviewer grant; PermissionDenied naming the action
    and the role when there is none. The reviewer's list spans bodies (an agency reviews many), so
    the grant is looked for in any body, not only the current one."""
    bodies = set(RoleGrant.objects.filter(user_id=user.pk, role=Role.APPEAL_REVIEWER)
                 .values_list("body_id", flat=True)) if _active(user) else set()
    if not bodies:
        raise PermissionDenied(_("Not allowed: %(action)s needs one of these roles: %(roles)s.")
                               % {"action": action, "roles": Role.APPEAL_REVIEWER.label})
    return bodies


def appeal_roles(user: Any, appeal: Any) -> set[str]:
    roles = doc_roles(user, appeal.body, appeal.servant_id)
    if _active(user) and appeal.reviewer_id == user.pk and is_reviewer(user, appeal.body_id):
        roles.add(workflow.REVIEWER)
    return roles


def may_read_body(user: Any, body: StateBody) -> bool:
    return bool(roles_for(user, body) & BODY_READERS) or is_authorized_person(user, body)


def require_read_body(user: Any, body: StateBody) -> None:
    if not may_read_body(user, body):
        raise PermissionDenied(_("Not allowed: only HR, the authorized person and the auditor read the body's "
                                 "familiarization, appeals and consequences."))


def require(roles: set[str], wanted: set[str] | frozenset[str], *, action: str) -> None:
    if not roles & set(wanted):
        raise PermissionDenied(_("Not allowed: %(action)s.") % {"action": action})
