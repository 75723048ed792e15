"""Fixtures for the commission API tests: a controllable clock (the cycles' clock, which the
commission services read too), English answers, and the world of tests/commission/kit.py (an
organisation whose three KPI sheets wait at the commission's door, members m1..m8 with logins, an
external member and the HR secretary)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from bagalau.cycles import clock as cycle_clock
from tests.commission import kit

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


class FakeClock:
    """Tests move `day` instead of sleeping; `now` advances a minute per call."""

    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(minutes=self._tick)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock(dt.date(2024, 1, 10))
    monkeypatch.setattr(cycle_clock, "today", fake.today)
    monkeypatch.setattr(cycle_clock, "now", fake.now)
    return fake


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db, body, hr, clock):
    return kit.build(body, hr, clock)
