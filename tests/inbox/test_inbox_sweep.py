"""The sweep: reminders on the right working days, once; overdue marks with their clause; the
sweep's own scheduling. Time is passed in (`today`, `now`), never slept for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from bagalau.audit.models import AuditEvent
from bagalau.inbox import messages
from bagalau.inbox.models import ItemState, SweepState, WorkItem
from bagalau.inbox.sweep import reminder_step, run_sweep
from bagalau.lawbook.selectors import working_calendar
from bagalau.methodology.calendar import WorkingCalendar
from bagalau.notifications.channels import LogOnlySmsGateway
from bagalau.notifications.models import KIND_OVERDUE, KIND_REMINDER, Notification, Status
from bagalau.orgs.models import Role
from tests import factories

DUE = dt.date(2024, 5, 10)  # Friday

# Hand check against spec/methodology.md section 14.1 (KZ calendar, May 2024):
#   Thu 09.05 Victory Day (public holiday)       - day off
#   Wed 08.05 transferred day off (for Sat 04.05) - day off
#   Tue 07.05 Defender of the Fatherland Day      - day off
#   Mon 06.05 working day                         - 1st working day before 10.05
#   Sun 05.05 weekend                             - day off
#   Sat 04.05 transferred WORKING day             - 2nd working day before 10.05
# So "2 working days before Fri 10.05.2024" is Sat 04.05.2024, not Mon 06.05 (which is only one
# working day before: 07, 08 and 09 May are all days off). Reminders go out on 04.05 and 10.05.
TWO_WD_BEFORE = dt.date(2024, 5, 4)


def days(start: dt.date, end: dt.date):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@pytest.fixture
def sweep_on(django_capture_on_commit_callbacks):
    """Run one pass as of `day`, executing the after-commit deliveries (ImmediateBackend)."""
    def _sweep(day: dt.date) -> dict[str, int]:
        with django_capture_on_commit_callbacks(execute=True):
            return run_sweep(today=day, now=noon(day))

    return _sweep


def test_the_calendar_agrees_with_the_hand_count():
    calendar = WorkingCalendar()
    assert calendar.add_working_days(DUE, -1).value == dt.date(2024, 5, 6)
    assert calendar.add_working_days(DUE, -2).value == TWO_WD_BEFORE


@pytest.mark.parametrize(
    ("today", "step"),
    [
        (dt.date(2024, 5, 3), None),  # before the 2nd working day before: nothing yet
        (dt.date(2024, 5, 4), 2),
        (dt.date(2024, 5, 6), 2),  # still the 2-day reminder (sent once, by its key)
        (dt.date(2024, 5, 9), 2),
        (dt.date(2024, 5, 10), 0),  # the due date itself
        (dt.date(2024, 5, 11), None),  # past due: overdue, not reminded
    ],
)
def test_reminder_step(today, step):
    assert reminder_step(DUE, today, (2, 0), WorkingCalendar()) == step


def test_reminders_go_out_on_the_right_working_days_once_each(open_for, member, sweep_on, mailoutbox):
    item = open_for(assignee=member)
    sent_on: dict[dt.date, int] = {}
    for day in days(dt.date(2024, 4, 29), DUE):
        before = len(mailoutbox)
        sweep_on(day)
        sweep_on(day)  # a second pass the same day sends nothing more
        if len(mailoutbox) > before:
            sent_on[day] = len(mailoutbox) - before

    assert sent_on == {TWO_WD_BEFORE: 1, DUE: 1}
    first, last = mailoutbox
    assert first.to == [member.email]
    # kk by default: the Kazakh title, the date as dd.mm.yyyy and the clause the date came from.
    assert "Бағалау парағына қол қою" in first.body
    assert "10.05.2024" in first.body and "S1-p.55" in first.body
    assert "10.05.2024" in last.body
    reminders = Notification.objects.filter(kind=KIND_REMINDER).order_by("pk")
    assert [n.dedupe_key for n in reminders] == [
        f"reminder:{item.pk}:2024-05-10:2:{member.pk}:email",
        f"reminder:{item.pk}:2024-05-10:0:{member.pk}:email",
    ]
    assert all(n.status == Status.SENT for n in reminders)
    item.refresh_from_db()
    assert item.last_reminded_on == DUE


def test_a_sweep_that_missed_the_reminder_day_still_reminds_once(open_for, member, sweep_on, mailoutbox, settings):
    settings.BAGALAU_NOTIFICATION_LANGUAGE = "ru"
    open_for(assignee=member)
    # The worker was down on Saturday 04.05: Monday's pass sends the 2-day reminder, once.
    for day in days(dt.date(2024, 5, 6), dt.date(2024, 5, 9)):
        sweep_on(day)
    assert len(mailoutbox) == 1
    assert "Остался 1 рабочий день" in mailoutbox[0].body  # counted on the day it is written


def test_role_items_remind_every_holder_in_the_body_only(open_for, hr, other_hr, sweep_on, mailoutbox, body):
    second_hr = factories.user()
    factories.grant(second_hr, body, Role.HR)
    inactive = factories.user()
    factories.grant(inactive, body, Role.HR)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    open_for(assignee_role=Role.HR)

    sweep_on(TWO_WD_BEFORE)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([hr.email, second_hr.email])


def test_reminders_on_sms_too_when_configured(open_for, member, sweep_on):
    LogOnlySmsGateway.sent.clear()
    open_for(assignee=member)
    with override_settings(BAGALAU_REMINDER_CHANNELS=("email", "sms")):
        sweep_on(DUE)
    assert [(phone, "10.05.2024" in text) for phone, text in LogOnlySmsGateway.sent] == [("+77011234567", True)]


def test_no_address_no_message_and_no_error(open_for, body, sweep_on):
    silent = factories.user()
    silent.email = ""
    silent.save(update_fields=["email"])
    factories.grant(silent, body, Role.HR)
    open_for(assignee=silent)

    summary = sweep_on(DUE)

    assert summary["reminders_queued"] == 0 and summary["errors"] == 0
    assert Notification.objects.count() == 0


def test_items_without_a_due_date_or_closed_are_left_alone(open_for, member, body, sweep_on):
    open_for(assignee=member, due=None, due_rule="", due_clause="")
    closed = open_for(assignee=member, obj=factories.servant(body), due=dt.date(2024, 5, 2))
    WorkItem.objects.filter(pk=closed.pk).update(state=ItemState.DONE)

    summary = sweep_on(DUE)

    assert summary["reminders_queued"] == summary["overdue_marked"] == 0
    assert not WorkItem.objects.filter(overdue_since__isnull=False).exists()


def test_overdue_is_marked_once_with_the_clause(open_for, member, sweep_on, mailoutbox, doc):
    item = open_for(assignee=member)

    sweep_on(DUE)  # due today: reminded, not overdue
    item.refresh_from_db()
    assert item.overdue_since is None
    mailoutbox.clear()

    sweep_on(dt.date(2024, 5, 13))  # Monday after
    sweep_on(dt.date(2024, 5, 14))

    item.refresh_from_db()
    assert item.overdue_since == dt.date(2024, 5, 11)  # the first day past due, not the day noticed
    [event] = AuditEvent.objects.filter(action="inbox.overdue")
    assert (event.object_type, event.object_id) == ("orgs.servant", str(doc.pk))
    assert event.clause == "S1-p.55"
    assert event.payload["due_rule"] == "sheet_resubmission_due"
    assert event.payload["noticed_on"] == "2024-05-13"
    [notice] = Notification.objects.filter(kind=KIND_OVERDUE)
    assert notice.status == Status.SENT
    [mail] = mailoutbox
    assert "10.05.2024" in mail.body and "S1-p.55" in mail.body


def test_messages_in_kazakh_and_russian(open_for, member):
    item = open_for(assignee=member)
    kk_subject, kk_text = messages.reminder(item, language="kk", working_days_left=2)
    ru_subject, ru_text = messages.reminder(item, language="ru", working_days_left=2)
    ov_subject, ov_text = messages.overdue(item, language="ru")

    assert "Бағалау парағына қол қою" in kk_subject and "10.05.2024" in kk_text
    assert "Подписать оценочный лист" in ru_subject and "10.05.2024" in ru_text
    assert "S1-p.55" in ru_text and "/sheets/1/" in ru_text
    assert "Подписать оценочный лист" in ov_subject and "10.05.2024" in ov_text
    with override_settings(BAGALAU_SITE_URL="https://bagalau.example.kz/"):
        assert "https://bagalau.example.kz/sheets/1/" in messages.overdue(item, language="kk")[1]


def test_sweep_now_command(open_for, member, mailoutbox, django_capture_on_commit_callbacks, capsys):
    open_for(assignee=member)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sweep_now", today="2024-05-04")
    out = capsys.readouterr().out
    assert "reminders_queued: 1" in out
    assert len(mailoutbox) == 1
    state = SweepState.objects.get()
    assert state.last_summary["today"] == "2024-05-04"
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("sweep_now", today="04.05.2024")


def test_the_calendar_overrides_move_reminders(open_for, member, sweep_on, mailoutbox):
    """An administrator's override (a decree the package does not know) changes the count."""
    from bagalau.lawbook.models import CalendarOverride

    CalendarOverride.objects.create(date=dt.date(2024, 5, 4), is_working=False, legal_act="test decree")
    assert working_calendar().add_working_days(DUE, -2).value == dt.date(2024, 5, 3)
    open_for(assignee=member)
    sweep_on(dt.date(2024, 5, 3))
    assert len(mailoutbox) == 1
