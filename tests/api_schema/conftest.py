"""Fixtures of the API schema suite: the security suite's world."""

from tests.security.fixtures import media_root, world, worlds  # noqa: F401
