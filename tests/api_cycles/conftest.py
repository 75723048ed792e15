"""Fixtures for the cycle API tests: media in a temporary directory, a controllable cycle clock,
and the organisation of support.py."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.api_cycles.support import build_org
from tests.clock import install_fake_clock

YEAR = 2024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, dt.date(YEAR, 1, 10))


@pytest.fixture
def org(db, body, clock):
    return build_org(body, YEAR)


@pytest.fixture
def other_org(db, other_body, clock):
    return build_org(other_body, YEAR)
