"""The outbox: queueing with dedupe, delivery after commit, nothing sent for a rolled-back
transaction, one logged attempt per try."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from bagalau.notifications.channels import LogOnlySmsGateway, get_channel
from bagalau.notifications.models import DeliveryAttempt, Notification, Status
from bagalau.notifications.services import deliver, queue
from tests import factories
from tests.notifications.conftest import T0


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


def test_queue_snapshots_the_address_and_is_deduplicated(queue_one, person, body):
    first = queue_one()
    again = queue_one(subject="Another subject")

    assert first is not None and again is None
    assert Notification.objects.count() == 1
    assert (first.address, first.status, first.attempts) == (person.email, Status.QUEUED, 0)
    assert first.recipient_servant is not None and first.recipient_servant.user_id == person.pk
    sms = queue_one(channel="sms", dedupe_key="sms-1")
    assert sms is not None and sms.address == "+77017654321"


def test_queued_then_delivered_after_commit(queue_one, person, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = queue_one()
        assert mailoutbox == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    notification.refresh_from_db()
    assert notification.status == Status.SENT and notification.sent_at is not None
    [mail] = mailoutbox
    assert (mail.subject, mail.to) == ("Еске салу", [person.email])
    [attempt] = notification.delivery_attempts.all()
    assert attempt.ok and attempt.provider_ref == mail.extra_headers["Message-ID"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"channel": "pigeon"}, "channel"),
        ({"language": "en"}, "language"),
        ({"subject": " \n "}, "subject"),
        ({"text": ""}, "text"),
        ({"dedupe_key": ""}, "dedupe_key"),
        ({"recipient": None}, "address"),
    ],
)
def test_bad_input_names_the_field(queue_one, overrides, field):
    with pytest.raises(ValidationError) as exc:
        queue_one(**overrides)
    assert field in exc.value.message_dict
    assert Notification.objects.count() == 0


def test_a_servant_of_another_body_is_refused(queue_one, other_body):
    with pytest.raises(ValidationError) as exc:
        queue_one(recipient=None, recipient_servant=factories.servant(other_body))
    assert exc.value.message_dict["recipient_servant"] == ["This servant belongs to another state body."]


def test_a_subject_cannot_inject_headers(queue_one):
    notification = queue_one(subject="Reminder\nBcc: everyone@example.kz")
    assert notification.subject == "Reminder Bcc: everyone@example.kz"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_queues_and_sends_nothing(body, mailoutbox):
    user = factories.user()
    factories.grant(user, body)

    class WorkflowFailed(Exception):
        pass

    def send(key: str, fail: bool) -> None:
        with transaction.atomic():
            queue(body=body, recipient=user, channel="email", subject="Sheet returned", text="Please revise.",
                  kind="workflow", dedupe_key=key, language="ru")
            if fail:
                raise WorkflowFailed

    with pytest.raises(WorkflowFailed):
        send("rolled-back", fail=True)
    assert Notification.objects.count() == 0
    assert mailoutbox == []

    send("committed", fail=False)  # the same call committed: queued and sent (real on_commit)
    assert list(Notification.objects.values_list("dedupe_key", "status")) == [("committed", Status.SENT)]
    assert len(mailoutbox) == 1


@pytest.mark.django_db(transaction=True)
def test_queue_outside_a_transaction_is_refused(body):
    user = factories.user()
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        queue(body=body, recipient=user, channel="email", subject="s", text="t", kind="workflow",
              dedupe_key="k", language="kk")


def test_deliver_twice_sends_once(queue_one, mailoutbox):
    notification = queue_one()
    later = notification.created_at + dt.timedelta(seconds=1)
    assert deliver(notification.pk, now=later) == Status.SENT
    assert deliver(notification.pk, now=later) == Status.SENT
    assert len(mailoutbox) == 1
    assert DeliveryAttempt.objects.count() == 1
    assert deliver(999_999, now=T0) == ""  # no such message: nothing to do


def test_the_log_only_sms_gateway_keeps_the_text(queue_one):
    LogOnlySmsGateway.sent.clear()
    notification = queue_one(channel="sms", dedupe_key="sms-log")
    status = deliver(notification.pk, now=notification.created_at)
    assert status == Status.SENT
    assert LogOnlySmsGateway.sent == [("+77017654321", "Мерзімі 10.05.2024 (S1-p.55).")]
    assert notification.delivery_attempts.get().provider_ref.startswith("log-")


def test_an_unknown_channel_at_delivery_time_is_a_logged_failure(body):
    notification = Notification.objects.create(
        body=body, channel="pigeon", address="roof", subject="s", body_text="t", kind="workflow",
        dedupe_key="pigeon-1", next_attempt_at=T0)
    assert deliver(notification.pk, now=T0) == Status.FAILED
    attempt = notification.delivery_attempts.get()
    assert not attempt.ok and "no delivery channel named 'pigeon'" in attempt.error


def test_channel_registry():
    assert get_channel("email").name == "email"
    assert get_channel("sms").name == "sms"
