"""Grading many KPI sheets at once: the results computation of a whole cycle, or of the country.

The decisions are the ones `save_sheet` takes for one sheet (`services.sheets.derive`: the core
says whether each KPI is achieved and which rating the count gives, with its clause). The core is
a pure function of (version, results, day), so it is asked once per distinct input (a five-KPI
sheet has a few dozen possible result sets) and its answer reused; the sheets and their results
are read a chunk at a time in two queries, and the derived values are written back with one
UPDATE per table per chunk. The cost per sheet is then the database's, not the round trips'.

This rewrites derived values only (the achieved flags, the count, the rating and its decision):
it records no audit event, because it changes no workflow state and nobody's input.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from bagalau.cycles.models import KpiOutcome, KpiSheet
from bagalau.cycles.services.sheets import derive
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version

CHUNK = 2000
SHEET_FIELDS = ("achieved_count", "rating", "rating_clause", "rating_verified", "rating_decision")


def grade_sheets(sheets: QuerySet[KpiSheet], *, on: dt.date,
                 progress: Callable[[int], None] | None = None) -> int:
    """Derive and store the KPI outcomes and the rating of every sheet in `sheets`, judged on
    `on`. Returns the number of sheets graded."""
    ids = list(sheets.order_by("pk").values_list("pk", flat=True))
    versions: dict[str, MethodologyVersion] = {}
    decided: dict[tuple[Any, ...], Decided] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        with transaction.atomic():
            _grade_chunk(chunk, versions, decided, on)
        if progress is not None:
            progress(len(chunk))
    return len(ids)


class Decided:
    """What `derive` decided for one (version, results) input: the rules core is a pure function
    of it, so sheets with the same results under the same version share one decision."""

    def __init__(self, version: MethodologyVersion, results: tuple[tuple[int | None, int], ...], on: dt.date):
        sheet = KpiSheet()
        outcomes = [KpiOutcome(number=n, indicators_met=met, indicators_planned=planned)
                    for n, (met, planned) in enumerate(results, start=1)]
        derive(version, sheet, outcomes, on)
        self.achieved = [o.achieved for o in outcomes]
        self.fields = [getattr(sheet, f) for f in SHEET_FIELDS]
        self.decision_json = json.dumps(sheet.rating_decision)


def _grade_chunk(ids: Sequence[int], versions: dict[str, MethodologyVersion],
                 decided: dict[tuple[Any, ...], Decided], on: dt.date) -> None:
    sheets = list(KpiSheet.objects.filter(pk__in=ids).order_by("pk")
                  .values_list("pk", "cycle__methodology_version"))
    outcomes: dict[int, list[tuple[int, bool | None, int | None, int]]] = {}
    for sheet_id, pk, achieved, met, planned in (
            KpiOutcome.objects.filter(sheet_id__in=ids).order_by("sheet_id", "number")
            .values_list("sheet_id", "pk", "achieved", "indicators_met", "indicators_planned")):
        outcomes.setdefault(sheet_id, []).append((pk, achieved, met, planned))
    sheet_rows: list[tuple[Any, ...]] = []
    outcome_rows: list[tuple[Any, ...]] = []
    for sheet_id, version_id in sheets:
        if version_id not in versions:
            versions[version_id] = get_version(version_id)
        rows = outcomes.get(sheet_id, [])
        key = (version_id, tuple((met, planned) for _, _, met, planned in rows))
        if key not in decided:
            decided[key] = Decided(versions[version_id], key[1], on)
        decision = decided[key]
        sheet_rows.append((sheet_id, *decision.fields[:-1], decision.decision_json))
        outcome_rows.extend((pk, now) for (pk, was, _, _), now in zip(rows, decision.achieved, strict=True)
                            if now != was)
    _write(KpiSheet, SHEET_FIELDS, sheet_rows)
    _write(KpiOutcome, ("achieved",), outcome_rows)


def _write(model: Any, fields: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """(pk, *values) rows: one UPDATE ... FROM (VALUES ...) on PostgreSQL; bulk_update elsewhere.
    JSON values come already serialised."""
    if not rows:
        return
    columns = [model._meta.get_field(f) for f in fields]
    if connection.vendor != "postgresql":
        objects = []
        for pk, *row_values in rows:
            obj = model(pk=pk)
            for column, value in zip(columns, row_values, strict=True):
                is_json = column.get_internal_type() == "JSONField"
                setattr(obj, column.attname, json.loads(value) if is_json else value)
            objects.append(obj)
        model.objects.bulk_update(objects, list(fields), batch_size=200)
        return
    casts = [c.db_type(connection) for c in columns]
    values = ", ".join("(%s::bigint, " + ", ".join(f"%s::{cast}" for cast in casts) + ")" for _ in rows)
    params = [value for row in rows for value in row]
    assignments = ", ".join(f"{c.column} = v.{c.column}" for c in columns)
    names = ", ".join(["id", *(c.column for c in columns)])
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {model._meta.db_table} AS t SET {assignments} "  # noqa: S608
                    f"FROM (VALUES {values}) AS v({names}) WHERE t.id = v.id", params)
