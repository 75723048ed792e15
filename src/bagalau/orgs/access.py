"""Who may do what in which body. Services call `require_role` before any write, so a permission
holds whichever door (page, API, admin, import, command) the request came through.

Roles come from two places: explicit grants (`RoleGrant`) and the structure itself (a user linked
to a servant of the body is a SERVANT there; one holding a head position, or the first head, is a
MANAGER). A Django superuser is the system administrator of every body.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau.orgs.models import Appointment, Role, RoleGrant, Servant, StateBody
from bagalau.queries import one_or_none

AnyUser = AbstractBaseUser | AnonymousUser
# Who performs a service call: a user (anonymous ones are refused by the role check) or the system.
Actor = AbstractBaseUser | AnonymousUser | None

# Who may change the organisation data of a body (staff, units, absences, role grants).
STAFF_EDITORS = (Role.HR, Role.ADMIN)


def _cache(user: AnyUser) -> dict[int, frozenset[str]]:
    cache = getattr(user, "_bagalau_roles", None)
    if cache is None:
        cache = {}
        user._bagalau_roles = cache  # type: ignore[union-attr]
    return cache


def roles_for(user: AnyUser | None, body: StateBody | int, *, on: dt.date | None = None) -> frozenset[str]:
    """The roles a user holds in a body (on a date, for the structural ones). Cached per user object
    so a page asks the database once (`bodies_for` fills the cache for every body it returns)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    body_id = body if isinstance(body, int) else body.pk
    cache = _cache(user)
    if on is None and body_id in cache:
        return cache[body_id]
    day = on or timezone.localdate()
    roles: set[str] = set(RoleGrant.objects.filter(user_id=user.pk, body_id=body_id).values_list("role", flat=True))
    if getattr(user, "is_superuser", False):
        roles.add(Role.ADMIN)
    servant = Servant.objects.filter(user_id=user.pk, body_id=body_id).first()
    if servant is not None:
        roles.add(Role.SERVANT)
        is_first_head = StateBody.objects.filter(pk=body_id, first_head=servant).exists()
        if is_first_head or _head_appointments(servant.pk, day).exists():
            roles.add(Role.MANAGER)
    result = frozenset(str(r) for r in roles)
    if on is None:
        cache[body_id] = result
    return result


def _head_appointments(servant_id: int, day: dt.date) -> QuerySet[Appointment]:
    """The servant's appointments to a head-of-unit position open on `day`: each makes him a MANAGER."""
    return Appointment.objects.filter(servant_id=servant_id, position__is_head_of_unit=True,
                                      start__lte=day).exclude(end__lt=day)


def has_role(user: AnyUser | None, body: StateBody | int, roles: Iterable[str]) -> bool:
    return bool(roles_for(user, body) & set(roles))


def require_role(user: AnyUser | None, body: StateBody | int, roles: Iterable[str], *, action: str) -> str:
    """Return the first of `roles` the user holds (recorded in the audit event as the role acted
    in), or raise PermissionDenied naming the action and the roles that may do it."""
    wanted = [str(r) for r in roles]
    held = roles_for(user, body)
    for role in wanted:
        if role in held:
            return role
    labels = ", ".join(str(Role(r).label) for r in wanted)
    raise PermissionDenied(_("Not allowed: %(action)s needs one of these roles: %(roles)s.")
                           % {"action": action, "roles": labels})


def bodies_for(user: AnyUser | None) -> list[StateBody]:
    """The bodies a user may enter: granted roles, own servant record, or all for a superuser.

    Every request asks this (the body middleware), so it also settles the user's roles in each of
    those bodies, in the same three queries at most (grants; the servant record, unless the
    authentication backend loaded it with the user; the bodies with the head-position check), and
    leaves them in the `roles_for` cache: a page's permission checks then cost no query."""
    if user is None or not user.is_authenticated:
        return []
    if getattr(user, "is_superuser", False):
        return list(StateBody.objects.order_by("name_kk"))
    grants: dict[int, set[str]] = {}
    for body_id, role in RoleGrant.objects.filter(user_id=user.pk).values_list("body_id", "role"):
        grants.setdefault(body_id, set()).add(role)
    servant = servant_of(user)
    ids = set(grants) | ({servant.body_id} if servant is not None else set())
    if not ids:
        return []
    bodies = StateBody.objects.filter(pk__in=ids).order_by("name_kk")
    if servant is not None:
        bodies = bodies.annotate(servant_heads_unit=Exists(_head_appointments(servant.pk, timezone.localdate())))
    found = list(bodies)
    cache = _cache(user)
    for body in found:
        roles = set(grants.get(body.pk, ()))
        if servant is not None and servant.body_id == body.pk:
            roles.add(Role.SERVANT)
            if body.first_head_id == servant.pk or body.servant_heads_unit:  # type: ignore[attr-defined]
                roles.add(Role.MANAGER)
        cache.setdefault(body.pk, frozenset(str(r) for r in roles))
    return found


def servant_of(user: AbstractBaseUser) -> Servant | None:
    """The user's servant record (a user has at most one). Taken from the user object only when the
    authentication backend loaded it with the user in this request; otherwise read now, so a
    long-lived user object never answers with a stale link."""
    link = Servant._meta.get_field("user").remote_field
    if link.is_cached(user):
        return link.get_cached_value(user)  # type: ignore[return-value]
    return one_or_none(Servant.objects.filter(user_id=user.pk))


def forget_roles(user: AnyUser) -> None:
    """Drop the per-user role cache (after a grant changes within the same request)."""
    if hasattr(user, "_bagalau_roles"):
        user._bagalau_roles = {}  # type: ignore[union-attr]
