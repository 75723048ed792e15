"""The side effects of the outcomes' steps: work items (with their date and rule) and the
notifications, every one through the notifications app's kk/ru templates and outbox.

Work item action codes:

* ``outcomes.sign``: the servant reads and signs the result; due on the familiarization day
  (S1-p.12, p.68). Closed by the signature, the refusal act or a remote notice.
* ``outcomes.act``: HR draws up the refusal act (S0-p.40) when the servant refused in the system.
* ``outcomes.deliver``: HR sends the result to a servant who refused (S0-p.40 para 2), due on the
  same term.
* ``outcomes.review``: the appeal reviewer the appeal is addressed to (no term is set for him).
* ``outcomes.revise``: HR puts a result reopened after an appeal before the commission again.
* ``outcomes.decide``: the authorized person decides on a consequence proposal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.inbox import services as inbox
from bagalau.notifications import services as notifications
from bagalau.notifications import templates
from bagalau.notifications.models import KIND_WORKFLOW
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, Servant, StateBody

SIGN = "outcomes.sign"
ACT = "outcomes.act"
DELIVER = "outcomes.deliver"
REVIEW = "outcomes.review"
REVISE = "outcomes.revise"
DECIDE = "outcomes.decide"

TITLES = {
    SIGN: gettext_noop("Read and sign your evaluation result"),
    ACT: gettext_noop("Draw up the act of refusal of %(name)s to sign the evaluation result"),
    DELIVER: gettext_noop("Send the evaluation result to %(name)s, who refused to sign"),
    REVIEW: gettext_noop("Review the appeal of %(name)s"),
    REVISE: gettext_noop("Put the result of %(name)s before the commission again"),
    DECIDE: gettext_noop("Decide on the proposal for %(name)s"),
}

T_RESULT = "outcomes.result_final"
T_REMOTE = "outcomes.remote_notice"
T_APPEAL_FILED = "outcomes.appeal_filed"
T_APPEAL_DECIDED = "outcomes.appeal_decided"
T_CONSEQUENCE = "outcomes.consequence_decided"

templates.register(
    T_RESULT, gettext_noop("Your evaluation result is approved"),
    gettext_noop("Your evaluation result (%(result)s) was approved on %(approved)s. Read and sign it in the "
                 "system by %(due)s (%(clause)s). You may appeal to the authorized body for civil service affairs "
                 "until %(appeal_by)s (%(appeal_clause)s)."))
templates.register(
    T_REMOTE, gettext_noop("Evaluation result: notice"),
    gettext_noop("%(name)s, your evaluation result for %(period)s was approved on %(approved)s: %(result)s. This "
                 "notice is sent to you while you are absent (%(clause)s)."))
templates.register(
    T_APPEAL_FILED, gettext_noop("A new appeal addressed to you"),
    gettext_noop("%(name)s (%(body)s) filed an appeal on %(filed)s against the evaluation result approved on "
                 "%(approved)s. Filed %(timeliness)s."))
templates.register(
    T_APPEAL_DECIDED, gettext_noop("Your appeal has been reviewed"),
    gettext_noop("The reviewer decided on your appeal of %(filed)s: %(outcome)s (%(clause)s)."))
templates.register(
    T_CONSEQUENCE, gettext_noop("A decision on your evaluation result"),
    gettext_noop("The authorized person approved the proposal made on your evaluation result: %(purpose)s."))


def show(day: dt.date, language: str | None = None) -> str:
    if language:
        with translation.override(language):
            return formats.date_format(day, "SHORT_DATE_FORMAT")
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def titles(code: str, **values: Any) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            out[lang] = (_(TITLES[code]) % values)[:300]
    return out


def url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def open_item(*, body: StateBody, obj: models.Model, code: str, user: Any = None, role: str = "",
              due: dt.date | None = None, due_rule: str = "", due_clause: str = "",
              subject: Servant | None = None, link: str = "", **values: Any) -> None:
    """A personal item when the user holds a role in the body, else one for `role`."""
    assignee = user if user is not None and user.is_active and roles_for(user, body) else None
    if assignee is None and not role:
        return
    inbox.open_item(body=body, obj=obj, action=code, due=due, due_rule=due_rule if due else "",
                    due_clause=due_clause if due else "", assignee=assignee,
                    assignee_role="" if assignee is not None else role, subject_servant=subject,
                    titles=titles(code, **values), url=link)


def close(obj: models.Model, code: str, *, actor: Any) -> None:
    inbox.close_items(obj=obj, action=code, actor=actor)


def send(*, body: StateBody, template: str, values: dict[str, Any], key: str, user: Any = None,
         servant: Servant | None = None, channels: tuple[str, ...] = ("email", "sms"),
         required: bool = False) -> list[Any]:
    """Every outcomes notification goes through here, and so through the outbox."""
    return notifications.notify(body=body, template=template, values=values, dedupe_key=key, kind=KIND_WORKFLOW,
                                recipient=user, recipient_servant=servant, channels=channels, required=required)


HR_ROLE = Role.HR
AUTHORIZED_ROLE = Role.AUTHORIZED_PERSON
