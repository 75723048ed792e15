"""Fixtures for the ranking API tests: the ranking tests' world and clock."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.clock import install_fake_clock
from tests.ranking import world as kit


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, dt.date(2024, 1, 10))


@pytest.fixture
def world(db, body, hr, clock):
    return kit.build(body, hr, clock)
