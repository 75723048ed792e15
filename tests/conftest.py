"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest

from tests import factories

# Playwright's sync API runs an event loop; the ORM would refuse to run beside it otherwise.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def body(db):
    return factories.body()


@pytest.fixture
def other_body(db):
    return factories.body("Other body")


@pytest.fixture
def hr(db, body):
    u = factories.user("hr_" + str(body.pk))
    factories.grant(u, body)
    return u


@pytest.fixture
def other_hr(db, other_body):
    u = factories.user("hr_" + str(other_body.pk))
    factories.grant(u, other_body)
    return u
