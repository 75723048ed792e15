"""The act drawn up when the servant refuses to sign the evaluation results (S0-p.40): the HR
specialist who drew it up, the two witnesses (names and positions), the act's text in the form's
language, and how and when the results were then delivered."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.cycles.models import EvaluationCycle
from bagalau.documents import formatting
from bagalau.documents.forms import common, outcomes_common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text
from bagalau.outcomes import selectors
from bagalau.outcomes.models import DeliveryChannel, RefusalAct, RefusalWitness

CODE = "refusal_act"


def load(user: Any, body: Any, object_id: int) -> RefusalAct:
    found = RefusalAct.objects.filter(body=body, pk=object_id).only("pk", "familiarization_id").first()
    if found is None:
        raise Http404(_("No such refusal act in this state body."))
    act = selectors.familiarization(user, body, found.familiarization_id).act
    assert act is not None
    return act


def of_cycle(cycle: EvaluationCycle) -> list[int]:
    return list(RefusalAct.objects.filter(body_id=cycle.body_id, familiarization__result__cycle=cycle)
                .order_by("drawn_on", "number", "pk").values_list("pk", flat=True))


def build(act: RefusalAct, lang: str) -> dict[str, Any]:
    act = RefusalAct.objects.select_related(
        "body", "familiarization", "familiarization__result", "familiarization__result__participant",
        "familiarization__result__cycle", "familiarization__result__protocol").get(pk=act.pk)
    fam = act.familiarization
    result = fam.result
    v = common.version(result.methodology_version)
    witnesses = list(RefusalWitness.objects.filter(act=act).order_by("ordinal", "pk"))
    # The act's own times are the servant's refusal and the delivery (both on the services' clock).
    times = [t for t in (fam.refused_at, act.delivered_at) if t is not None]
    created = max(times) if times else act.created_at
    data = common.skeleton(form=CODE, title_key="act_title", annex=None, lang=lang, body=act.body, v=v,
                           created=created, state=fam.state, signed=False,
                           filename=common.ascii_stem(CODE, act.pk, lang))
    data["facts"] = [[text("act_number", lang), act.number], [text("drawn_on", lang), formatting.day(act.drawn_on)],
                     [text("place", lang), act.place], *outcomes_common.result_facts(result, v, lang),
                     [text("refused_at", lang), formatting.moment(fam.refused_at)]]
    if fam.refusal_note:
        data["facts"].append([text("refusal_note", lang), fam.refusal_note])
    data["sections"].append({"heading": text("act_text", lang),
                             "paragraphs": [common.localized(act.text_kk, act.text_ru, lang)]})
    data["sections"].append({
        "heading": text("witnesses", lang), "columns": ["№", text("full_name", lang), text("position", lang)],
        "widths": [6, 44, 50],
        "rows": [[str(n), w.name, common.localized(w.position_kk, w.position_ru, lang)]
                 for n, w in enumerate(witnesses, start=1)]})
    if act.delivered_at:
        channel = str(DeliveryChannel(act.delivery_channel).label) if act.delivery_channel else ""
        delivery = text("delivery_line", lang, channel=channel, date=formatting.moment(act.delivered_at),
                         reference=act.delivery_reference or "-")
    else:
        delivery = text("not_delivered", lang)
    data["summary"] = [[text("delivery", lang), delivery], [text("deliver_by", lang), formatting.day(act.delivery_due)]]
    data["clauses"] = common.clause_refs(v, [act.clause, act.delivery_clause, result.clause], act.drawn_on, lang)
    rows: list[dict[str, Any]] = [{"role": "role_hr_specialist", "name": act.hr_name, "signed_at": None}]
    rows += [{"role": "role_witness", "name": w.name, "signed_at": None} for w in witnesses]
    data["signatures"] = outcomes_common.paper_rows(rows, lang)
    # The HR specialist signs on the day the act is drawn up (the act records the day, not the hour).
    data["signatures"]["rows"][0]["signed_at"] = formatting.day(act.drawn_on)
    return data


FORM = register(Form(code=CODE, model="outcomes.refusalact", title_key="act_title",
                     template="documents/forms/refusal_act.html", load=load, build=build, of_cycle=of_cycle,
                     order=50))
