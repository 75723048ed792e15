"""Fixtures for the commission tests: a controllable clock (the cycles' clock, which the commission
services read too), English messages, and the world of kit.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.clock import install_fake_clock
from tests.commission import kit


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
