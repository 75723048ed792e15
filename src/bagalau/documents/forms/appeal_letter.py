"""The cover letter of a servant's appeal (S1-p.70), addressed to the reviewer's agency (the
authorized body for civil service affairs or its territorial department): the servant, the
Commission's decision appealed (protocol, result, date), the filing date against the last day
with its rule and clause, and the grounds."""

from __future__ import annotations

from typing import Any

from bagalau.documents import formatting
from bagalau.documents.forms import common, outcomes_common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text
from bagalau.outcomes import selectors
from bagalau.outcomes.models import Appeal, AppealState, AppealVenue

CODE = "appeal_letter"


def load(user: Any, body: Any, object_id: int) -> Appeal:
    return selectors.appeal(user, object_id, body).appeal


def of_cycle(cycle: Any) -> list[int]:
    return []  # a servant's own letter, not part of the cycle's print run


def build(appeal: Appeal, lang: str) -> dict[str, Any]:
    appeal = Appeal.objects.select_related("body", "reviewer", "result", "result__participant", "result__cycle",
                                           "result__protocol").get(pk=appeal.pk)
    result = appeal.result
    v = common.version(result.methodology_version)
    data = common.skeleton(form=CODE, title_key="appeal_title", annex=None, lang=lang, body=appeal.body, v=v,
                           created=appeal.filed_at, state=appeal.state, signed=False,
                           filename=common.ascii_stem(CODE, appeal.pk, lang))
    reviewer = appeal.reviewer.get_full_name() or appeal.reviewer.get_username()
    name = result.participant.servant_name
    decision = text("decision_line", lang, date=formatting.day(appeal.decision_on), number=result.protocol.number,
                    result=common.rating(v, result.value, lang))
    data["facts"] = [
        [text("addressee", lang), str(AppealVenue(appeal.venue).label)],
        [text("reviewer_name", lang), reviewer],
        *outcomes_common.result_facts(result, v, lang),
        [text("commission_decision", lang), decision],
        [text("filed_on", lang), formatting.day(appeal.filed_on)],
        [text("appeal_by", lang), f"{formatting.day(appeal.last_day)} ({appeal.last_day_clause})"],
        [text("timeliness", lang), text("filed_late" if appeal.late else "filed_in_time", lang)],
        [text("appeal_state", lang), str(AppealState(appeal.state).label)],
    ]
    data["sections"].append({"heading": "", "paragraphs": [text("appeal_body", lang, name=name)]})
    data["sections"].append({"heading": text("grounds", lang), "paragraphs": [appeal.grounds]})
    data["clauses"] = common.clause_refs(v, [appeal.last_day_clause, result.clause, appeal.outcome_clause],
                                         appeal.filed_on, lang)
    data["signatures"] = common.signature_rows([{"role": "role_applicant", "name": name,
                                                 "signed_at": appeal.filed_at}], lang)
    return data


FORM = register(Form(code=CODE, model="outcomes.appeal", title_key="appeal_title",
                     template="documents/forms/appeal_letter.html", load=load, build=build, of_cycle=of_cycle,
                     order=70))
