"""The reminder sweep stopped in the middle (the process dies after some work items were handled)
and run again sends every reminder exactly once: items already reminded are not reminded again
(their dedupe key), the rest are not forgotten.

The stop is injected into the sweep's per-item step as a SystemExit, which the sweep's per-item
error handling does not swallow (it catches Exception), so the pass really ends there, with the
items before it committed, as a killed worker would leave them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from bagalau.inbox import sweep
from bagalau.inbox.models import WorkItem
from bagalau.inbox.services import open_item
from bagalau.notifications.models import KIND_REMINDER, Notification
from tests import factories

DUE = dt.date(2024, 5, 10)
N = 8
STOP_AT = 4


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@pytest.fixture
def items(db, body) -> list[WorkItem]:
    opened = []
    for i in range(N):
        user = factories.user(f"sweep_member_{i}")
        servant = factories.servant(body, "Еслеуов")
        servant.user = user
        servant.save(update_fields=["user"])
        with transaction.atomic():
            opened.append(open_item(
                body=body, obj=servant, action="sheet.sign", assignee=user, url="/sheets/1/",
                titles={"kk": "Парақ", "ru": "Лист", "en": "Sheet"}, due=DUE, due_rule="sheet_resubmission_due",
                due_clause="S1-p.55"))
    return opened


def test_a_sweep_killed_mid_pass_and_run_again_reminds_each_item_once(items, monkeypatch,
                                                                     django_capture_on_commit_callbacks):
    real_notify = sweep._notify
    handled: list[int] = []

    def dying_notify(item, *args, **kwargs):
        if len(handled) == STOP_AT:
            raise SystemExit("worker killed")
        handled.append(item.pk)
        return real_notify(item, *args, **kwargs)

    monkeypatch.setattr(sweep, "_notify", dying_notify)
    with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
        sweep.run_sweep(today=DUE, now=noon(DUE))
    reminders = Notification.objects.filter(kind=KIND_REMINDER)
    assert reminders.count() == STOP_AT  # mid-pass: some reminded, the rest not yet

    monkeypatch.setattr(sweep, "_notify", real_notify)
    with django_capture_on_commit_callbacks(execute=True):
        result = sweep.run_sweep(today=DUE, now=noon(DUE))
    assert result["reminders_queued"] == N - STOP_AT
    per_item = {}
    for key in reminders.values_list("dedupe_key", flat=True):
        item_id = int(key.split(":")[1])
        per_item[item_id] = per_item.get(item_id, 0) + 1
    assert per_item == {item.pk: 1 for item in items}, "every item reminded exactly once"
    assert set(reminders.values_list("status", flat=True)) == {"sent"}
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep.run_sweep(today=DUE, now=noon(DUE))["reminders_queued"] == 0
