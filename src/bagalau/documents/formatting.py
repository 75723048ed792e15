"""Dates and times as official forms print them: dd.mm.yyyy, and dd.mm.yyyy HH:MM in the
body's time zone (the settings' TIME_ZONE), whatever the language."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def day(value: dt.date | dt.datetime | str | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value.strftime("%d.%m.%Y")


def moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return local.strftime("%d.%m.%Y %H:%M")


def period(start: dt.date, end: dt.date) -> str:
    return f"{day(start)} – {day(end)}"
