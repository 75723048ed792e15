"""The newer apps' objects in the permission matrix's world (world.py), one set per body, kept in
`BodyWorld.extra` and named by the path parameters of their addresses:

    list_id            a ranking list of the cycle (prepared by HR)
    survey_id          a 360 survey of head_c, sent, with assignment_id: head_d rating him (subordinate)
    familiarization_id head_b's familiarization with his final result (result_id), pending
    appeal_id          head_b's appeal against that result, addressed to the world's reviewer
    proposal_id        HR's consequence proposal (a bonus) on that result
    refusal            head_c's familiarization, refused, with HR's refusal act (not in a path)
    document_id        head_d's KPI sheet generated in Kazakh PDF (form/object_id/language/fmt)
    job_id             a batch job of the cycle, started by HR and run (its ZIP is ready)

The final results: the world's sitting is kept in session (the commission rows of the matrix vote
and decide on head_d's item), so head_b's and head_c's items get their results written directly,
as the approval writes them, and familiarization is opened by its real service. Everything else
comes from the apps' services.
"""

from __future__ import annotations

from typing import Any

from bagalau.assessments.ranking import services as ranking_services
from bagalau.assessments.ranking.models import RankingList
from bagalau.assessments.survey360 import services as survey_services
from bagalau.assessments.survey360.models import RaterAssignment, Survey360
from bagalau.commission import rules as commission_rules
from bagalau.commission.models import AgendaItem, FinalResult, Protocol
from bagalau.cycles import clock as app_clock
from bagalau.documents import services as document_services
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.outcomes import services as outcome_services
from bagalau.outcomes.models import Familiarization
from bagalau.outcomes.services.familiarization import open_familiarizations
from tests.ranking import world as ranking_world
from tests.survey360 import kit as survey_kit


def final_result(item: AgendaItem, approved_by: Any) -> FinalResult:
    """The final result of an agenda item of a sitting still in session, written as the approval
    writes it (its value is the item's original result)."""
    meeting = item.meeting
    version = commission_rules.version_named(meeting.methodology_version)
    today = app_clock.today()
    clause = commission_rules.approval(version, today)[1]
    due = commission_rules.familiarization_due(version, today)
    return FinalResult.objects.create(
        body_id=item.body_id, cycle_id=meeting.cycle_id, participant=item.participant, agenda_item=item,
        protocol=Protocol.objects.get(meeting=meeting), method=item.method, value=item.original_result,
        value_clause=item.original_clause, original_result=item.original_result, clause=clause,
        methodology_version=version.id, approved_on=today, approved_by=approved_by,
        familiarization_due=due.on, familiarization_rule=due.rule, familiarization_clause=due.clause,
        familiarization_explanation=due.explanation)


def _final_result(w: Any, key: str) -> FinalResult:
    item = AgendaItem.objects.select_related("participant", "meeting").get(meeting=w.meeting,
                                                                           participant__servant=w.kit.servant(key))
    return final_result(item, w.actors["authorized"])


def _outcomes(w: Any) -> dict[str, Any]:
    hr, body = w.actors["hr"], w.body
    results = {k: _final_result(w, k) for k in ("head_b", "head_c")}
    open_familiarizations(body=body, actor=w.actors["authorized"], results=list(results.values()), superseded=[])
    fam = Familiarization.objects.get(result=results["head_b"])
    refused = Familiarization.objects.get(result=results["head_c"])
    refused = outcome_services.refuse_to_sign(w.kit.user("head_c"), body, refused.pk, note="Not agreed",
                                              expected_version=refused.version)
    outcome_services.draw_refusal_act(
        hr, body, refused.pk, number="1-A", text_kk="Қызметші танысудан бас тартты.",
        text_ru="Служащий отказался от ознакомления.", witnesses=[w.kit.servant(k).pk for k in ("m6", "m7")],
        place="Hall", expected_version=refused.version)
    appeal = outcome_services.file_appeal(w.kit.user("head_b"), body, results["head_b"].pk,
                                          venue="territorial_department", reviewer_id=w.actors["reviewer"].pk,
                                          grounds="KPI 3 was met.")
    proposal = outcome_services.propose_consequence(hr, body, results["head_b"].pk, basis="kpi", purpose="bonus",
                                                    justification="Every KPI met.")
    return {"familiarization": Familiarization.objects.get(pk=fam.pk), "result": results["head_b"],
            "participant": results["head_b"].participant, "appeal": appeal, "proposal": proposal,
            "refusal": refused}


