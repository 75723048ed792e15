"""Annex 10: the KPI evaluation sheet. Per KPI the indicators planned and fully met, achieved or
not (a KPI met in part is not achieved) with its evidence; the number achieved and the rating the
rules core derived, with its clause and the version's label; the signatures."""

from __future__ import annotations

from typing import Any

from bagalau.cycles import selectors
from bagalau.cycles.models import EvidenceFile, KpiSheet
from bagalau.documents import formatting
from bagalau.documents.forms import common, cycles_common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

ANNEX = "10"
CODE = "kpi_sheet"


def load(user: Any, body: Any, object_id: int) -> KpiSheet:
    return selectors.sheet_detail(user, body, object_id).sheet


def of_cycle(cycle: Any) -> list[int]:
    return list(KpiSheet.objects.filter(cycle=cycle, body_id=cycle.body_id)
                .order_by("participant__unit_code", "-participant__is_head_of_unit", "participant__servant_name", "pk")
                .values_list("pk", flat=True))


def build(sheet: KpiSheet, lang: str) -> dict[str, Any]:
    sheet = KpiSheet.objects.select_related("participant__cycle", "cycle", "body", "plan").get(pk=sheet.pk)
    p, cycle = sheet.participant, sheet.cycle
    outcomes = list(sheet.outcomes.select_related("kpi").order_by("number"))
    files = list(EvidenceFile.objects.filter(sheet=sheet).order_by("pk"))
    statuses = selectors.sheet_signatures(sheet, outcomes, files)
    names: dict[int, list[str]] = {}
    for f in files:
        names.setdefault(f.outcome_id, []).append(f.original_name)
    v = common.version(cycle.methodology_version)
    data = common.skeleton(
        form=CODE, title_key="sheet_title", annex=ANNEX, lang=lang, body=sheet.body, v=v,
        created=cycles_common.created(statuses, sheet.updated_at), state=sheet.state, signed=bool(statuses),
        filename=common.ascii_stem(CODE, sheet.pk, lang), signed_content=cycles_common.signed_content(statuses))
    data["facts"] = cycles_common.servant_facts(p, lang) + [[text("state", lang), sheet.get_state_display()]]
    data["sections"] = [{
        "heading": text("sheet_results", lang),
        "columns": ["№", text("kpi", lang), text("target", lang), text("indicators_planned", lang),
                    text("indicators_met", lang), text("achieved", lang), text("evidence", lang)],
        "widths": [4, 30, 10, 10, 10, 9, 27],
        "rows": [[str(o.number), common.localized(o.kpi.text_kk, o.kpi.text_ru, lang),
                  " ".join(x for x in (o.kpi.target, o.kpi.unit) if x), str(o.indicators_planned),
                  "" if o.indicators_met is None else str(o.indicators_met), common.yes_no(o.achieved, lang),
                  "; ".join([o.evidence_text, *names.get(o.pk, [])]).strip("; ")]
                 for o in outcomes],
    }]
    data["summary"] = [
        [text("achieved_count", lang), "" if sheet.achieved_count is None else str(sheet.achieved_count)],
        [text("rating", lang), common.rating(v, sheet.rating, lang)],
    ]
    data["clauses"] = common.clause_refs(v, [sheet.rating_clause, p.sheet_reviewer_clause, sheet.due_clause],
                                         cycle.period_start, lang)
    reviewer = p.first_head_name if p.sheet_reviewer_kind == "first_head" else (p.superior_manager_name
                                                                                or p.first_head_name)
    data["signatures"] = cycles_common.signature_rows(
        statuses, [("direct_manager", p.direct_manager_name), ("reviewer", reviewer)], p.sheet_reviewer_kind, lang)
    data["facts"].append([text("signed_at", lang), formatting.moment(sheet.signed_at)])
    return data


FORM = register(Form(code=CODE, model="cycles.kpisheet", title_key="sheet_title",
                     template="documents/forms/kpi_sheet.html", load=load, build=build, of_cycle=of_cycle, order=20))
