"""The side effects of the commission's steps: work items (with their date and the rule behind it)
and the notices queued inside the transaction, sent after the commit.

Work item action codes (the inbox shows them; other apps may filter on them):

* ``commission.consent``: the chair agrees the proposed date; due on the last notice day
  (the notice cannot go out before his consent, S1-p.57).
* ``commission.attend``: each member (chair included), due on the meeting date agreed with the
  chair (S1-p.63).
* ``commission.documents``: the secretary (the HR role if his login holds no role) brings the
  sheets and the draft protocol, due on the meeting date (S1-p.64); closed when the draft
  protocol is prepared or the session opens.
* ``commission.sign``: each signatory of the protocol (chair, members present, secretary), opened
  on his `Attendance` row so that his own signature closes his own item.
* ``commission.approve``: the authorized person approves the results (S1-p.67).

Notices (e-mail, where the person has an address) go to the evaluated servants and their
evaluators (the direct manager and the sheet reviewer of the cycle's snapshot) when the chair
consents, i.e. when the schedule is formed, no later than the notice day (S1-p.57).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.inbox import conf as inbox_conf
from bagalau.inbox import services as inbox
from bagalau.notifications import services as notifications
from bagalau.notifications.models import KIND_WORKFLOW
from bagalau.notifications.selectors import address_for
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Servant, StateBody

logger = logging.getLogger(__name__)

CONSENT = "commission.consent"
ATTEND = "commission.attend"
DOCUMENTS = "commission.documents"
SIGN = "commission.sign"
APPROVE = "commission.approve"

# The rule id stored with the meeting date when it is a work item's due date: the date is the one
# agreed with the chair (S1-p.63), not counted, so it names that agreement.
MEETING_DATE_RULE = "commission_meeting_date"

TITLES = {
    CONSENT: gettext_noop("Agree the commission meeting proposed for %(date)s"),
    ATTEND: gettext_noop("Evaluation commission meeting on %(date)s"),
    DOCUMENTS: gettext_noop("Prepare the evaluation sheets and the draft protocol for the commission meeting "
                            "of %(date)s"),
    SIGN: gettext_noop("Sign the protocol of the commission meeting of %(date)s"),
    APPROVE: gettext_noop("Approve the evaluation results of the commission meeting of %(date)s"),
}

NOTICE_SUBJECT = gettext_noop("Evaluation commission meeting on %(date)s")
NOTICE_TEXT = gettext_noop("The evaluation commission will consider the evaluation results of %(name)s on "
                           "%(date)s, %(place)s. This notice is given under %(clause)s.")
MEMBER_TEXT = gettext_noop("You are to sit on the evaluation commission on %(date)s, %(place)s; "
                           "%(count)s evaluation results are on the agenda.")

# The web app's page for a meeting (without it, items carry no link). It takes the meeting id.
MEETING_URL = "web:commission_meeting"


def _date(day: dt.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def titles(code: str, day: dt.date) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            out[lang] = (_(TITLES[code]) % {"date": _date(day)})[:300]
    return out


def meeting_url(meeting: models.Model) -> str:
    try:
        return reverse(MEETING_URL, args=[meeting.pk])
    except NoReverseMatch:
        return ""


def _usable(user: Any, body: StateBody) -> bool:
    return user is not None and user.is_active and bool(roles_for(user, body))


def open_for_user(*, body: StateBody, obj: models.Model, meeting: Any, code: str, user: Any,
                  due: dt.date | None = None, due_rule: str = "", due_clause: str = "",
                  due_explanation: dict[str, Any] | None = None, role: str = "") -> None:
    """A personal work item on `obj`, or one for `role` (anyone holding it in the body) when the
    user holds no role there and so cannot be an assignee."""
    assignee = user if _usable(user, body) else None
    if assignee is None and not role:
        logger.info("commission meeting %s: %s holds no role in the body, no %s item", meeting.pk, user, code)
        return
    inbox.open_item(
        body=body, obj=obj, action=code, due=due, due_rule=due_rule if due else "",
        due_clause=due_clause if due else "", due_explanation=due_explanation if due else None,
        assignee=assignee, assignee_role="" if assignee is not None else role,
        titles=titles(code, meeting.meeting_on), url=meeting_url(meeting),
    )


def close(obj: models.Model, code: str, *, actor: Any) -> None:
    """Close the open items `code` of `obj` (a meeting, or a member's attendance row)."""
    inbox.close_items(obj=obj, action=code, actor=actor)


def notify(*, body: StateBody, key: str, subject: str, text: str, user: Any = None,
           servant: Servant | None = None) -> bool:
    """Queue one e-mail if the person has an address; False (nothing queued) otherwise."""
    channel = "email"
    if not address_for(channel, recipient=user, recipient_servant=servant):
        logger.info("commission notice %s: no e-mail address, not sent", key)
        return False
    queued = notifications.queue(
        body=body, recipient=user, recipient_servant=servant, channel=channel, subject=subject, text=text,
        kind=KIND_WORKFLOW, dedupe_key=key[:200], language=inbox_conf.notification_language(),
    )
    return queued is not None


def meeting_notice(*, body: StateBody, meeting: Any, servant: Servant, subject_name: str, subject_id: int,
                   clause: str) -> bool:
    """The notice of the sitting to an evaluated servant or an evaluator about one servant's result
    (S1-p.57). Queued once per meeting date, person and servant evaluated."""
    language = inbox_conf.notification_language()
    with translation.override(language):
        values = {"date": _date(meeting.meeting_on), "place": meeting.place or "-", "name": subject_name,
                  "clause": clause}
        subject = _(NOTICE_SUBJECT) % values
        text = _(NOTICE_TEXT) % values
    key = f"commission:{meeting.pk}:{meeting.meeting_on.isoformat()}:notice:{servant.pk}:{subject_id}"
    return notify(body=body, key=key, subject=subject, text=text, user=servant.user, servant=servant)


def member_notice(*, body: StateBody, meeting: Any, user: Any, servant: Servant | None, count: int) -> bool:
    language = inbox_conf.notification_language()
    with translation.override(language):
        values = {"date": _date(meeting.meeting_on), "place": meeting.place or "-", "count": count}
        subject = _(NOTICE_SUBJECT) % values
        text = _(MEMBER_TEXT) % values
    key = f"commission:{meeting.pk}:{meeting.meeting_on.isoformat()}:member:{user.pk}"
    return notify(body=body, key=key, subject=subject, text=text, user=user, servant=servant)

