"""The commission's fixtures (clock, English, world) for the outcomes tests, and the final results."""

from __future__ import annotations

import pytest

from tests.commission.conftest import clock, english, world
from tests.outcomes import kit as out

__all__ = ["clock", "english", "world"]


@pytest.fixture
def results(world):  # noqa: F811 - the fixture of that name, used as an argument
    """head_b, head_c, head_d approved on Fri 17.01.2025."""
    return out.approved(world)


@pytest.fixture
def reviewer(world):  # noqa: F811
    return out.reviewer(world)
