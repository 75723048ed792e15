"""The notification settings, each with its default, read at call time.

Reading them here (not at import) lets `override_settings` work in tests and keeps
config/settings.py short: a setting only needs a line there when a machine wants another value.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

DEFAULT_SMS_GATEWAY = "bagalau.notifications.channels.LogOnlySmsGateway"


def sms_gateway() -> object:
    """BAGALAU_SMS_GATEWAY: a dotted path to a gateway class (or the class itself, in tests)."""
    return getattr(settings, "BAGALAU_SMS_GATEWAY", DEFAULT_SMS_GATEWAY)


def max_attempts() -> int:
    """BAGALAU_NOTIFY_MAX_ATTEMPTS: failed attempts after which a message is given up (default 6)."""
    return int(getattr(settings, "BAGALAU_NOTIFY_MAX_ATTEMPTS", 6))


def backoff_base() -> dt.timedelta:
    """BAGALAU_NOTIFY_BACKOFF_SECONDS: wait after the first failure; doubles after each (default 300)."""
    return dt.timedelta(seconds=int(getattr(settings, "BAGALAU_NOTIFY_BACKOFF_SECONDS", 300)))


def queued_grace() -> dt.timedelta:
    """BAGALAU_NOTIFY_QUEUED_GRACE_SECONDS: how long a queued message may wait for its own task
    before the sweep delivers it instead (default 120)."""
    return dt.timedelta(seconds=int(getattr(settings, "BAGALAU_NOTIFY_QUEUED_GRACE_SECONDS", 120)))


def claim_timeout() -> dt.timedelta:
    """BAGALAU_NOTIFY_CLAIM_TIMEOUT_SECONDS: a message still "sending" after this long was being
    sent by a worker that died; the sweep takes it back (default 900). Keep it well above
    EMAIL_TIMEOUT."""
    return dt.timedelta(seconds=int(getattr(settings, "BAGALAU_NOTIFY_CLAIM_TIMEOUT_SECONDS", 900)))


def retry_batch() -> int:
    """BAGALAU_NOTIFY_RETRY_BATCH: most messages one sweep delivers, so a sweep stays short (default 500)."""
    return int(getattr(settings, "BAGALAU_NOTIFY_RETRY_BATCH", 500))
