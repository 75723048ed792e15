"""The inbox and sweep settings, each with its default, read at call time (so `override_settings`
works and config/settings.py only needs a line where a machine wants another value)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def reminder_days_before() -> tuple[int, ...]:
    """BAGALAU_REMINDER_DAYS_BEFORE: working days before the due date on which a reminder goes out;
    0 is the due date itself. Default (2, 0)."""
    days = tuple(int(n) for n in getattr(settings, "BAGALAU_REMINDER_DAYS_BEFORE", (2, 0)))
    if any(n < 0 for n in days):
        raise ValueError(f"BAGALAU_REMINDER_DAYS_BEFORE must hold working-day counts >= 0, not {days!r}")
    return tuple(sorted(set(days)))


def sweep_interval() -> dt.timedelta:
    """BAGALAU_SWEEP_SECONDS: time between two sweeps (default 300)."""
    return dt.timedelta(seconds=int(getattr(settings, "BAGALAU_SWEEP_SECONDS", 300)))


def reminder_channels() -> tuple[str, ...]:
    """BAGALAU_REMINDER_CHANNELS: channels a reminder or overdue notice goes out on, for each
    recipient who has an address there (default ("email",))."""
    return tuple(getattr(settings, "BAGALAU_REMINDER_CHANNELS", ("email",)))


def notification_language() -> str:
    """BAGALAU_NOTIFICATION_LANGUAGE: language of reminders (kk or ru). Defaults to LANGUAGE_CODE
    (kk, the state language). There is no per-person language preference yet; when there is one,
    `bagalau.inbox.sweep.language_for` is the place to read it."""
    lang = getattr(settings, "BAGALAU_NOTIFICATION_LANGUAGE", None) or settings.LANGUAGE_CODE
    lang = lang.split("-")[0]
    return lang if lang in ("kk", "ru") else "kk"


def site_url() -> str:
    """BAGALAU_SITE_URL: the public address (https://bagalau.example.kz) put before a work item's
    page path in messages; without it the path is given as it is."""
    return str(getattr(settings, "BAGALAU_SITE_URL", "") or "").rstrip("/")
