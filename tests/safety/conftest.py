"""Fixtures for data safety: the cycle tests' organisation and clock, media in a temporary folder,
and an empty, migrated second database to restore into (a temporary SQLite file, or a separate
PostgreSQL database next to the test database)."""

from __future__ import annotations

import copy
import datetime as dt

import psycopg
import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import translation

from tests.clock import install_fake_clock
from tests.cycles.builders import build_org

TARGET = "restore_target"


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
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def org(db, body):
    return build_org(body)


def _admin_connection(conf: dict) -> psycopg.Connection:
    return psycopg.connect(dbname="postgres", user=conf["USER"], password=conf["PASSWORD"] or None,
                           host=conf["HOST"], port=conf["PORT"], autocommit=True)


@pytest.fixture
def target_db(db, tmp_path):
    """The alias of a new, migrated, empty database."""
    conf = copy.deepcopy(connections["default"].settings_dict)
    vendor = connections["default"].vendor
    if vendor == "sqlite":
        conf["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        conf["NAME"] = f"{conf['NAME']}_restore"
        with _admin_connection(conf) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{conf["NAME"]}"')
            admin.execute(f'CREATE DATABASE "{conf["NAME"]}"')
    conf["TEST"] = {**conf.get("TEST", {}), "NAME": conf["NAME"]}
    connections.settings[TARGET] = conf
    # Connect directly: the test case only guards connections that are not open yet, and this
    # database is the test's own scratch target, not one shared with other tests.
    connections[TARGET].connect()
    try:
        call_command("migrate", database=TARGET, verbosity=0)
        yield TARGET
    finally:
        connections[TARGET].close()
        del connections[TARGET]
        del connections.settings[TARGET]
        if vendor != "sqlite":
            with _admin_connection(conf) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{conf["NAME"]}"')
