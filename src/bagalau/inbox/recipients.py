"""Who is reminded about a work item: its assignee, or everyone holding its role in the body.

Role holders are found the way the rest of the system decides roles, through
`orgs.access.roles_for` (on the sweep's date), so a grant, a head appointment or a servant link
means the same here as on the pages. Candidates come from the grants (and, for the structural
roles, the body's linked servants) and each is confirmed by `roles_for`. Inactive logins are never
reminded. Answers are cached for one sweep run.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q

from bagalau.inbox.models import WorkItem
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role

# Roles that come from the structure (a linked servant, a head position) rather than a grant.
STRUCTURAL_ROLES = (Role.SERVANT, Role.MANAGER)


class Recipients:
    """Resolves the people to remind, with a cache of role holders for one sweep run."""

    def __init__(self, *, on: dt.date) -> None:
        self.on = on
        self._holders: dict[tuple[int, str], list[Any]] = {}

    def for_item(self, item: WorkItem) -> list[Any]:
        if item.assignee_id is not None:
            user = item.assignee
            return [user] if user is not None and user.is_active else []
        return self.holders(item.body_id, item.assignee_role)

    def holders(self, body_id: int, role: str) -> list[Any]:
        key = (body_id, role)
        if key not in self._holders:
            self._holders[key] = self._find(body_id, role)
        return self._holders[key]

    def _find(self, body_id: int, role: str) -> list[Any]:
        candidates = Q(role_grants__body_id=body_id, role_grants__role=role)
        if role in STRUCTURAL_ROLES:
            candidates |= Q(servant__body_id=body_id)
        if role == Role.ADMIN:
            candidates |= Q(is_superuser=True)
        users = get_user_model().objects.filter(candidates, is_active=True).distinct().order_by("pk")
        return [u for u in users if role in roles_for(u, body_id, on=self.on)]
