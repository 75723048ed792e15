"""The results register of a cycle: every result made final by the authorized person's approval
(S-p.67), with the original result, the final one (the commission's correction where it revised),
the protocol, the approval date and the familiarization due date with its clause."""

from __future__ import annotations

from typing import Any

from bagalau.commission import selectors as commission_selectors
from bagalau.commission.models import FinalResult
from bagalau.cycles import selectors as cycle_selectors
from bagalau.cycles.models import EvaluationCycle
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

CODE = "register"


def load(user: Any, body: Any, object_id: int) -> EvaluationCycle:
    cycle = cycle_selectors.cycle(user, body, object_id)
    commission_selectors.final_results(user, body, cycle_id=cycle.pk)  # the results' own readers check
    return cycle


def of_cycle(cycle: EvaluationCycle) -> list[int]:
    return [cycle.pk]


def build(cycle: EvaluationCycle, lang: str) -> dict[str, Any]:
    cycle = EvaluationCycle.objects.select_related("body").get(pk=cycle.pk)
    results = list(FinalResult.objects.filter(body_id=cycle.body_id, cycle=cycle)
                   .select_related("participant", "protocol", "approved_by")
                   .order_by("participant__unit_code", "-participant__is_head_of_unit", "participant__servant_name",
                             "method", "pk"))
    v = common.version(cycle.methodology_version)
    times = [r.created_at for r in results]
    created = max(times) if times else (cycle.launched_at or cycle.created_at)
    data = common.skeleton(form=CODE, title_key="register_title", annex=None, lang=lang, body=cycle.body, v=v,
                           created=created, state=cycle.state, signed=bool(results),
                           filename=common.ascii_stem(CODE, cycle.pk, lang))
    data["facts"] = [[text("period", lang), formatting.period(cycle.period_start, cycle.period_end)],
                     [text("state", lang), cycle.get_state_display()]]
    rows = []
    for n, r in enumerate(results, start=1):
        p = r.participant
        rows.append([str(n), p.servant_name, common.localized(p.unit_name_kk, p.unit_name_ru, lang),
                     common.localized(p.position_title_kk, p.position_title_ru, lang), text(f"method_{r.method}", lang),
                     common.rating(v, r.original_result, lang), common.rating(v, r.value, lang),
                     common.yes_no(r.revised, lang), r.protocol.number, formatting.day(r.approved_on),
                     formatting.day(r.familiarization_due)])
    data["sections"] = [{
        "heading": text("register_title", lang),
        "columns": ["№", text("full_name", lang), text("unit", lang), text("position", lang), text("method", lang),
                    text("original_result", lang), text("final_result", lang), text("revised", lang),
                    text("protocol", lang), text("approved_at", lang), text("familiarize_by", lang)],
        "widths": [3, 13, 12, 12, 6, 13, 13, 6, 6, 8, 8],
        "rows": rows,
    }]
    data["summary"] = [[text("evaluated_total", lang), str(len(results))]]
    clause_ids: list[str] = []
    for r in results:
        clause_ids += [r.value_clause, r.clause, r.familiarization_clause]
    data["clauses"] = common.clause_refs(v, clause_ids, cycle.period_end, lang)
    approvals: dict[int, dict[str, Any]] = {}
    for r in results:
        approvals.setdefault(r.protocol_id, {"role": "role_authorized", "name": r.protocol.approved_by_name,
                                             "signed_at": r.created_at, "valid": True})
    data["signatures"] = common.signature_rows(list(approvals.values()), lang)
    return data


FORM = register(Form(code=CODE, model="cycles.evaluationcycle", title_key="register_title",
                     template="documents/forms/register.html", load=load, build=build, of_cycle=of_cycle, order=90))
