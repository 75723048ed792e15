"""Inserting many rows of one model at once, as `QuerySet.bulk_create` does, but cheaper on
PostgreSQL.

`bulk_create` binds every value of every row as a query parameter, which psycopg quotes in Python
one string at a time: for a cycle launch (thousands of participants, plans, work items and audit
events, each with a JSON document of one to nine kilobytes) that quoting, not the database, was
most of the insert's cost. Here the new ids are drawn from the table's sequence in one query and
the rows are streamed with COPY, whose values psycopg writes in C; a JSON document shared by many
rows (a due date's explanation, a core decision) is serialised once. The rows, their ids and the
objects handed back are the ones `bulk_create` gives; other backends simply use `bulk_create`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router


def insert[M: models.Model](model: type[M], objs: Sequence[M]) -> list[M]:
    """Insert `objs` (unsaved instances of `model`, without primary keys) and return them with
    their primary keys set, in order. No signals, no `save()`: the same contract as bulk_create."""
    objs = list(objs)
    using = router.db_for_write(model)
    connection = connections[using]
    if not objs or connection.vendor != "postgresql":
        return model._default_manager.using(using).bulk_create(objs)
    meta = model._meta
    assert meta.pk is not None
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    serialised: dict[int, str] = {}

    def json_text(field: Any, value: Any) -> str:
        # Keyed by object identity: the same dict given to many rows is dumped once. `value` stays
        # referenced by the objects, so its id cannot be reused meanwhile.
        key = id(value)
        if key not in serialised:
            serialised[key] = json.dumps(value, cls=field.encoder)
        return serialised[key]

    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # type: ignore[attr-defined]
        row: list[Any] = []
        for field in fields:
            value = field.pre_save(obj, add=True)
            if isinstance(field, models.JSONField):
                row.append(None if value is None else json_text(field, value))
            else:
                row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in [meta.pk, *fields])
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s) ORDER BY 1",
                    [meta.db_table, meta.pk.column, len(objs)])
        ids = [r[0] for r in cur.fetchall()]
        # COPY goes to the driver's cursor, past Django's wrapper: its errors are turned into
        # django.db errors here, as every other statement's are (callers catch DatabaseError).
        with connection.wrap_database_errors, cur.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
    for pk, obj in zip(ids, objs, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = using
    return objs
