"""A controllable clock for the workflow tests. The services read the day from
`bagalau.cycles.clock` (the commission's too), so tests move `day` instead of sleeping; `now`
advances a minute per call so that successive steps are ordered."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bagalau.cycles import clock as cycle_clock

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


class FakeClock:
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(minutes=self._tick)


def install_fake_clock(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> FakeClock:
    fake = FakeClock(day)
    monkeypatch.setattr(cycle_clock, "today", fake.today)
    monkeypatch.setattr(cycle_clock, "now", fake.now)
    return fake
