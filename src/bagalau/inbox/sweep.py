"""The sweep: one pass over deadlines and the outbox, run every few minutes by the background task
(tasks.py) and on demand by `manage.py sweep_now`.

1. **Reminders.** BAGALAU_REMINDER_DAYS_BEFORE = (2, 0) means: on the 2nd working day before the
   due date and on the due date itself (working days counted on the KZ calendar with the
   administrator's overrides, `lawbook.selectors.working_calendar`). On each pass an open item
   gets the reminder of the *latest* reminder day that has been reached, once: its dedupe key
   (item, due date, days before, recipient, channel) makes a second pass a no-op. A sweep that
   did not run on the reminder day (worker down over a weekend) still sends it on its next pass
   before the due date, and sends one reminder, not a backlog.
2. **Overdue.** An open item whose due date has passed is marked once (`overdue_since`, audit
   event "inbox.overdue" with the rule and clause) and its assignees get an "overdue" notice.
3. **Outbox.** Failed notifications whose backoff has passed, messages still queued after a grace
   period (their task was lost), and deliveries interrupted by a dead worker are delivered again.
4. **Other apps' upkeep.** Steps registered with `register_step` (from an app's `ready()`, e.g. the
   documents app resuming batches whose worker died) run last, each guarded like an item: the
   inbox knows nothing of them beyond the name their count is reported under.

`today` and `now` are parameters, never read from the clock here, so tests (and an operator
replaying a missed day) control time. Each work item is handled in its own transaction; an error
on one is logged and counted, and the pass goes on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from bagalau.inbox import conf, messages, services
from bagalau.inbox.models import ItemState, WorkItem
from bagalau.inbox.recipients import Recipients
from bagalau.lawbook.selectors import working_calendar
from bagalau.methodology.calendar import WorkingCalendar
from bagalau.notifications import services as notifications
from bagalau.notifications.models import KIND_OVERDUE, KIND_REMINDER
from bagalau.notifications.selectors import address_for, servant_of

logger = logging.getLogger(__name__)

# name -> step(now) returning a count; filled by AppConfig.ready() of the apps that need upkeep.
_STEPS: dict[str, Callable[[dt.datetime], int]] = {}


def register_step(name: str, step: Callable[[dt.datetime], int]) -> None:
    """Run `step(now)` on every pass; its result is reported as `name` in the pass's summary."""
    _STEPS[name] = step


def run_registered_steps(*, now: dt.datetime) -> tuple[dict[str, int], int]:
    """Step 4. Returns ({name: count}, errors); one failing step does not stop the others."""
    counts: dict[str, int] = {}
    errors = 0
    for name, step in _STEPS.items():
        try:
            counts[name] = step(now)
        except Exception:
            logger.exception("sweep: step %s failed", name)
            errors += 1
    return counts, errors


def language_for(user: Any) -> str:
    """The language a person is written to in (one setting for now; see conf.notification_language)."""
    return conf.notification_language()


def reminder_step(due: dt.date, today: dt.date, days_before: tuple[int, ...], calendar: WorkingCalendar) -> int | None:
    """Which reminder is owed on `today` for an item due on `due`: the smallest n in `days_before`
    whose day (the n-th working day before `due`; n = 0 is `due` itself) has been reached, or None
    when no reminder day has come yet or the due date has passed."""
    if today > due:
        return None
    for n in sorted(days_before):
        if calendar.add_working_days(due, -n).value <= today:
            return n
    return None


def _notify(item: WorkItem, recipients: list[Any], *, kind: str, key_prefix: str, subject_text: Any) -> int:
    """Queue one message per recipient and channel that has an address. `subject_text(lang)` gives
    (subject, text). Returns how many were queued (duplicates by dedupe key are not)."""
    queued = 0
    for user in recipients:
        servant = servant_of(user, item.body_id)
        language = language_for(user)
        for channel in conf.reminder_channels():
            if not address_for(channel, recipient=user, recipient_servant=servant):
                logger.info("work item %s: %s has no %s address, no %s sent", item.pk, user, channel, kind)
                continue
            subject, text = subject_text(language)
            notification = notifications.queue(
                body=item.body, recipient=user, recipient_servant=servant, channel=channel, subject=subject,
                text=text, kind=kind, dedupe_key=f"{key_prefix}:{user.pk}:{channel}", language=language)
            queued += notification is not None
    return queued


def send_reminders(*, today: dt.date, calendar: WorkingCalendar, recipients: Recipients) -> tuple[int, int]:
    """Step 1. Returns (reminders queued, errors)."""
    days_before = conf.reminder_days_before()
    if not days_before:
        return 0, 0
    # An item due after the max-th working day from today cannot have reached any reminder day.
    horizon = calendar.add_working_days(today, max(days_before)).value
    items = (WorkItem.objects.filter(state=ItemState.OPEN, due__gte=today, due__lte=horizon)
             .select_related("body", "assignee").order_by("due", "pk"))
    queued = errors = 0
    for item in items:
        assert item.due is not None
        step = reminder_step(item.due, today, days_before, calendar)
        if step is None:
            continue
        left = calendar.working_days_between(today, item.due).value
        try:
            with transaction.atomic():
                count = _notify(
                    item, recipients.for_item(item), kind=KIND_REMINDER,
                    key_prefix=f"reminder:{item.pk}:{item.due.isoformat()}:{step}",
                    subject_text=lambda lang, item=item, left=left: messages.reminder(
                        item, language=lang, working_days_left=left))
                if count:
                    services.note_reminded(item, today=today)
                queued += count
        except Exception:
            logger.exception("sweep: reminders for work item %s failed", item.pk)
            errors += 1
    return queued, errors


def mark_overdue(*, today: dt.date, recipients: Recipients) -> tuple[int, int, int]:
    """Step 2. Returns (items marked, notices queued, errors)."""
    ids = list(WorkItem.objects.filter(state=ItemState.OPEN, due__lt=today, overdue_since__isnull=True)
               .order_by("due", "pk").values_list("pk", flat=True))
    marked = queued = errors = 0
    for pk in ids:
        try:
            with transaction.atomic():
                item = services.mark_overdue(pk, today=today)
                if item is None:
                    continue
                assert item.due is not None
                marked += 1
                queued += _notify(
                    item, recipients.for_item(item), kind=KIND_OVERDUE,
                    key_prefix=f"overdue:{item.pk}:{item.due.isoformat()}",
                    subject_text=lambda lang, item=item: messages.overdue(item, language=lang))
        except Exception:
            logger.exception("sweep: overdue marking of work item %s failed", pk)
            errors += 1
    return marked, queued, errors


def run_sweep(*, today: dt.date, now: dt.datetime) -> dict[str, int]:
    """One full pass (steps 1–4). Returns counts for the log and the task result."""
    calendar = working_calendar()
    recipients = Recipients(on=today)
    reminders, reminder_errors = send_reminders(today=today, calendar=calendar, recipients=recipients)
    marked, overdue_notices, overdue_errors = mark_overdue(today=today, recipients=recipients)
    outbox = notifications.retry_due(now=now)
    upkeep, upkeep_errors = run_registered_steps(now=now)
    return {
        "reminders_queued": reminders,
        "overdue_marked": marked,
        "overdue_notices_queued": overdue_notices,
        "errors": reminder_errors + overdue_errors + upkeep_errors,
        "claims_released": outbox["released"],
        "redelivered_sent": outbox["sent"],
        "redelivered_failed": outbox["failed"],
        "gave_up": outbox["gave_up"],
        **upkeep,
    }
