"""Writes to the work items.

`open_item` and `close_items` are called by the workflow services (cycles, commission, outcomes...)
inside their own transaction, right after the transition they belong to: the item opens or closes
if and only if the transition commits. They check no permission, because the calling service has
already checked the actor's; they check the input (tenant, assignee, the rule behind a due date)
and refuse it with the field and the rule named.

Their audit events are recorded under the *document's* key (object_type/object_id of the item),
so a sheet's history reads "signed → inbox.open sheet.review for X, due 10.05.2024 (S1-p.55)".
The role is "system": the item is a consequence of the workflow event recorded just before it,
which names the actor's role.

`remind` and `mark_overdue` are the sweep's writes (see sweep.py), one item per transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, models, router
from django.utils import timezone
from django.utils.translation import gettext as _

from bagalau import bulk
from bagalau.audit.services import object_key, record_event, record_events
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, Servant, StateBody

ATOMIC_RULE = (
    "inbox rule: open_item() and close_items() must run inside the caller's transaction.atomic(), so that "
    "a work item opens or closes together with the workflow step it belongs to"
)

TITLE_LANGUAGES = ("kk", "ru", "en")


def _require_atomic() -> None:
    if not connections[router.db_for_write(WorkItem)].in_atomic_block:
        raise RuntimeError(ATOMIC_RULE)


def _validate_open(*, body: StateBody, obj: models.Model, action: str, due: dt.date | None, due_rule: str,
                   due_clause: str, assignee: Any, assignee_role: str, subject_servant: Servant | None,
                   titles: dict[str, str]) -> None:
    errors: dict[str, str] = {}
    if obj.pk is None:
        errors["obj"] = _("The document must be saved before a work item can point at it.")
    elif getattr(obj, "body_id", body.pk) != body.pk:
        errors["obj"] = _("The document belongs to another state body.")
    if not action or len(action) > 64:
        errors["action"] = _("An action code of 1 to 64 characters is required, e.g. sheet.sign.")
    if assignee is None and not assignee_role:
        errors["assignee"] = _("A work item needs an assignee or an assignee role.")
    if assignee_role and assignee_role not in Role.values:
        errors["assignee_role"] = _("Unknown role %(role)s.") % {"role": assignee_role}
    elif assignee is not None:
        held = roles_for(assignee, body)
        if not held:
            errors["assignee"] = _("The assignee holds no role in this state body.")
        elif assignee_role and assignee_role not in held:
            errors["assignee"] = _("The assignee does not hold the role %(role)s in this state body.") % {
                "role": Role(assignee_role).label}
    if subject_servant is not None and subject_servant.body_id != body.pk:
        errors["subject_servant"] = _("This servant belongs to another state body.")
    unknown = set(titles) - set(TITLE_LANGUAGES)
    if unknown:
        errors["titles"] = _("Titles are given in kk, ru and en only, not %(langs)s.") % {
            "langs": ", ".join(sorted(unknown))}
    elif not (titles.get("kk", "").strip() and titles.get("ru", "").strip()):
        errors["titles"] = _("A work item needs a title in Kazakh (kk) and in Russian (ru).")
    elif any(len(t) > 300 for t in titles.values()):
        errors["titles"] = _("A title is at most 300 characters long.")
    if due is not None and not (due_rule and due_clause):
        # DESIGN: dates are computed, never typed, and shown with the rule they came from.
        errors["due_rule"] = _("A due date needs the deadline rule and the clause it comes from "
                               "(due_rule and due_clause).")
    if errors:
        raise ValidationError(errors)


def open_item(
    *,
    body: StateBody,
    obj: models.Model,
    action: str,
    due: dt.date | None = None,
    due_rule: str = "",
    due_clause: str = "",
    due_explanation: dict[str, Any] | None = None,
    assignee: Any = None,
    assignee_role: str = "",
    subject_servant: Servant | None = None,
    titles: dict[str, str],
    url: str = "",
) -> WorkItem:
    """Open a work item for `obj` (or return the one already open for the same document, action,
    assignee and role: a double submit opens nothing new and records nothing).

    `assignee` is a user; `assignee_role` a `Role` value meaning anyone holding that role in the
    body (both: that user, acting in that role). `titles` has "kk" and "ru" (and optionally "en").
    Runs in the caller's transaction (RuntimeError otherwise); ValidationError for bad input.
    """
    _require_atomic()
    _validate_open(body=body, obj=obj, action=action, due=due, due_rule=due_rule, due_clause=due_clause,
                   assignee=assignee, assignee_role=assignee_role, subject_servant=subject_servant, titles=titles)
    object_type, object_id = object_key(obj)
    # get_or_create works in a savepoint and, losing a race on the partial unique constraint,
    # returns the row the other transaction created.
    item, created = WorkItem.objects.get_or_create(
        object_type=object_type, object_id=object_id, action=action, assignee=assignee,
        assignee_role=assignee_role, state=ItemState.OPEN,
        defaults={
            "body": body, "subject_servant": subject_servant, "title_kk": titles["kk"].strip(),
            "title_ru": titles["ru"].strip(), "title_en": titles.get("en", "").strip(), "url": url,
            "due": due, "due_rule": due_rule, "due_clause": due_clause, "due_explanation": due_explanation,
        },
    )
    if created:
        record_event(
            action="inbox.open", object_type=object_type, object_id=object_id, body_id=body.pk,
            to_state=ItemState.OPEN, clause=due_clause,
            payload={"work_item": item.pk, "action": action, "assignee": getattr(assignee, "pk", None),
                     "assignee_role": assignee_role, "due": due.isoformat() if due else None,
                     "due_rule": due_rule},
        )
    return item


def open_items(*, body: StateBody, items: list[dict[str, Any]]) -> list[WorkItem]:
    """Open many work items of one body at once (a cycle launch opens one per plan): each dict
    holds `open_item`'s keyword arguments but `body`. The same checks, the same idempotence (an
    item already open for the same document, action, assignee and role is returned, not doubled)
    and the same "inbox.open" events as one call per item, in a fixed number of queries."""
    _require_atomic()
    if not items:
        return []
    keys = []
    for spec in items:
        _validate_open(body=body, obj=spec["obj"], action=spec["action"], due=spec.get("due"),
                       due_rule=spec.get("due_rule", ""), due_clause=spec.get("due_clause", ""),
                       assignee=spec.get("assignee"), assignee_role=spec.get("assignee_role", ""),
                       subject_servant=spec.get("subject_servant"), titles=spec["titles"])
        object_type, object_id = object_key(spec["obj"])
        keys.append((object_type, object_id, spec["action"], getattr(spec.get("assignee"), "pk", None),
                     spec.get("assignee_role", "")))
    open_now = {(i.object_type, i.object_id, i.action, i.assignee_id, i.assignee_role): i
                for i in WorkItem.objects.filter(body=body, state=ItemState.OPEN,
                                                 object_id__in={k[1] for k in keys},
                                                 object_type__in={k[0] for k in keys})}
    fresh: list[WorkItem] = []
    for key, spec in zip(keys, items, strict=True):
        if key in open_now:
            continue
        titles = spec["titles"]
        item = WorkItem(
            body=body, object_type=key[0], object_id=key[1], action=spec["action"], assignee=spec.get("assignee"),
            assignee_role=spec.get("assignee_role", ""), subject_servant=spec.get("subject_servant"),
            title_kk=titles["kk"].strip(), title_ru=titles["ru"].strip(), title_en=titles.get("en", "").strip(),
            url=spec.get("url", ""), due=spec.get("due"), due_rule=spec.get("due_rule", ""),
            due_clause=spec.get("due_clause", ""), due_explanation=spec.get("due_explanation"))
        open_now[key] = item
        fresh.append(item)
    bulk.insert(WorkItem, fresh)
    record_events([{
        "action": "inbox.open", "object_type": i.object_type, "object_id": i.object_id, "body_id": body.pk,
        "to_state": ItemState.OPEN, "clause": i.due_clause,
        "payload": {"work_item": i.pk, "action": i.action, "assignee": i.assignee_id,
                    "assignee_role": i.assignee_role, "due": i.due.isoformat() if i.due else None,
                    "due_rule": i.due_rule}} for i in fresh])
    return [open_now[key] for key in keys]


def close_items(*, obj: models.Model, action: str | None = None, actor: Any = None,
                state: str = ItemState.DONE) -> int:
    """Close the open items of `obj` (only those of `action`, if given) as done or cancelled, with
    an "inbox.close" event each. Returns how many were closed (0 is not an error: closing twice is
    harmless). Runs in the caller's transaction."""
    _require_atomic()
    if state not in (ItemState.DONE, ItemState.CANCELLED):
        raise ValidationError({"state": _("A work item is closed as done or cancelled, not %(state)s.") % {
            "state": state}})
    object_type, object_id = object_key(obj)
    items = WorkItem.objects.select_for_update().filter(object_type=object_type, object_id=object_id,
                                                        state=ItemState.OPEN)
    if action is not None:
        items = items.filter(action=action)
    now = timezone.now()
    closed = 0
    for item in items.order_by("pk"):
        item.state = state
        item.closed_at = now
        item.save(update_fields=["state", "closed_at"])
        record_event(
            action="inbox.close", object_type=object_type, object_id=object_id, actor=actor,
            body_id=item.body_id, from_state=ItemState.OPEN, to_state=state, clause=item.due_clause,
            payload={"work_item": item.pk, "action": item.action, "assignee": item.assignee_id,
                     "assignee_role": item.assignee_role,
                     "overdue_since": item.overdue_since.isoformat() if item.overdue_since else None},
        )
        closed += 1
    return closed


