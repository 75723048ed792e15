"""The small and the large body the query-count modules compare (bodies.py), built once per module
inside a transaction rolled back at the module's end (each test runs in a savepoint within it),
because building the large one takes a while. Module scope, not package scope: the transaction
must not stay open around the package's other modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation

from bench import probe
from bench.clock import LAUNCH_DAY
from tests.clock import install_fake_clock
from tests.perf.bodies import LARGE, SMALL, Body, build, extend


@contextmanager
def _built(blocker: Any, media: Any, *, newer_apps: bool) -> Iterator[tuple[Body, Body]]:
    from django.conf import settings

    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = str(media)  # rendered documents go to a temporary directory
    try:
        with blocker.unblock(), pytest.MonkeyPatch.context() as patch:
            with transaction.atomic():
                clock = install_fake_clock(patch, LAUNCH_DAY)
                with translation.override("en"):
                    small = build(SMALL, 0, clock)
                    large = build(LARGE, 1, clock)
                    clock.day = probe.MEETING_ON
                    if newer_apps:
                        for b in (small, large):
                            extend(b)
                yield small, large
                transaction.set_rollback(True)
    finally:
        settings.MEDIA_ROOT = old_media


@pytest.fixture(scope="module")
def bodies(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[Body, Body]]:
    """The generator's bodies with the KPI workflow and the commission (bodies.build)."""
    with _built(django_db_blocker, tmp_path_factory.mktemp("perf-media"), newer_apps=False) as built:
        yield built


@pytest.fixture(scope="module")
def bodies_with_newer_apps(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[Body, Body]]:
    """The same, with the ranking, 360, outcomes and documents rows of bodies.extend."""
    with _built(django_db_blocker, tmp_path_factory.mktemp("perf-media"), newer_apps=True) as built:
        yield built
