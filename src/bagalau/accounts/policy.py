"""Who must use a second factor: anyone who decides, approves or administers.

That is a holder of one of the `conf.two_factor_roles()` grants in any body (HR, commission
member, authorized person, appeal reviewer, system administrator), anyone seated on a commission
order (chair, member or secretary: external members may hold no grant), the login of a body's
authorized person, and Django staff and superusers (the back office). Servants, managers and
auditors without any of these sign in with a password only.

One query answers it, so the check can run on every request of a session not yet verified.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q

from bagalau.accounts import conf
from bagalau.commission.models import CommissionSeat
from bagalau.orgs.models import RoleGrant, StateBody


def requires_second_factor(user: Any) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    grants = RoleGrant.objects.filter(user_id=OuterRef("pk"), role__in=conf.two_factor_roles())
    seats = CommissionSeat.objects.filter(user_id=OuterRef("pk"))
    authorized = StateBody.objects.filter(authorized_person__user_id=OuterRef("pk"))
    return get_user_model().objects.filter(
        Q(Exists(grants)) | Q(Exists(seats)) | Q(Exists(authorized)), pk=user.pk
    ).exists()
