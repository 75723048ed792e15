"""The outcomes fixtures for the page tests."""

from __future__ import annotations

from tests.outcomes.conftest import clock, english, results, reviewer, world  # noqa: F401
