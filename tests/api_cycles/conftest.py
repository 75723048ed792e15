"""Fixtures for the cycle API tests: media in a temporary directory, a controllable cycle clock,
and the organisation of support.py."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from bagalau.cycles import clock as cycle_clock
from tests.api_cycles.support import build_org

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
YEAR = 2024


class FakeClock:
    """The cycle's "today" (tests move it instead of sleeping); `now` advances a minute per call."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(minutes=self._tick)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock(dt.date(YEAR, 1, 10))
    monkeypatch.setattr(cycle_clock, "today", fake.today)
    monkeypatch.setattr(cycle_clock, "now", fake.now)
    return fake


@pytest.fixture
def org(db, body, clock):
    return build_org(body, YEAR)


@pytest.fixture
def other_org(db, other_body, clock):
    return build_org(other_body, YEAR)
