"""Fixtures for the staff import tests: English messages (assertions read them), and a user who
holds no staff role."""

from __future__ import annotations

import pytest
from django.utils import translation

from tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def plain_servant_user(db, body):
    """A servant of the body with a login and no granted role: SERVANT only."""
    servant = factories.servant(body)
    user = factories.user("plain_" + str(body.pk))
    servant.user = user
    servant.save(update_fields=["user"])
    return user
