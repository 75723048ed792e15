"""Fixtures for the ranking tests: the controllable clock, English messages, the world."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.clock import install_fake_clock
from tests.ranking import world as kit


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, dt.date(2024, 1, 10))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db, body, hr, clock):
    return kit.build(body, hr, clock)
