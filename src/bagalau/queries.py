"""Small query helpers shared by the apps' services and selectors."""

from __future__ import annotations

from django.db.models import Model, QuerySet


def one_or_none[M: Model](qs: QuerySet[M]) -> M | None:
    """The row of a query that selects at most one (a primary key among its filters), or None.

    Unlike `.first()` it adds no ORDER BY. An ordered query makes Django hash every selected column
    expression while compiling it (to match ORDER BY terms to SELECT positions), which for a wide
    row, such as a document locked with its participant and its cycle, was a noticeable share of
    each write request."""
    return next(iter(qs.order_by()[:1]), None)
