"""The country-wide batch operations, each beside its floor measured in the same process.

* Launch: `cycles.services.launch_cycle` for every body (eligibility, snapshot, plans, work
  items, notices, audit events: the real code path), against the floor of reading the same
  servants with their appointments and bulk-inserting as many participant rows with COPY.
* Results: the real grading of every sheet (`cycles.grading.grade_sheets`: the core decides each
  KPI and the rating, the rows are written in bulk), against the floor of a plain bulk
  SELECT/INSERT of the same rows: select every KPI result row, and COPY what the grading writes,
  column for column: one row per sheet (the achieved count, the rating and its clause, the
  verified flag and the decision JSON, as large as a stored decision, on a complete sheet) and
  one row per KPI result (its achieved flag). The floor decides nothing (a KPI counts as achieved
  when all its indicators are met) and updates nothing in place: it is the cost of moving the
  rows, with which the real path's reading, deciding and updating is compared.

Floors write into temporary tables, so they leave nothing behind.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import connection
from django.urls import reverse

from bagalau.cycles import grading
from bagalau.cycles.models import KpiSheet
from bagalau.cycles.services import launch_cycle
from bagalau.orgs.models import StateBody
from bench.generate import Country
from bench.progress import Progress


def launch_country(country: Country) -> dict[str, Any]:
    bodies = {b.pk: b for b in StateBody.objects.filter(pk__in=country.cycles)}
    reverse("web:home")  # the URL resolver is loaded once per process, not per launch
    started = time.perf_counter()
    with Progress("launch (real service)", len(bodies)) as bar:
        for body_id, cycle_id in country.cycles.items():
            launch_cycle(country.hr[body_id], bodies[body_id], cycle_id)
            bar.advance()
    seconds = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM cycles_participant")
        rows = cur.fetchone()[0]
    return {"seconds": seconds, "rows": rows, "bodies": len(bodies)}


def launch_floor() -> dict[str, Any]:
    """Read every servant with his open appointment, position and unit, and COPY one row per
    servant into a table shaped like the participants'."""
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE floor_participant AS SELECT * FROM cycles_participant WITH NO DATA")
        cur.execute(
            "SELECT s.id, s.body_id, s.last_name || ' ' || s.first_name, p.id, p.code, p.title_kk, p.title_ru, "
            "u.id, u.code, u.name_kk, u.name_ru, p.category, p.is_head_of_unit, a.start, a.end "
            "FROM orgs_servant s JOIN orgs_appointment a ON a.servant_id = s.id "
            "JOIN orgs_position p ON p.id = a.position_id JOIN orgs_structuralunit u ON u.id = p.unit_id")
        rows = cur.fetchall()
        cycle = _any_cycle(cur)
        columns = ("id", "cycle_id", "servant_id", "body_id", "servant_name", "position_id", "position_code",
                   "position_title_kk", "position_title_ru", "unit_id", "unit_code", "unit_name_kk", "unit_name_ru",
                   "category", "is_head_of_unit", "appointment_start", "appointment_end", "status", "track",
                   "absence_kinds", "methods", "decisions", "notes")
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy(f"COPY floor_participant ({', '.join(columns)}) FROM STDIN") as copy:
            for i, r in enumerate(rows, start=1):
                copy.write_row((i, cycle, r[0], r[1], r[2], *r[3:], "evaluated", "kpi", "[]", "[]", "{}", "[]"))
        cur.execute("DROP TABLE floor_participant")
    return {"seconds": time.perf_counter() - started, "rows": len(rows)}


def _any_cycle(cur: Any) -> int:
    cur.execute("SELECT min(id) FROM cycles_evaluationcycle")
    return int(cur.fetchone()[0])


def results_country(on: dt.date) -> dict[str, Any]:
    sheets = KpiSheet.objects.all()
    total = sheets.count()
    first = list(sheets.order_by("pk").values_list("pk", flat=True)[:1])
    grading.grade_sheets(KpiSheet.objects.filter(pk__in=first), on=on)  # load the methodology version first
    started = time.perf_counter()
    with Progress("results (real grading)", total) as bar:
        graded = grading.grade_sheets(sheets, on=on, progress=bar.advance)
    return {"seconds": time.perf_counter() - started, "rows": graded}


def results_floor() -> dict[str, Any]:
    """Select every KPI result row, and COPY one row per sheet and one per KPI result, with the
    columns (and the decision JSON's size) the grading writes. Runs after the grading, whose
    stored decision it copies."""
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE floor_sheet (sheet_id bigint, achieved_count smallint, rating varchar(30), "
                    "rating_clause varchar(64), rating_verified boolean, rating_decision jsonb)")
        cur.execute("CREATE TEMP TABLE floor_outcome (outcome_id bigint, achieved boolean)")
        cur.execute("SELECT rating_decision::text FROM cycles_kpisheet WHERE rating <> '' LIMIT 1")
        found = cur.fetchone()
        decision = found[0] if found else "{}"
        cur.execute("SELECT id, sheet_id, indicators_planned, indicators_met FROM cycles_kpioutcome "
                    "ORDER BY sheet_id, number")
        per_sheet: dict[int, list[int]] = {}
        outcomes: list[tuple[int, bool | None]] = []
        for outcome_id, sheet_id, planned, met in cur.fetchall():
            achieved = None if met is None else met == planned
            outcomes.append((outcome_id, achieved))
            counts = per_sheet.setdefault(sheet_id, [0, 0])
            counts[0] += achieved is True
            counts[1] += met is None
        raw = cur.cursor if hasattr(cur, "cursor") else cur
        with raw.copy("COPY floor_sheet FROM STDIN") as copy:
            for sheet_id, (achieved_count, missing) in per_sheet.items():
                if missing:
                    copy.write_row((sheet_id, None, "", "", False, "{}"))
                else:
                    copy.write_row((sheet_id, achieved_count, "EFFECTIVE", "G23-kpi-grading", False, decision))
        with raw.copy("COPY floor_outcome FROM STDIN") as copy:
            for row in outcomes:
                copy.write_row(row)
        cur.execute("DROP TABLE floor_sheet, floor_outcome")
    return {"seconds": time.perf_counter() - started, "rows": len(per_sheet)}
