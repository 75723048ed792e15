"""Fixtures for the commission pages: the commission tests' world (tests/commission/kit.py: a body
with three KPI sheets at the commission, members m1..m8 with logins, an external member, HR as
secretary), a controllable "today" and the compiled catalogs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.clock import install_fake_clock
from tests.commission import kit

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.fixture(scope="session", autouse=True)
def webcommission_catalogs():
    stale = any(not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
                for po in LOCALE.glob("*/LC_MESSAGES/django.po"))
    if stale:
        call_command("compilemessages", locale=["kk", "ru"], verbosity=0, ignore_patterns=[".venv/*", ".tools/*"])
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, dt.date(2024, 1, 10))


@pytest.fixture
def world(db, body, hr, clock):
    return kit.build(body, hr, clock)
