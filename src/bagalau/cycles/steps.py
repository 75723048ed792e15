"""The side effects of a workflow step: the next actor's work item (with the step's due date and
rule) and the notice telling him, queued inside the transaction and sent after the commit.

Work item action codes (the inbox shows them; other apps may filter on them):
iwp.draft, iwp.correct, iwp.approve, sheet.fill, sheet.correct, sheet.review, sheet.forward.

A person with no login cannot be assigned: the item then goes to the body's HR role, which has to
chase the step on paper. Only personal items get an e-mail here; role items are reminded by the
inbox sweep like every other item with a due date.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.cycles.dues import Due
from bagalau.inbox import conf as inbox_conf
from bagalau.inbox import services as inbox
from bagalau.notifications import services as notifications
from bagalau.notifications.models import KIND_WORKFLOW
from bagalau.notifications.selectors import address_for
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, Servant, StateBody

logger = logging.getLogger(__name__)

# English msgids, rendered in kk, ru and en for the work item's titles.
TITLES = {
    "iwp.draft": gettext_noop("Draft the individual work plan of %(name)s"),
    "iwp.correct": gettext_noop("Correct the returned individual work plan of %(name)s"),
    "iwp.approve": gettext_noop("Approve the individual work plan of %(name)s"),
    "sheet.fill": gettext_noop("Fill in and sign the KPI evaluation sheet of %(name)s"),
    "sheet.correct": gettext_noop("Correct and resubmit the returned KPI evaluation sheet of %(name)s"),
    "sheet.review": gettext_noop("Review the KPI evaluation sheet of %(name)s"),
    "sheet.forward": gettext_noop("Submit the agreed KPI evaluation sheet of %(name)s to the Commission"),
}


def titles(code: str, name: str) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            out[lang] = (_(TITLES[code]) % {"name": name})[:300]
    return out


# The pages' URL names for a plan and a sheet (defined by the web app; without them, items have
# no link). Each takes the document's id.
DOCUMENT_URLS = {"individualworkplan": "web:plan", "kpisheet": "web:sheet"}


def document_url(doc: models.Model) -> str:
    name = DOCUMENT_URLS.get(doc._meta.model_name or "")
    if name is None:
        return ""
    try:
        return reverse(name, args=[doc.pk])
    except NoReverseMatch:
        return ""


def _assignee(servant: Servant | None, body: StateBody) -> Any:
    user = getattr(servant, "user", None) if servant is not None else None
    if user is None or not user.is_active or not roles_for(user, body):
        return None
    return user


def open_step(*, body: StateBody, doc: models.Model, code: str, subject: Servant, due: Due,
              servant: Servant | None = None, hr: bool = False) -> None:
    """Open the work item `code` on `doc` for `servant` (or HR), and e-mail him after the commit."""
    user = None if hr else _assignee(servant, body)
    role = Role.HR if user is None else ""
    item = inbox.open_item(
        body=body, obj=doc, action=code, due=due.on, due_rule=due.rule if due.on else "",
        due_clause=due.clause if due.on else "", due_explanation=due.explanation or None,
        assignee=user, assignee_role=role, subject_servant=subject,
        titles=titles(code, subject.full_name), url=document_url(doc),
    )
    if user is not None:
        _notify(body, user, servant, item, due)


def open_steps(*, body: StateBody, steps: list[dict[str, Any]]) -> None:
    """`open_step` for many documents at once (the plans of a launch): each dict holds its
    keyword arguments but `body`. The items are opened and the notices queued in bulk; each
    assignee is e-mailed as by `open_step`."""
    specs, people = [], []
    for step in steps:
        servant = step.get("servant")
        user = None if step.get("hr") else _assignee(servant, body)
        due: Due = step["due"]
        doc, code, subject = step["doc"], step["code"], step["subject"]
        specs.append({
            "obj": doc, "action": code, "due": due.on, "due_rule": due.rule if due.on else "",
            "due_clause": due.clause if due.on else "", "due_explanation": due.explanation or None,
            "assignee": user, "assignee_role": Role.HR if user is None else "", "subject_servant": subject,
            "titles": titles(code, subject.full_name), "url": document_url(doc)})
        people.append((user, servant, due))
    notices = [notice for item, (user, servant, due) in zip(inbox.open_items(body=body, items=specs), people,
                                                             strict=True)
               if user is not None and (notice := _notice(user, servant, item, due)) is not None]
    notifications.queue_many(body=body, messages=notices)


def close_steps(*, doc: models.Model, actor: Any, codes: tuple[str, ...] = ()) -> None:
    if not codes:
        inbox.close_items(obj=doc, actor=actor)
    for code in codes:
        inbox.close_items(obj=doc, action=code, actor=actor)


def _notify(body: StateBody, user: Any, servant: Servant | None, item: Any, due: Due) -> None:
    notice = _notice(user, servant, item, due)
    if notice is not None:
        notifications.queue(body=body, **notice)


def _notice(user: Any, servant: Servant | None, item: Any, due: Due) -> dict[str, Any] | None:
    """The e-mail telling `user` of his new work item, as `notifications.queue` takes it (None:
    he has no e-mail address)."""
    channel = "email"
    if not address_for(channel, recipient=user, recipient_servant=servant):
        logger.info("work item %s: %s has no e-mail address, no notice sent", item.pk, user)
        return None
    language = inbox_conf.notification_language()
    with translation.override(language):
        subject = item.title(language)
        text = subject + "."
        if due.on:
            text += " " + _("Due on %(date)s (%(clause)s).") % {
                "date": formats.date_format(due.on, "SHORT_DATE_FORMAT"), "clause": due.clause}
    return {"recipient": user, "recipient_servant": servant, "channel": channel, "subject": subject, "text": text,
            "kind": KIND_WORKFLOW, "dedupe_key": f"cycles:item:{item.pk}:{user.pk}:{channel}", "language": language}
