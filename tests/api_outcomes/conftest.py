"""The outcomes fixtures (the commission's world approved to final results) for the API tests."""

from __future__ import annotations

from tests.outcomes.conftest import clock, english, results, reviewer, world  # noqa: F401
