"""Queueing many messages at once (the notices of a cycle launch) writes what queueing them one by
one writes: the same rows, None for a taken key or a channel switched off, every check made before
anything is written, and each message sent after the commit."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from bagalau.notifications.models import Notification, Preference, Status
from bagalau.notifications.services import queue, queue_many
from tests import factories

FIELDS = ("recipient_id", "recipient_servant_id", "channel", "address", "language", "subject", "body_text", "kind",
          "dedupe_key", "status")


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture
def people(db, body):
    users = []
    for _ in range(3):
        user = factories.user()
        servant = factories.servant(body)
        servant.user = user
        servant.save(update_fields=["user"])
        users.append(user)
    Preference.objects.create(user=users[2], email=False)
    return users


def messages(people: list[Any]) -> list[dict[str, Any]]:
    out = [{"recipient": user, "channel": "email", "subject": f"Work item {i}\n", "text": "Due on 19.01.2026.",
            "kind": "workflow", "dedupe_key": f"item:{i}", "language": "kk"} for i, user in enumerate(people)]
    out.append({**out[0], "subject": "The same key again"})  # a repeat within the batch
    out.append({**out[1], "dedupe_key": "taken"})  # queued earlier
    return out


def rows() -> list[tuple[Any, ...]]:
    return list(Notification.objects.order_by("pk").values_list(*FIELDS))


def test_many_at_once_writes_what_one_at_a_time_writes(body, people, mailoutbox, django_capture_on_commit_callbacks):
    with transaction.atomic():
        queue(**{**messages(people)[-1], "body": body})
    Notification.objects.update(subject="Queued earlier")
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        one_by_one = [queue(body=body, **m) for m in messages(people)]
    expected = rows()
    Notification.objects.exclude(dedupe_key="taken").delete()

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        together = queue_many(body=body, messages=messages(people))
        assert rows() == expected
        assert mailoutbox == []  # nothing leaves before the commit

    assert [n is None for n in together] == [n is None for n in one_by_one] == [False, False, True, True, True]
    assert len(callbacks) == 1  # one after-commit step enqueues every send task
    assert {n.status for n in Notification.objects.exclude(dedupe_key="taken")} == {Status.SENT}
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in people[:2])


def test_one_bad_message_writes_none_of_them(body, people):
    batch = messages(people)
    batch[1] = {**batch[1], "channel": "pigeon"}
    with pytest.raises(ValidationError) as exc, transaction.atomic():
        queue_many(body=body, messages=batch)
    assert "channel" in exc.value.message_dict
    assert Notification.objects.count() == 0
