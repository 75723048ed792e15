"""Fixtures for the cycle tests: a controllable clock, English messages, media in a temporary
directory, and the small organisation of builders.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from tests.clock import install_fake_clock
from tests.cycles.builders import build_org


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, dt.date(2024, 1, 10))


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
