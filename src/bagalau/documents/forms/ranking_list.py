"""The ranking list of one group: the evaluator's grades with the positions the core derived from
the scale and the tie rule, the core's check of the quota and group size with its clause, and the
signatures of the evaluator and the superior over the list's canonical content."""

from __future__ import annotations

from typing import Any

from bagalau.assessments.ranking import selectors
from bagalau.assessments.ranking.models import ListState, RankingEntry, RankingList, RankingSignature
from bagalau.assessments.ranking.services import content as list_content
from bagalau.cycles.content import canonical, sha256
from bagalau.cycles.models import EvaluationCycle
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

CODE = "ranking_list"
ROLES = {"direct_manager": "role_evaluator", "reviewer": "role_superior_manager"}
PRINTED = (ListState.AGREED, ListState.SUBMITTED_TO_COMMISSION)


def load(user: Any, body: Any, object_id: int) -> RankingList:
    # 404 for another body's list or for someone who is neither a body reader, its evaluator nor its superior.
    return selectors.list_view(user, body, object_id).ranking_list


def of_cycle(cycle: EvaluationCycle) -> list[int]:
    return list(RankingList.objects.filter(body_id=cycle.body_id, cycle=cycle, state__in=PRINTED)
                .order_by("unit_code", "evaluator_name", "pk").values_list("pk", flat=True))


def build(ranking_list: RankingList, lang: str) -> dict[str, Any]:
    ranking_list = RankingList.objects.select_related("body", "cycle").get(pk=ranking_list.pk)
    cycle = ranking_list.cycle
    v = common.version(cycle.methodology_version)
    entries = list(RankingEntry.objects.filter(ranking_list=ranking_list).select_related("participant")
                   .order_by("position", "servant_name", "pk"))
    signatures = list(RankingSignature.objects.filter(ranking_list=ranking_list).order_by("signed_at", "pk"))
    current_sha = sha256(canonical(list_content(ranking_list, entries)))
    created = max([s.signed_at for s in signatures], default=ranking_list.updated_at)
    data = common.skeleton(form=CODE, title_key="ranking_title", annex=None, lang=lang, body=ranking_list.body,
                           v=v, created=created, state=ranking_list.state, signed=bool(signatures),
                           filename=common.ascii_stem(CODE, ranking_list.pk, lang),
                           signed_content=signatures[-1].content_sha256 if signatures else "")
    data["facts"] = [
        [text("unit", lang), common.localized(ranking_list.unit_name_kk, ranking_list.unit_name_ru, lang)],
        [text("evaluator", lang), ranking_list.evaluator_name],
        [text("superior", lang), ranking_list.reviewer_name],
        [text("period", lang), formatting.period(cycle.period_start, cycle.period_end)],
    ]
    data["sections"].append({
        "heading": text("ranking_entries", lang),
        "columns": [text("rank", lang), text("full_name", lang), text("position", lang), text("grade", lang)],
        "widths": [10, 34, 32, 24],
        "rows": [[str(e.position or ""), e.servant_name,
                  common.localized(e.participant.position_title_kk, e.participant.position_title_ru, lang),
                  common.rating(v, e.grade, lang)] for e in entries],
    })
    if ranking_list.check_value:
        verdict = text("check_valid" if ranking_list.check_value == "VALID" else "check_invalid", lang)
        data["summary"] = [[text("list_check", lang), f"{verdict} ({ranking_list.check_clause})"]]
    data["clauses"] = common.clause_refs(v, [ranking_list.check_clause, ranking_list.rater_clause,
                                             ranking_list.due_clause], cycle.period_end, lang)
    rows: list[dict[str, Any]] = [{"role": ROLES.get(s.role, "role_reviewer"), "name": s.signer_name,
                                   "signed_at": s.signed_at, "valid": s.content_sha256 == current_sha}
                                  for s in signatures]
    signed_roles = {s.role for s in signatures}
    for role, name in (("direct_manager", ranking_list.evaluator_name), ("reviewer", ranking_list.reviewer_name)):
        if role not in signed_roles and name:
            rows.append({"role": ROLES[role], "name": name, "signed_at": None})
    data["signatures"] = common.signature_rows(rows, lang)
    return data


FORM = register(Form(code=CODE, model="ranking.rankinglist", title_key="ranking_title",
                     template="documents/forms/ranking_list.html", load=load, build=build, of_cycle=of_cycle,
                     order=25))
