"""Background task for the outbox: send one queued notification.

The task is only a wake-up call. The `Notification` row already says what to send and to whom,
so a lost task (a worker that crashed, an enqueue that failed after the commit) loses nothing: the
inbox sweep (`bagalau.inbox.tasks.sweep`) delivers any message still queued a few minutes later,
and retries failed ones after their backoff. django-tasks-db itself never retries.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from bagalau.notifications import services


@task()
def deliver_notification(notification_id: int) -> str:
    """One delivery attempt; returns the message's status afterwards (stored as the task result)."""
    return services.deliver(notification_id, now=timezone.now())
