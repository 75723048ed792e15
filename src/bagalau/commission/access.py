"""Who holds which commission role, from the body's grants and the order's seats.

`authorized` and `hr` are body roles (grants, or the body's `authorized_person` record for the
first); `chair`, `member` and `secretary` come from the seats of the order revision a meeting runs
under, so a member replaced by an amending order loses his role on meetings not yet opened, and
keeps it on the ones he sat in (their order is frozen when the session opens).

Readers of commission records: HR, the authorized person, the auditor, the holders of the
Commission member grant and anyone seated on an order of the body (an external member may hold
no grant at all).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.commission import workflow
from bagalau.commission.models import CommissionMeeting, CommissionOrder, CommissionSeat, SeatRole
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, Servant, StateBody

BODY_READERS = (Role.HR, Role.AUTHORIZED_PERSON, Role.AUDITOR, Role.COMMISSION_MEMBER)

ROLE_LABELS = {
    workflow.AUTHORIZED: gettext_noop("authorized person"),
    workflow.HR: gettext_noop("HR service"),
    workflow.CHAIR: gettext_noop("commission chair"),
    workflow.MEMBER: gettext_noop("commission member"),
    workflow.SECRETARY: gettext_noop("commission secretary"),
}


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def is_authorized_person(user: Any, body: StateBody) -> bool:
    """The AUTHORIZED_PERSON grant, or the login of the body's authorized person (S0-p.5)."""
    if not _active(user):
        return False
    if Role.AUTHORIZED_PERSON in roles_for(user, body):
        return True
    if body.authorized_person_id is None:
        return False
    return Servant.objects.filter(pk=body.authorized_person_id, user_id=user.pk).exists()


def body_roles(user: Any, body: StateBody) -> set[str]:
    roles: set[str] = set()
    if not _active(user):
        return roles
    if is_authorized_person(user, body):
        roles.add(workflow.AUTHORIZED)
    if Role.HR in roles_for(user, body):
        roles.add(workflow.HR)
    return roles


def seat_roles(user: Any, seats: list[CommissionSeat]) -> set[str]:
    roles: set[str] = set()
    if not _active(user):
        return roles
    for seat in seats:
        if seat.user_id != user.pk:
            continue
        if seat.role == SeatRole.CHAIR:
            roles |= {workflow.CHAIR, workflow.MEMBER}
        elif seat.role == SeatRole.MEMBER:
            roles.add(workflow.MEMBER)
        elif seat.role == SeatRole.SECRETARY:
            roles.add(workflow.SECRETARY)
    return roles


def meeting_roles(user: Any, body: StateBody, meeting: CommissionMeeting,
                  seats: list[CommissionSeat] | None = None) -> frozenset[str]:
    """The commission roles `user` holds on this meeting (pass `seats` when already loaded)."""
    if seats is None:
        seats = list(CommissionSeat.objects.filter(order_id=meeting.order_id))
    return frozenset(body_roles(user, body) | seat_roles(user, seats))


def seat_of(user: Any, seats: list[CommissionSeat]) -> CommissionSeat | None:
    if not _active(user):
        return None
    return next((s for s in seats if s.user_id == user.pk), None)


def require(roles: frozenset[str] | set[str], wanted: frozenset[str] | set[str], *, action: str) -> None:
    """PermissionDenied naming the action and who may do it, unless a wanted role is held."""
    if roles & set(wanted):
        return
    names = ", ".join(_(ROLE_LABELS[r]) for r in workflow.ROLES if r in wanted)
    raise PermissionDenied(_("Not allowed: %(action)s is done by the %(roles)s.") % {"action": action, "roles": names})


def require_authorized(user: Any, body: StateBody, *, action: str) -> None:
    require(body_roles(user, body), {workflow.AUTHORIZED}, action=action)


def is_seated(user: Any, body: StateBody) -> bool:
    """Whether the user sits (or sat) on any order of the body."""
    if not _active(user):
        return False
    return CommissionSeat.objects.filter(body=body, user_id=user.pk).exists()


def may_read(user: Any, body: StateBody) -> bool:
    if not _active(user):
        return False
    if roles_for(user, body) & set(BODY_READERS) or is_authorized_person(user, body):
        return True
    return is_seated(user, body)


def require_read(user: Any, body: StateBody) -> None:
    if not may_read(user, body):
        raise PermissionDenied(_("Not allowed: the commission's records are read by HR, the authorized person, "
                                 "the auditor and the members of the commission."))


def order_seats(order: CommissionOrder) -> list[CommissionSeat]:
    return list(order.seats.all())
