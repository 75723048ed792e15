"""Grading many KPI sheets at once: the results computation of a whole cycle, or of the country.

The decisions are the ones `save_sheet` takes for one sheet (`services.sheets.derive`: the core
says whether each KPI is achieved and which rating the count gives, with its clause). The core is
a pure function of (version, results, day), so it is asked once per distinct input (a five-KPI
sheet has a few dozen possible result sets) and its answer reused.

On PostgreSQL the sheets never travel to Python: per chunk, one query reduces every sheet to its
input (the cycle's version and the results in KPI order, as a short text key) in a temporary
table; Python decides each *distinct* input and writes the few answers to two more temporary
tables; then one UPDATE ... FROM per table joins each sheet and each KPI result to its answer.
Rows whose stored values already equal the answer are not written, so grading again costs reads
only. Elsewhere (SQLite) the sheets and results are read a chunk at a time and written back with
`bulk_update`.

This rewrites derived values only (the achieved flags, the count, the rating and its decision):
it records no audit event, because it changes no workflow state and nobody's input.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence

from django.db import connection, transaction
from django.db.models import QuerySet

from bagalau.cycles.models import KpiOutcome, KpiSheet
from bagalau.cycles.services.sheets import derive
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version

# Sheets per transaction: in the database, the country's 18,000 sheets (100,000 servants) at once;
# in Python, fewer, because each chunk's ids are query parameters (SQLite caps their number).
CHUNK = 20000
PYTHON_CHUNK = 2000
SHEET_FIELDS = ("achieved_count", "rating", "rating_clause", "rating_verified", "rating_decision")
# In a result key, a KPI whose indicators met are not filled in yet (NULL). Indicator counts are
# positive small integers, so -1 never stands for a real count.
NOT_FILLED = -1

Results = tuple[tuple[int | None, int], ...]


def grade_sheets(sheets: QuerySet[KpiSheet], *, on: dt.date,
                 progress: Callable[[int], None] | None = None) -> int:
    """Derive and store the KPI outcomes and the rating of every sheet in `sheets`, judged on
    `on`. Returns the number of sheets graded."""
    ids = list(sheets.order_by("pk").values_list("pk", flat=True))
    grader = Grader(on)
    in_database = connection.vendor == "postgresql"
    grade_chunk = grader.grade_in_database if in_database else grader.grade_in_python
    size = CHUNK if in_database else PYTHON_CHUNK
    for start in range(0, len(ids), size):
        chunk = ids[start:start + size]
        with transaction.atomic():
            grade_chunk(chunk)
        if progress is not None:
            progress(len(chunk))
    return len(ids)


class Decided:
    """What `derive` decided for one (version, results) input: the rules core is a pure function
    of it, so sheets with the same results under the same version share one decision."""

    def __init__(self, version: MethodologyVersion, results: Results, on: dt.date):
        sheet = KpiSheet()
        outcomes = [KpiOutcome(number=n, indicators_met=met, indicators_planned=planned)
                    for n, (met, planned) in enumerate(results, start=1)]
        derive(version, sheet, outcomes, on)
        self.results = results
        self.achieved = [o.achieved for o in outcomes]
        self.fields = [getattr(sheet, f) for f in SHEET_FIELDS]
        self.decision_json = json.dumps(sheet.rating_decision)


class Grader:
    """The decisions of one grading run, kept across its chunks."""

    def __init__(self, on: dt.date) -> None:
        self.on = on
        self.versions: dict[str, MethodologyVersion] = {}
        self.decided: dict[tuple[str, Results], Decided] = {}

    def decide(self, version_id: str, results: Results) -> Decided:
        key = (version_id, results)
        if key not in self.decided:
            if version_id not in self.versions:
                self.versions[version_id] = get_version(version_id)
            self.decided[key] = Decided(self.versions[version_id], results, self.on)
        return self.decided[key]

    def grade_in_python(self, ids: Sequence[int]) -> None:
        sheets = list(KpiSheet.objects.filter(pk__in=ids).order_by("pk")
                      .values_list("pk", "cycle__methodology_version"))
        outcomes: dict[int, list[tuple[int, bool | None, int | None, int]]] = {}
        for sheet_id, pk, achieved, met, planned in (
                KpiOutcome.objects.filter(sheet_id__in=ids).order_by("sheet_id", "number")
                .values_list("sheet_id", "pk", "achieved", "indicators_met", "indicators_planned")):
            outcomes.setdefault(sheet_id, []).append((pk, achieved, met, planned))
        changed_sheets: list[KpiSheet] = []
        changed_outcomes: list[KpiOutcome] = []
        for sheet_id, version_id in sheets:
            rows = outcomes.get(sheet_id, [])
            decision = self.decide(version_id, tuple((met, planned) for _, _, met, planned in rows))
            sheet = KpiSheet(pk=sheet_id)
            for name, value in zip(SHEET_FIELDS, decision.fields, strict=True):
                setattr(sheet, name, value)
            changed_sheets.append(sheet)
            changed_outcomes.extend(KpiOutcome(pk=pk, achieved=now)
                                    for (pk, was, _, _), now in zip(rows, decision.achieved, strict=True)
                                    if now != was)
        KpiSheet.objects.bulk_update(changed_sheets, list(SHEET_FIELDS), batch_size=200)
        KpiOutcome.objects.bulk_update(changed_outcomes, ["achieved"], batch_size=200)

    def grade_in_database(self, ids: Sequence[int]) -> None:
        sheet, outcome = KpiSheet._meta.db_table, KpiOutcome._meta.db_table
        cycle = KpiSheet._meta.get_field("cycle").related_model._meta.db_table  # type: ignore[union-attr]
        with connection.cursor() as cur:
            # The input of every sheet of the chunk: its cycle's version and its results in KPI order.
            cur.execute(
                "CREATE TEMP TABLE grading_input ON COMMIT DROP AS "
                "SELECT s.id AS sheet_id, c.methodology_version AS version, coalesce(r.results, '') AS results "
                f"FROM {sheet} s JOIN {cycle} c ON c.id = s.cycle_id "  # noqa: S608
                "LEFT JOIN (SELECT sheet_id, string_agg(coalesce(indicators_met, %s)::text || '/' || "
                "indicators_planned::text, ',' ORDER BY number) AS results "
                f"FROM {outcome} WHERE sheet_id = ANY(%s) GROUP BY sheet_id) r ON r.sheet_id = s.id "
                "WHERE s.id = ANY(%s)", [NOT_FILLED, list(ids), list(ids)])
            cur.execute("SELECT DISTINCT version, results FROM grading_input")
            inputs = [(version, results, self.decide(version, _parse(results))) for version, results in cur.fetchall()]
            cur.execute("CREATE TEMP TABLE grading_sheet (version text, results text, achieved_count smallint, "
                        "rating varchar(30), rating_clause varchar(64), rating_verified boolean, "
                        "rating_decision jsonb) ON COMMIT DROP")
            cur.execute("CREATE TEMP TABLE grading_outcome (version text, met integer, planned integer, "
                        "achieved boolean) ON COMMIT DROP")
            raw = cur.cursor
            # COPY goes past Django's cursor wrapper: its errors are made django.db errors here.
            with connection.wrap_database_errors, raw.copy("COPY grading_sheet FROM STDIN") as copy:
                for version, results, decision in inputs:
                    copy.write_row((version, results, *decision.fields[:-1], decision.decision_json))
            per_kpi = {(version, NOT_FILLED if met is None else met, planned): achieved
                       for version, _, decision in inputs
                       for (met, planned), achieved in zip(decision.results, decision.achieved, strict=True)}
            with connection.wrap_database_errors, raw.copy("COPY grading_outcome FROM STDIN") as copy:
                for row in per_kpi.items():
                    copy.write_row((*row[0], row[1]))
            columns = ", ".join(SHEET_FIELDS)
            cur.execute(
                f"UPDATE {sheet} t SET ({columns}) = "  # noqa: S608
                "(d.achieved_count, d.rating, d.rating_clause, d.rating_verified, d.rating_decision) "
                "FROM grading_input i JOIN grading_sheet d ON d.version = i.version AND d.results = i.results "
                f"WHERE t.id = i.sheet_id AND ({', '.join(f't.{c}' for c in SHEET_FIELDS)}) IS DISTINCT FROM "
                "(d.achieved_count, d.rating, d.rating_clause, d.rating_verified, d.rating_decision)")
            cur.execute(
                f"UPDATE {outcome} o SET achieved = d.achieved "  # noqa: S608
                "FROM grading_input i JOIN grading_outcome d ON d.version = i.version "
                "WHERE o.sheet_id = i.sheet_id AND coalesce(o.indicators_met, %s) = d.met "
                "AND o.indicators_planned = d.planned AND o.achieved IS DISTINCT FROM d.achieved", [NOT_FILLED])
            cur.execute("DROP TABLE grading_input, grading_sheet, grading_outcome")


def _parse(results: str) -> Results:
    """The results key of `grade_in_database` ("1/1,-1/1,...") back as ((met, planned), ...)."""
    if not results:
        return ()
    pairs = (kpi.split("/") for kpi in results.split(","))
    return tuple((None if int(met) == NOT_FILLED else int(met), int(planned)) for met, planned in pairs)
