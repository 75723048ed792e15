"""The texts of reminders and overdue notices, in the recipient's language.

Each message is rendered under `translation.override(language)`, so the wording comes from the kk
or ru catalog (English msgids here) and the date from that language's SHORT_DATE_FORMAT: 10.05.2024
in both (bagalau.formats.kk gives Kazakh its dd.mm.yyyy). The title is the one the workflow gave
in that language, and the clause is the one the due date came from, so the reader can check it.
"""

from __future__ import annotations

import datetime as dt

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bagalau.inbox import conf
from bagalau.inbox.models import WorkItem


def format_date(day: dt.date, language: str) -> str:
    with translation.override(language):
        return formats.date_format(day, "SHORT_DATE_FORMAT")


def _basis(item: WorkItem) -> str:
    return item.due_clause or item.due_rule


def _link(item: WorkItem) -> str:
    if not item.url:
        return ""
    url = item.url
    if url.startswith("/"):
        url = conf.site_url() + url
    return "\n\n" + _("Open: %(url)s") % {"url": url}


def reminder(item: WorkItem, *, language: str, working_days_left: int) -> tuple[str, str]:
    """(subject, text) of a reminder sent `working_days_left` working days before the due date
    (counted on the day it is written, so a late reminder does not promise days that have gone)."""
    assert item.due is not None, "a reminder needs a due date"
    with translation.override(language):
        title = item.title(language)
        values = {"title": title, "date": format_date(item.due, language), "clause": _basis(item)}
        if working_days_left <= 0:
            subject = _("Due today: %(title)s") % values
        else:
            subject = _("Reminder: %(title)s") % values
        text = _("%(title)s is due on %(date)s (%(clause)s).") % values
        if working_days_left > 0:
            text += " " + ngettext("%(n)d working day left.", "%(n)d working days left.", working_days_left) % {
                "n": working_days_left}
        return subject, text + _link(item)


def overdue(item: WorkItem, *, language: str) -> tuple[str, str]:
    """(subject, text) of the notice that the due date has passed."""
    assert item.due is not None, "an overdue notice needs a due date"
    with translation.override(language):
        values = {"title": item.title(language), "date": format_date(item.due, language),
                  "clause": _basis(item)}
        subject = _("Overdue: %(title)s") % values
        text = _("%(title)s was due on %(date)s (%(clause)s) and is overdue.") % values
        return subject, text + _link(item)
