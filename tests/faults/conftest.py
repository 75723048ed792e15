"""Fixtures of the fault tests: the security suite's world (two bodies, a sitting in session)."""

from tests.security.fixtures import media_root, world, worlds  # noqa: F401
