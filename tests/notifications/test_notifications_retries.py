"""Nothing is lost: a lost task, a failing channel and a worker that died mid-delivery are all
recovered by the sweep; every try is logged; a message that keeps failing is given up, audited,
and kept."""

from __future__ import annotations

import datetime as dt
import io
import smtplib

import pytest
from django.core.management import call_command
from django.db.models import F
from django.test import override_settings

from bagalau.audit.models import AuditEvent
from bagalau.inbox.sweep import run_sweep
from bagalau.notifications.models import DeliveryAttempt, Notification, Status
from bagalau.notifications.services import backoff, deliver, retry_due

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


def sweep_at(now: dt.datetime) -> dict[str, int]:
    return run_sweep(today=now.date(), now=now)


def test_backoff_doubles_from_five_minutes():
    assert [backoff(n) for n in range(1, 6)] == [dt.timedelta(minutes=m) for m in (5, 10, 20, 40, 80)]


def test_failures_back_off_then_give_up_with_an_audit_event(queue_one, failing_gateway):
    notification = queue_one(channel="sms", dedupe_key="sms-down")
    t = notification.created_at

    assert deliver(notification.pk, now=t) == Status.FAILED
    notification.refresh_from_db()
    assert (notification.attempts, notification.next_attempt_at) == (1, t + dt.timedelta(minutes=5))
    assert "503" in notification.last_error

    # Not before its time: a sweep four minutes later leaves it alone.
    sweep_at(t + dt.timedelta(minutes=4))
    notification.refresh_from_db()
    assert notification.attempts == 1

    waits = []
    while notification.status == Status.FAILED:
        waits.append(notification.next_attempt_at - t)
        t = notification.next_attempt_at
        sweep_at(t)
        notification.refresh_from_db()

    assert waits == [dt.timedelta(minutes=m) for m in (5, 10, 20, 40, 80)]
    assert (notification.status, notification.attempts, notification.next_attempt_at) == (Status.GAVE_UP, 6, None)
    assert failing_gateway.calls == 6
    attempts = list(notification.delivery_attempts.all())
    assert len(attempts) == 6 and not any(a.ok for a in attempts)
    [event] = AuditEvent.objects.filter(action="notification.gave_up")
    assert (event.object_type, event.object_id) == ("notifications.notification", str(notification.pk))
    assert event.payload["attempts"] == 6 and event.payload["channel"] == "sms"
    assert "+7701" not in str(event.payload)  # the phone number is personal data: not in the trail

    # Given up means kept, not retried and not deleted.
    sweep_at(t + dt.timedelta(days=30))
    assert failing_gateway.calls == 6
    assert Notification.objects.filter(pk=notification.pk, status=Status.GAVE_UP).exists()


def test_a_failing_gateway_is_retried_by_the_sweep_until_it_works(queue_one, flaky_gateway):
    notification = queue_one(channel="sms", dedupe_key="sms-flaky")
    t = notification.created_at
    deliver(notification.pk, now=t)  # the task's attempt: fails

    for _ in range(4):
        notification.refresh_from_db()
        if notification.status != Status.FAILED:
            break
        sweep_at(notification.next_attempt_at)

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert notification.attempts == 3
    assert flaky_gateway.sent == ["Мерзімі 10.05.2024 (S1-p.55)."]
    log = list(notification.delivery_attempts.values_list("ok", "error", "provider_ref"))
    assert [ok for ok, _e, _r in log] == [False, False, True]
    assert "ConnectionError" in log[0][1]
    assert log[2][2] == "flaky-3"


def test_a_lost_task_is_delivered_by_sweep_now(queue_one, mailoutbox, django_capture_on_commit_callbacks, person):
    # The dummy backend stores the task and never runs it: the worker "crashed" after the commit.
    with override_settings(TASKS=DUMMY_TASKS), django_capture_on_commit_callbacks(execute=True):
        notification = queue_one()
    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.status == Status.QUEUED

    # Within the grace period the sweep leaves it to its own task...
    call_command("sweep_now", stdout=io.StringIO())
    assert mailoutbox == []
    # ...ten minutes on, the row (the truth) is delivered by the sweep.
    Notification.objects.filter(pk=notification.pk).update(created_at=F("created_at") - dt.timedelta(minutes=10))
    call_command("sweep_now", stdout=io.StringIO())

    notification.refresh_from_db()
    assert notification.status == Status.SENT
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert DeliveryAttempt.objects.filter(notification=notification, ok=True).count() == 1


def test_a_delivery_interrupted_by_a_dead_worker_is_taken_back(queue_one, mailoutbox):
    notification = queue_one()
    t = notification.created_at
    # A worker claimed it and died before writing the result.
    Notification.objects.filter(pk=notification.pk).update(status=Status.SENDING, claimed_at=t)

    sweep_at(t + dt.timedelta(minutes=5))  # still within the claim timeout: maybe still sending
    notification.refresh_from_db()
    assert notification.status == Status.SENDING and mailoutbox == []

    summary = sweep_at(t + dt.timedelta(minutes=16))
    notification.refresh_from_db()
    assert summary["claims_released"] == 1
    assert notification.status == Status.SENT and notification.attempts == 2
    lost, ok = notification.delivery_attempts.all()
    assert not lost.ok and "interrupted" in lost.error
    assert ok.ok
    assert len(mailoutbox) == 1


def test_an_smtp_error_is_a_logged_failure(queue_one, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"x@example.kz": (550, b"mailbox unavailable")})

    monkeypatch.setattr("bagalau.notifications.channels.EmailMessage.send", refuse)
    notification = queue_one()
    assert deliver(notification.pk, now=notification.created_at) == Status.FAILED
    attempt = notification.delivery_attempts.get()
    assert "SMTPRecipientsRefused" in attempt.error


@pytest.mark.parametrize("status", [Status.SENT, Status.GAVE_UP, Status.SENDING])
def test_retry_due_leaves_settled_and_claimed_messages_alone(queue_one, status, mailoutbox):
    notification = queue_one()
    Notification.objects.filter(pk=notification.pk).update(status=status, next_attempt_at=None,
                                                            claimed_at=notification.created_at)
    outcome = retry_due(now=notification.created_at + dt.timedelta(minutes=10))
    assert outcome == {"released": 0, "sent": 0, "failed": 0, "gave_up": 0}
    assert mailoutbox == []
