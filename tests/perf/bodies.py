"""The two bodies the query-count tests compare: a small one and a large one (about ten times its
rows), each from the benchmark's generator with the newer apps' documents made through their
services.

The generator (bench/generate.py) and the probe (bench/probe.py) give each body a launched cycle
with a year of work, an open commission sitting and a draft cycle for the next year. `extend` then
adds, scaled to the body's size:

* ranking lists per unit, graded by their evaluators (the body's act fills the ranking block). The
  generator's departments hold six people, so the specialists of the first third of the units are
  put under the first unit's head in the cycle's snapshot before the lists are prepared: one long
  list, as in a large department, whose page must not cost a query per servant;
* a 360 survey of every eighth servant's worth of specialists, each with three raters (the
  direct manager, the chairman and another head) and sent; the first answered by all and closed,
  so that its report is scored;
* a final result for every agenda item of the open sitting (written as the approval writes it,
  tests/security/world_more.py), familiarization opened, a consequence proposal on each, and by
  turns a refusal with HR's act (the first: its servant is the one whose own page is counted) or an
  appeal to the body's reviewer (every other one recommended for revision);
* a KPI sheet rendered as a document, and batch jobs of the cycle (started, not run: rendering a
  whole cycle would take minutes and the lists read the jobs, not their files).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from bagalau.assessments.ranking import services as ranking_services
from bagalau.assessments.ranking.models import RankingList
from bagalau.assessments.survey360 import services as survey_services
from bagalau.assessments.survey360.models import RaterAssignment, Survey360, SurveyState
from bagalau.commission.models import AgendaItem
from bagalau.cycles.models import (
    EvaluationCycle,
    IndividualWorkPlan,
    KpiSheet,
    Participant,
    ParticipantStatus,
    PeriodKind,
)
from bagalau.documents import services as document_services
from bagalau.orgs.models import Role, Servant
from bagalau.outcomes import services as outcome_services
from bagalau.outcomes.models import Familiarization
from bagalau.outcomes.services.appeals import REVISE_OUTCOME
from bagalau.outcomes.services.familiarization import open_familiarizations
from bench import batch, generate, probe
from bench.clock import LAUNCH_DAY
from tests import factories
from tests.security import world_more
from tests.survey360 import kit as survey_kit

SMALL, LARGE = 48, 500


@dataclass
class Body:
    probe: probe.Probe
    draft_cycle: int
    plan: int
    sheet: int
    meeting: int | None
    item: int | None
    member: Any
    specialist: Any
    size: int = 0
    more: dict[str, Any] = field(default_factory=dict)


def build(servants: int, first: int, clock: Any) -> Body:
    clock.day = LAUNCH_DAY
    country = generate.organisation(servants, servants, seed=7, first=first)
    batch.launch_country(country)
    body = country.bodies[0]
    generate.year_of_work(country, seed=7, probe_body=body.pk)
    the_probe = probe.prepare(body, country.cycles[body.pk], country.hr[body.pk], clock)
    hr = country.hr[body.pk]
    draft = EvaluationCycle.objects.create(body=body, kind=PeriodKind.YEAR, year=generate.YEAR + 1,
                                           period_start=dt.date(generate.YEAR + 1, 1, 1),
                                           period_end=dt.date(generate.YEAR + 1, 12, 31), created_by=hr)
    plan = IndividualWorkPlan.objects.filter(body=body).order_by("pk").first()
    assert plan is not None
    sheet = KpiSheet.objects.get(pk=the_probe.sheets_to_submit[0])
    item = AgendaItem.objects.filter(body_id=body.pk).order_by("pk").first()
    specialist = Servant.objects.filter(body=body, user__isnull=True).first()
    return Body(probe=the_probe, draft_cycle=draft.pk, plan=plan.pk, sheet=sheet.pk,
                meeting=item.meeting_id if item else None, item=item.pk if item else None,
                member=the_probe.members[1] if the_probe.members else None,
                specialist=specialist, size=servants)


# -- the newer apps ---------------------------------------------------------------------------------


def _one_long_group(cycle_id: int) -> None:
    """Put the ranking participants of the first third of the units under the first unit's head
    (unit and direct manager of the cycle's snapshot), so that one list is long."""
    groups: dict[tuple[int, int], list[Participant]] = {}
    for p in (Participant.objects.filter(cycle_id=cycle_id, status=ParticipantStatus.EVALUATED,
                                         direct_manager__isnull=False)
              .exclude(unit_code="01").order_by("unit_code", "pk")):
        if "ranking" in (p.methods or []):
            groups.setdefault((p.unit_id, p.direct_manager_id), []).append(p)  # type: ignore[arg-type]
    keys = list(groups)[:max(2, len(groups) // 3)]
    first = groups[keys[0]][0]
    (Participant.objects.filter(pk__in=[p.pk for k in keys[1:] for p in groups[k]])
     .update(unit_id=first.unit_id, unit_code=first.unit_code, unit_name_kk=first.unit_name_kk,
             unit_name_ru=first.unit_name_ru, direct_manager_id=first.direct_manager_id,
             direct_manager_name=first.direct_manager_name))


def _ranking(b: Body) -> dict[str, Any]:
    body, cycle_id = b.probe.body, b.probe.cycle_id
    world_more.adopt_ranking_and_360(body)
    _one_long_group(cycle_id)
    ranking_services.prepare_lists(b.probe.hr, body, cycle_id)
    lists = list(RankingList.objects.filter(cycle_id=cycle_id).select_related("evaluator__user").order_by("pk"))
    for rl in lists:
        grades = {pk: {"grade": "PROPER"} for pk in rl.entries.values_list("pk", flat=True)}
        ranking_services.save_grades(rl.evaluator.user, body, rl.pk, grades=grades, expected_version=rl.version)
    longest = (RankingList.objects.filter(cycle_id=cycle_id).annotate(n=Count("entries")).order_by("-n", "pk")
               .first())
    assert longest is not None
    return {"ranking_list": longest.pk, "ranking_evaluator": lists[0].evaluator.user}


def _surveys(b: Body) -> dict[str, Any]:
    body, hr = b.probe.body, b.probe.hr
    chairman = body.first_head
    assert chairman is not None
    heads = list(Servant.objects.filter(body=body, user__isnull=False).exclude(pk=chairman.pk)
                 .exclude(user=hr).order_by("pk")[:2])
    specialists = (Servant.objects.filter(body=body, user__isnull=True, appointments__end__isnull=True)
                   .order_by("pk")[:b.size // 8])
    surveys = []
    for servant in specialists:
        survey = survey_services.create_survey(hr, body, servant.pk)
        assert survey.direct_manager_id is not None, "a specialist's head rates him as direct manager"
        other_head = heads[0] if heads[0].pk != survey.direct_manager_id else heads[1]
        for rater in (survey.direct_manager_id, chairman.pk, other_head.pk):
            survey_services.assign_rater(hr, body, survey.pk, rater_id=rater,
                                         role=survey_services.relation_of(survey, rater),
                                         expected_version=Survey360.objects.get(pk=survey.pk).version)
        survey = Survey360.objects.get(pk=survey.pk)
        surveys.append(survey_services.open_survey(hr, body, survey.pk, expected_version=survey.version))
    closed = surveys[0]
    for a in RaterAssignment.objects.filter(survey=closed).select_related("rater__user"):
        survey_services.submit_answers(a.rater.user, body, a.pk, survey_kit.answers_for(closed))
    closed = Survey360.objects.get(pk=closed.pk)
    assert closed.state == SurveyState.CLOSED, "the last answer closes the survey"
    pending = RaterAssignment.objects.get(survey=surveys[1], rater=chairman)
    return {"survey": closed.pk, "assignment": pending.pk, "surveys": len(surveys)}


def _outcomes(b: Body) -> dict[str, Any]:
    body, hr, chairman = b.probe.body, b.probe.hr, b.probe.chairman
    items = AgendaItem.objects.filter(meeting_id=b.meeting).select_related("participant", "meeting").order_by("pk")
    results = [world_more.final_result(item, chairman) for item in items]
    open_familiarizations(body=body, actor=chairman, results=results, superseded=[])
    reviewer = factories.user(f"reviewer_{body.pk}")
    factories.grant(reviewer, body, Role.APPEAL_REVIEWER)
    witnesses = list(Servant.objects.filter(body=body, user__isnull=True).order_by("pk")
                     .values_list("pk", flat=True)[:2])
    fams = list(Familiarization.objects.filter(result__in=results).select_related("servant__user", "result")
                .order_by("pk"))
    out: dict[str, Any] = {"reviewer": reviewer, "servant": fams[0].servant.user,
                           "participant": fams[0].result.participant_id}
    appeals = 0
    for i, fam in enumerate(fams):
        outcome_services.propose_consequence(hr, body, fam.result_id, basis=fam.result.method, purpose="bonus",
                                             justification="Every KPI met.")
        user = fam.servant.user
        if i % 2 == 0:
            fam = outcome_services.refuse_to_sign(user, body, fam.pk, note="Not agreed",
                                                  expected_version=fam.version)
            outcome_services.draw_refusal_act(
                hr, body, fam.pk, number=f"{i}-A", text_kk="Қызметші танысудан бас тартты.",
                text_ru="Служащий отказался от ознакомления.", witnesses=witnesses, place="Hall",
                expected_version=fam.version)
            out.setdefault("refused", fam.pk)
        else:
            appeal = outcome_services.file_appeal(user, body, fam.result_id, venue="territorial_department",
                                                  reviewer_id=reviewer.pk, grounds="KPI 3 was met.")
            out.setdefault("appeal", appeal.pk)
            if appeals % 2 == 0:  # every other appeal, the first included
                outcome_services.decide_appeal(reviewer, appeal.pk, outcome=REVISE_OUTCOME,
                                               note="The KPI 3 evidence was not weighed.",
                                               expected_version=appeal.version)
            appeals += 1
    return out


def _documents(b: Body) -> dict[str, Any]:
    body, hr = b.probe.body, b.probe.hr
    doc = document_services.generate(hr, body, "kpi_sheet", b.sheet, "kk", "pdf")
    jobs = [document_services.start_batch(hr, body, b.probe.cycle_id, languages=["kk"], formats=["pdf"])
            for _ in range(max(1, b.size // 60))]
    return {"document": doc, "job": jobs[0].pk}


def extend(b: Body) -> None:
    """Add the newer apps' documents to the body `b` (see the module's docstring)."""
    b.more.update(_ranking(b))
    b.more.update(_surveys(b))
    b.more.update(_outcomes(b))
    b.more.update(_documents(b))
