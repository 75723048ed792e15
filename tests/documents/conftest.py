"""Fixtures for the document tests.

`demo_cycle` is the demo body's cycle walked to the approved results (walk.py). The walk takes
seconds, so it runs once per test module inside one outer transaction that is rolled back at the
end: each test's own `db` transaction nests in it as a savepoint, so tests stay isolated from each
other and nothing survives the module (on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from tests.clock import install_fake_clock
from tests.documents import walk


@pytest.fixture(scope="module")
def module_clock():
    with pytest.MonkeyPatch.context() as mp:
        yield install_fake_clock(mp, dt.date(2025, 1, 10))


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker, module_clock):
    with django_db_blocker.unblock():
        with transaction.atomic():
            result = walk.walk(module_clock)
            yield result
            transaction.set_rollback(True)


@pytest.fixture
def demo_cycle(walked, db):
    return walked


@pytest.fixture
def clock(module_clock):
    return module_clock