def _survey(w: Any) -> dict[str, Any]:
    hr, body = w.actors["hr"], w.body
    survey = survey_services.create_survey(hr, body, w.kit.servant("head_c").pk)
    made = {}
    for rater, role in (("head_b", "direct_manager"), ("head_d", "subordinate"), ("m1", "peer")):
        made[rater] = survey_services.assign_rater(
            hr, body, survey.pk, rater_id=w.kit.servant(rater).pk, role=role,
            expected_version=Survey360.objects.get(pk=survey.pk).version)
    survey = Survey360.objects.get(pk=survey.pk)
    survey = survey_services.open_survey(hr, body, survey.pk, expected_version=survey.version)
    return {"survey": survey, "assignment": RaterAssignment.objects.get(pk=made["head_d"].pk)}


def _documents(w: Any) -> dict[str, Any]:
    hr, body = w.actors["hr"], w.body
    doc = document_services.generate(hr, body, "kpi_sheet", w.sheet.pk, "kk", "pdf")
    job = document_services.start_batch(hr, body, w.cycle.pk, languages=["kk"], formats=["pdf"])
    job = document_services.run_batch(job.pk)  # done, so its ZIP is there to download
    return {"document": doc, "job": job}


def adopt_ranking_and_360(body: Any) -> None:
    """The body's own act fills what the typical G2023 text leaves open: the ranking block
    (tests/ranking/world.py) and the 360 annex (tests/survey360/kit.py)."""
    adoption = MethodologyAdoption.objects.get(body=body)
    adoption.local_parameters = {**adoption.local_parameters, **ranking_world.settings_with(),
                                 **survey_kit.G2023_LOCAL}
    adoption.save()


def _ranking(w: Any) -> dict[str, Any]:
    """The body's act sets the ranking block (tests/ranking/world.py) and the 360 annex
    (tests/survey360/kit.py); the cycle's specialists are ranked by their managers."""
    adopt_ranking_and_360(w.body)
    ranking_services.prepare_lists(w.actors["hr"], w.body, w.cycle.pk)
    return {"ranking_list": RankingList.objects.filter(cycle=w.cycle).order_by("pk").first()}


def extend(w: Any) -> None:
    """Add the newer apps' objects to the body's world `w` (a world.BodyWorld)."""
    w.extra.update(_ranking(w))
    w.extra.update(_survey(w))
    w.extra.update(_outcomes(w))
    w.extra.update(_documents(w))


def ids(w: Any) -> dict[str, Any]:
    e = w.extra
    doc = e["document"]
    return {"list_id": e["ranking_list"].pk if e.get("ranking_list") else 0, "survey_id": e["survey"].pk,
            "assignment_id": e["assignment"].pk, "familiarization_id": e["familiarization"].pk,
            "result_id": e["result"].pk, "participant_id": e["participant"].pk, "appeal_id": e["appeal"].pk,
            "proposal_id": e["proposal"].pk, "document_id": doc.pk, "job_id": e["job"].pk, "form": doc.form,
            "object_id": doc.object_id, "language": doc.language, "fmt": doc.format, "purpose": "development"}


# The objects behind each path parameter, for the row version a write must carry.
OBJECT_OF_PARAM = {"list_id": "ranking_list", "survey_id": "survey", "assignment_id": "assignment",
                   "familiarization_id": "familiarization", "appeal_id": "appeal", "proposal_id": "proposal",
                   "result_id": "result", "job_id": "job", "document_id": "document"}
