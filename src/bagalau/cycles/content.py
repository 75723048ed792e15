"""The exact content a signature covers: canonical JSON of a plan or a sheet.

Canonical = keys sorted, no insignificant whitespace, UTF-8, dates as ISO strings. Workflow
bookkeeping (state, row version, due dates) is left out on purpose: moving a document does not
change what was signed; changing a KPI, a result, the evidence or the rating does. The same bytes
are what a qualified (CMS) signature would be made over later.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from bagalau.cycles.models import EvidenceFile, IndividualWorkPlan, Kpi, KpiOutcome, KpiSheet

KPI_FIELDS = ("text_kk", "text_ru", "expected_change", "measure", "target", "unit", "resources_note",
              "deadline", "strategic_goal_ref")


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _kpi(k: Kpi) -> dict[str, Any]:
    out: dict[str, Any] = {"number": k.number}
    for f in KPI_FIELDS:
        value = getattr(k, f)
        out[f] = value.isoformat() if f == "deadline" and value else value
    return out


def plan_content(plan: IndividualWorkPlan, kpis: Iterable[Kpi]) -> dict[str, Any]:
    p = plan.participant
    cycle = plan.cycle
    return {
        "document": "iwp",
        "plan": plan.pk,
        "servant": {"id": p.servant_id, "name": p.servant_name, "position": p.position_code},
        "period": [cycle.period_start.isoformat(), cycle.period_end.isoformat()],
        "methodology_version": cycle.methodology_version,
        "kpis": [_kpi(k) for k in sorted(kpis, key=lambda k: k.number)],
    }


def sheet_content(sheet: KpiSheet, outcomes: Iterable[KpiOutcome], kpis: dict[int, Kpi],
                  files: Iterable[EvidenceFile]) -> dict[str, Any]:
    by_outcome: dict[int, list[EvidenceFile]] = {}
    for f in files:
        by_outcome.setdefault(f.outcome_id, []).append(f)
    p = sheet.participant
    cycle = sheet.cycle
    return {
        "document": "kpi_sheet",
        "sheet": sheet.pk,
        "plan": sheet.plan_id,
        "servant": {"id": p.servant_id, "name": p.servant_name, "position": p.position_code},
        "period": [cycle.period_start.isoformat(), cycle.period_end.isoformat()],
        "methodology_version": cycle.methodology_version,
        "results": [
            {
                "kpi": _kpi(kpis[o.kpi_id]),
                "indicators_planned": o.indicators_planned,
                "indicators_met": o.indicators_met,
                "achieved": o.achieved,
                "evidence_text": o.evidence_text,
                "evidence_files": sorted(
                    ({"name": f.original_name, "sha256": f.sha256, "size": f.size}
                     for f in by_outcome.get(o.pk, [])), key=lambda d: (d["sha256"], d["name"])),
            }
            for o in sorted(outcomes, key=lambda o: o.number)
        ],
        "achieved_count": sheet.achieved_count,
        "rating": sheet.rating,
        "rating_clause": sheet.rating_clause,
    }


def current_plan_content(plan: IndividualWorkPlan) -> str:
    return canonical(plan_content(plan, plan.kpis.all()))


def current_sheet_content(sheet: KpiSheet) -> str:
    outcomes = list(sheet.outcomes.all())
    kpis = {k.pk: k for k in Kpi.objects.filter(plan_id=sheet.plan_id)}
    files = EvidenceFile.objects.filter(sheet=sheet)
    return canonical(sheet_content(sheet, outcomes, kpis, files))
