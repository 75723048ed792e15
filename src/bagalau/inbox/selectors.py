"""Reads of the work items: role inboxes ("what needs me now", soonest due first) and counts.

Every read is scoped to one body: a person's items in another body are never mixed in, and a
person with no role in the body sees nothing there. The inbox is one query (after the reader's
roles, which `roles_for` caches per user object) whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from bagalau.audit.services import object_key
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import StateBody


def inbox_for(user: Any, body: StateBody, *, include_role_items: bool = True) -> QuerySet[WorkItem]:
    """Open items of `body` assigned to `user`, plus (unless include_role_items=False) the items
    addressed to a role the user holds there and to no one in particular. Sorted by due date (items
    without one last), then by opening time."""
    if user is None or not user.is_authenticated:
        return WorkItem.objects.none()
    mine = Q(assignee=user)
    if include_role_items:
        roles = roles_for(user, body)
        if roles:
            mine |= Q(assignee__isnull=True, assignee_role__in=sorted(roles))
    # The subject's name is shown on every entry; the assignee is the reader or a role (never shown).
    return (WorkItem.objects.filter(mine, body=body, state=ItemState.OPEN)
            .select_related("subject_servant")
            .order_by(F("due").asc(nulls_last=True), "opened_at", "pk"))


@dataclass(frozen=True)
class InboxCounts:
    open: int
    overdue: int  # due before the day asked about


def inbox_counts(user: Any, body: StateBody, *, today: dt.date) -> InboxCounts:
    """How many items `inbox_for` holds and how many of them are overdue, in one query."""
    row = inbox_for(user, body).order_by().aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due__lt=today)))
    return InboxCounts(open=row["open"] or 0, overdue=row["overdue"] or 0)


def items_for_object(obj: Any, *, include_closed: bool = False) -> QuerySet[WorkItem]:
    """The work items of one document (its page shows each step's due date and rule)."""
    object_type, object_id = object_key(obj)
    items = WorkItem.objects.filter(object_type=object_type, object_id=object_id)
    if not include_closed:
        items = items.filter(state=ItemState.OPEN)
    return items.select_related("assignee", "subject_servant").order_by(F("due").asc(nulls_last=True), "pk")


@dataclass(frozen=True)
class Step:
    """An open work item of a document as its page and API show it: who acts next, by when."""

    action: str
    assignee: str | None  # the person's name (or login), None when the item is addressed to a role
    assignee_role: str
    due: dt.date | None
    due_rule: str
    due_clause: str


def open_steps_of(obj: Any) -> list[Step]:
    """The open items of `items_for_object(obj)` reduced to what a step shows, read as plain values
    (no user or servant rows, no due explanation): the document's API answers carry it on every save."""
    # In `items_for_object`'s order (due date, undated last, then id), sorted here: a document has
    # a step or two open, and an ordered query costs Django more to build than the sort.
    items = items_for_object(obj).select_related(None).order_by()
    rows = sorted(items.values_list("due", "pk", "action", "assignee_id", "assignee__first_name",
                                    "assignee__last_name", "assignee__username", "assignee_role", "due_rule",
                                    "due_clause"),
                  key=lambda row: (row[0] is None, row[0] or dt.date.min, row[1]))
    return [Step(action, (f"{first} {last}".strip() or username) if assignee_id is not None else None, role,
                 due, rule, clause)
            for due, _pk, action, assignee_id, first, last, username, role, rule, clause in rows]


@dataclass(frozen=True)
class OverdueCounts:
    total: int
    by_action: dict[str, int] = field(default_factory=dict)


def overdue_counts(body: StateBody, *, today: dt.date | None = None) -> OverdueCounts:
    """How many open items of the body are past their due date, in all and per action (one query).
    Counted from the date itself, not from `overdue_since`, so the number is right even before the
    next sweep has marked them."""
    day = today or timezone.localdate()
    rows = (WorkItem.objects.filter(body=body, state=ItemState.OPEN, due__lt=day)
            .values("action").annotate(n=Count("pk")).order_by("action"))
    by_action = {row["action"]: row["n"] for row in rows}
    return OverdueCounts(total=sum(by_action.values()), by_action=by_action)