def mark_overdue(item_id: int, *, today: dt.date) -> WorkItem | None:
    """Mark an open item whose due date has passed, once: set `overdue_since` (the first day after
    the due date, whenever the sweep notices) and record "inbox.overdue" with the rule and clause.
    Returns the item, or None if it was closed, not due yet or already marked meanwhile.
    Runs in the caller's transaction (the sweep's, which also queues the notices)."""
    _require_atomic()
    item = (WorkItem.objects.select_for_update()
            .filter(pk=item_id, state=ItemState.OPEN, due__lt=today, overdue_since__isnull=True).first())
    if item is None or item.due is None:
        return None
    item.overdue_since = item.due + dt.timedelta(days=1)
    item.save(update_fields=["overdue_since"])
    record_event(
        action="inbox.overdue", object_type=item.object_type, object_id=item.object_id, body_id=item.body_id,
        clause=item.due_clause,
        payload={"work_item": item.pk, "action": item.action, "due": item.due.isoformat(),
                 "due_rule": item.due_rule, "overdue_since": item.overdue_since.isoformat(),
                 "noticed_on": today.isoformat(), "assignee": item.assignee_id,
                 "assignee_role": item.assignee_role},
    )
    return item


def note_reminded(item: WorkItem, *, today: dt.date) -> None:
    """Remember the day a reminder was queued (shown in the back office; the dedupe keys, not
    this date, stop a second reminder)."""
    WorkItem.objects.filter(pk=item.pk).update(last_reminded_on=today)
    item.last_reminded_on = today
