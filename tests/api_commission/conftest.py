"""Fixtures for the commission API tests: a controllable clock (the cycles' clock, which the
commission services read too), English answers, and the world of tests/commission/kit.py (an
organisation whose three KPI sheets wait at the commission's door, members m1..m8 with logins, an
external member and the HR secretary)."""

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
