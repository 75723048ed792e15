"""The benchmark needs PostgreSQL: under SQLite its test is deselected (not skipped), so the
SQLite run of the suite neither runs nor reports it; the PostgreSQL run does."""

from __future__ import annotations

import os

import pytest


def _postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://", "pgsql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _postgres():
        return
    kept, dropped = [], []
    for item in items:
        (dropped if item.get_closest_marker("postgres_only") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres_only: runs only when DATABASE_URL is PostgreSQL (deselected "
                                       "otherwise)")
