"""Fixtures for the cycle tests: a controllable clock, English messages, media in a temporary
directory, and the small organisation of builders.py."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import translation

from bagalau.cycles import clock as cycle_clock
from tests.cycles.builders import build_org

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


class FakeClock:
    """The cycle's "today": tests move it instead of sleeping. `now` advances a minute per call so
    that successive steps are ordered."""

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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def org(db, body):
    return build_org(body)
