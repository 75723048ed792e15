"""Fixtures for the outbox tests: a recipient, a queueing helper, gateways that fail on purpose."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from bagalau.notifications.channels import DeliveryError
from bagalau.notifications.models import Notification
from bagalau.notifications.services import queue
from tests import factories

T0 = timezone.make_aware(dt.datetime(2024, 5, 6, 9, 0))


@pytest.fixture
def person(db, body):
    """A login of the body with an e-mail address and a servant record with a mobile phone."""
    user = factories.user()
    servant = factories.servant(body)
    servant.user = user
    servant.phone = "+77017654321"
    servant.save(update_fields=["user", "phone"])
    return user


@pytest.fixture
def queue_one(body, person) -> Callable[..., Notification | None]:
    def _queue(**overrides: Any) -> Notification | None:
        kwargs: dict[str, Any] = {
            "body": body, "recipient": person, "channel": "email", "subject": "Еске салу",
            "text": "Мерзімі 10.05.2024 (S1-p.55).", "kind": "reminder", "dedupe_key": "reminder:1:2024-05-10:2",
            "language": "kk",
        }
        kwargs.update(overrides)
        with transaction.atomic():
            return queue(**kwargs)

    return _queue


class FailingGateway:
    """An SMS gateway that is down."""

    calls = 0

    def send(self, phone: str, text: str) -> str:
        FailingGateway.calls += 1
        raise DeliveryError("gateway answered 503 Service Unavailable")


class FlakyGateway:
    """Down for the first `failures` calls, then up."""

    failures = 2
    calls = 0
    sent: list[str] = []

    def send(self, phone: str, text: str) -> str:
        FlakyGateway.calls += 1
        if FlakyGateway.calls <= FlakyGateway.failures:
            raise ConnectionError("connection reset by peer")  # not a DeliveryError: still recorded
        FlakyGateway.sent.append(text)
        return f"flaky-{FlakyGateway.calls}"


@pytest.fixture
def failing_gateway(settings):
    FailingGateway.calls = 0
    settings.BAGALAU_SMS_GATEWAY = FailingGateway
    return FailingGateway


@pytest.fixture
def flaky_gateway(settings):
    FlakyGateway.calls = 0
    FlakyGateway.sent = []
    settings.BAGALAU_SMS_GATEWAY = FlakyGateway
    return FlakyGateway
