"""The day the benchmark's workflow steps are taken on, pinned so that a run is reproducible: the
services read `bagalau.cycles.clock`, and the benchmark process sets it (the gunicorn processes
under load keep the real clock: nothing they serve depends on the day)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bagalau.cycles import clock as cycle_clock

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
LAUNCH_DAY = dt.date(2026, 1, 12)


class PinnedClock:
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(milliseconds=self._tick)


def pin(day: dt.date = LAUNCH_DAY) -> PinnedClock:
    pinned = PinnedClock(day)
    cycle_clock.today = pinned.today  # type: ignore[method-assign]
    cycle_clock.now = pinned.now  # type: ignore[method-assign]
    return pinned
