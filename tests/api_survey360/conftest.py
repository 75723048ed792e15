"""The 360 API tests run on the world of tests/survey360/kit.py (Kentau No. 161, 10.05.2022)."""

from tests.survey360.conftest import clock, english, world  # noqa: F401
