"""Fixtures of the 360 tests: the cycles' controllable clock set to Tue 10.05.2022 (Kentau No. 161
with its 2022 Annex 4 in force), English messages, and the body of kit.py."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests.clock import install_fake_clock
from tests.survey360 import kit


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, kit.DAY)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(db, body, hr, clock):
    return kit.build(body, hr)
