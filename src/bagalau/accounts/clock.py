"""The accounts' notion of "now", in one place, so tests move time instead of sleeping."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    return timezone.now()
