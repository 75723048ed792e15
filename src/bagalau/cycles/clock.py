"""The cycle's notion of "today" and "now", in one place.

Every step is judged on the day it is taken (spec 13.3 rule 2: procedural steps follow the
wording in force that day) and every deadline is anchored on it. Services read the date here, never
from the caller, so nobody can type a date into a step; tests replace these two functions.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()
