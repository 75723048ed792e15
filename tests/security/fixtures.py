"""The world fixtures the security, schema and escaping suites share: the world of world.py built
once per module inside a transaction rolled back at the module's end (each test runs in its own
savepoint within it), so a suite stays fast and leaves nothing behind for other modules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation

from tests.clock import install_fake_clock
from tests.security.world import Worlds, build_worlds


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def media_root(tmp_path_factory):
    return tmp_path_factory.mktemp("security-media")


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, media_root):
    from django.conf import settings

    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = media_root
    with pytest.MonkeyPatch.context() as mp, django_db_blocker.unblock(), translation.override("en"):
        clock = install_fake_clock(mp, dt.date(2024, 1, 10))
        try:
            with transaction.atomic():
                built = build_worlds(clock)
                yield built
                raise _Rollback
        except _Rollback:
            pass
        finally:
            settings.MEDIA_ROOT = old_media


@pytest.fixture
def world(worlds: Worlds, db, monkeypatch) -> Worlds:
    """The module's world inside this test's savepoint, with the clock kept on the sitting's day."""
    install_fake_clock(monkeypatch, worlds.clock.day)
    return worlds
