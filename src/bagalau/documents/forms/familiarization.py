"""The sheet of familiarization with the evaluation results: the result as approved, the sign-by
date with its rule and clause, and how the servant was familiarized: signed (when, on time or not),
notified remotely while absent (each notice's channel, time, reference and proof with its hash),
or refused (when, the explanation, the act drawn up)."""

from __future__ import annotations

from typing import Any

from bagalau.cycles.models import EvaluationCycle
from bagalau.documents import formatting
from bagalau.documents.forms import common, outcomes_common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text
from bagalau.outcomes import selectors
from bagalau.outcomes.models import Familiarization, FamiliarizationState, RemoteChannel, RemoteNotice

CODE = "familiarization"


def load(user: Any, body: Any, object_id: int) -> Familiarization:
    return selectors.familiarization(user, body, object_id).fam


def of_cycle(cycle: EvaluationCycle) -> list[int]:
    return list(Familiarization.objects.filter(body_id=cycle.body_id, result__cycle=cycle)
                .exclude(state=FamiliarizationState.SUPERSEDED)
                .order_by("servant__last_name", "pk").values_list("pk", flat=True))


def _proof(n: RemoteNotice) -> str:
    parts = [n.reference, n.proof_name, f"SHA-256 {n.proof_sha256}" if n.proof_sha256 else ""]
    return "; ".join(p for p in parts if p)


def build(fam: Familiarization, lang: str) -> dict[str, Any]:
    fam = Familiarization.objects.select_related("body", "result", "result__participant", "result__cycle",
                                                 "result__protocol").get(pk=fam.pk)
    result = fam.result
    v = common.version(result.methodology_version)
    notices = list(RemoteNotice.objects.filter(familiarization=fam).order_by("sent_at", "pk"))
    act = fam.refusal_act if hasattr(fam, "refusal_act") else None
    times = [t for t in (fam.signed_at, fam.refused_at, fam.completed_at, *(n.recorded_at for n in notices)) if t]
    created = max(times) if times else fam.created_at
    data = common.skeleton(form=CODE, title_key="fam_title", annex=None, lang=lang, body=fam.body, v=v,
                           created=created, state=fam.state, signed=fam.signed_at is not None,
                           filename=common.ascii_stem(CODE, fam.pk, lang), signed_content=fam.signed_sha256)
    data["facts"] = [*outcomes_common.result_facts(result, v, lang),
                     [text("familiarize_by", lang), f"{formatting.day(fam.due)} ({fam.due_clause})"],
                     [text("fam_state", lang), str(FamiliarizationState(fam.state).label)]]
    if fam.signed_at:
        data["facts"].append([text("signed_on_time", lang), common.yes_no(fam.signed_on_time, lang)])
    if notices:
        data["sections"].append({
            "heading": text("remote_notices", lang),
            "columns": [text("channel", lang), text("sent_at", lang), text("on_time", lang), text("proof", lang)],
            "widths": [28, 18, 10, 44],
            "rows": [[str(RemoteChannel(n.channel).label) if n.channel in RemoteChannel.values else n.channel,
                      formatting.moment(n.sent_at), common.yes_no(n.on_time, lang), _proof(n)] for n in notices]})
    if fam.refused_at:
        refusal = [[text("refused_at", lang), formatting.moment(fam.refused_at)]]
        if fam.refusal_note:
            refusal.append([text("refusal_note", lang), fam.refusal_note])
        if act is not None:
            refusal.append([text("refusal_act_ref", lang), f"№ {act.number}, {formatting.day(act.drawn_on)}"])
        data["summary"] = refusal
    data["clauses"] = common.clause_refs(v, [fam.due_clause, result.clause, *(n.channel_clause for n in notices),
                                             act.clause if act else ""], result.approved_on, lang)
    rows: list[dict[str, Any]] = []
    if fam.signed_at or not fam.refused_at:
        rows.append({"role": "role_servant", "name": result.participant.servant_name, "signed_at": fam.signed_at})
    data["signatures"] = common.signature_rows(rows, lang)
    if act is not None:  # the act is signed on the day it is drawn up (a day, not an hour)
        data["signatures"]["rows"].append({"role": text("role_hr_specialist", lang), "name": act.hr_name,
                                           "signed_at": formatting.day(act.drawn_on), "status": ""})
    return data


FORM = register(Form(code=CODE, model="outcomes.familiarization", title_key="fam_title",
                     template="documents/forms/familiarization.html", load=load, build=build, of_cycle=of_cycle,
                     order=45))
