"""Fixtures for the admin back office tests: staff HR logins of two bodies."""

from __future__ import annotations

import pytest


@pytest.fixture
def hr_staff(hr):
    hr.is_staff = True
    hr.save(update_fields=["is_staff"])
    return hr


@pytest.fixture
def other_hr_staff(other_hr):
    other_hr.is_staff = True
    other_hr.save(update_fields=["is_staff"])
    return other_hr


@pytest.fixture
def hr_client(client, hr_staff):
    client.force_login(hr_staff)
    return client
