"""Counting the SQL queries of an address for the small and the large body (bodies.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.perf.bodies import Body

# name -> (user of the body, address of the body)
Page = tuple[Callable[[Body], Any], Callable[[Body], str]]


def count(client: Any, user: Any, url: str) -> tuple[int, int]:
    client.force_login(user)
    client.get(url)  # warm the per-process caches (methodology versions, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def compare(client: Any, bodies: tuple[Body, Body], pages: dict[str, Page]) -> None:
    """Every address answers 200 for both bodies with the same number of queries."""
    small, large = bodies
    found = {}
    for name, (who, where) in pages.items():
        counts = []
        for b in (small, large):
            status, queries = count(client, who(b), where(b))
            assert status == 200, f"{name}: HTTP {status} at {where(b)}"
            counts.append(queries)
        found[name] = tuple(counts)
    differing = {name: c for name, c in found.items() if c[0] != c[1]}
    assert not differing, f"queries (few rows, many rows) differ: {differing}; all: {found}"
