"""Annex 9: the individual work plan. The servant's KPIs for the period with the fields S-p.47 asks
for, drafted by the direct manager and approved by the superior manager or the first head, with
their signatures and the SHA-256 of the content they signed."""

from __future__ import annotations

from typing import Any

from bagalau.cycles import selectors
from bagalau.cycles.models import IndividualWorkPlan
from bagalau.documents import formatting
from bagalau.documents.forms import common, cycles_common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

ANNEX = "9"
CODE = "iwp"


def load(user: Any, body: Any, object_id: int) -> IndividualWorkPlan:
    return selectors.plan_detail(user, body, object_id).plan


def of_cycle(cycle: Any) -> list[int]:
    return list(IndividualWorkPlan.objects.filter(cycle=cycle, body_id=cycle.body_id)
                .order_by("participant__unit_code", "-participant__is_head_of_unit", "participant__servant_name", "pk")
                .values_list("pk", flat=True))


def build(plan: IndividualWorkPlan, lang: str) -> dict[str, Any]:
    plan = (IndividualWorkPlan.objects.select_related("participant__cycle", "cycle", "body").get(pk=plan.pk))
    p, cycle = plan.participant, plan.cycle
    kpis = list(plan.kpis.order_by("number"))
    statuses = selectors.plan_signatures(plan, kpis)
    v = common.version(cycle.methodology_version)
    data = common.skeleton(
        form=CODE, title_key="iwp_title", annex=ANNEX, lang=lang, body=plan.body, v=v,
        created=cycles_common.created(statuses, plan.updated_at), state=plan.state, signed=bool(statuses),
        filename=common.ascii_stem(CODE, plan.pk, lang), signed_content=cycles_common.signed_content(statuses))
    data["facts"] = cycles_common.servant_facts(p, lang) + [
        [text("state", lang), plan.get_state_display()],
        [text("approved_at", lang), formatting.day(plan.approved_at)],
    ]
    data["sections"] = [{
        "heading": text("iwp_kpis", lang),
        "columns": ["№", text("kpi", lang), text("expected_change", lang), text("measure", lang),
                    text("target", lang), text("unit_of_measure", lang), text("deadline", lang),
                    text("strategic_goal", lang), text("resources", lang)],
        "widths": [4, 20, 14, 12, 8, 8, 9, 13, 12],
        "rows": [[str(k.number), common.localized(k.text_kk, k.text_ru, lang), k.expected_change, k.measure,
                  k.target, k.unit, formatting.day(k.deadline), k.strategic_goal_ref, k.resources_note]
                 for k in kpis],
    }]
    clause_ids = [plan.due_clause, p.plan_approver_clause, p.line_clause]
    if v is not None:
        clause_ids[:0] = [v.param("kpi.count").clause, v.param("kpi.smart_criteria").clause]
    data["clauses"] = common.clause_refs(v, clause_ids, cycle.period_start, lang)
    data["signatures"] = cycles_common.signature_rows(
        statuses, [("direct_manager", p.direct_manager_name), ("reviewer", _approver_name(p))],
        p.plan_approver_kind, lang)
    return data


def _approver_name(p: Any) -> str:
    if p.plan_approver_kind == "first_head":
        return p.first_head_name
    return p.superior_manager_name or p.first_head_name


FORM = register(Form(code=CODE, model="cycles.individualworkplan", title_key="iwp_title",
                     template="documents/forms/iwp.html", load=load, build=build, of_cycle=of_cycle, order=10))
