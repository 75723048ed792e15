"""Fixtures of the security suite (defined in fixtures.py, shared with tests/api_schema)."""

from tests.security.fixtures import media_root, world, worlds  # noqa: F401
