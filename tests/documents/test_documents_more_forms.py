"""The forms of the ranking, 360 and outcomes apps, each rendered in Kazakh and in Russian as PDF and
DOCX and read back: names, results, dates, clauses, signature blocks, the Kazakh letters. The objects
come from the owning apps' services (their tests' builders), built once for the module inside one
transaction that is rolled back at the end. Also: the 360 report never prints a rater and refuses
or says "not enough responses" below the threshold; the auditor may not start a batch; a servant's
page lists the stored documents about him."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from bagalau.assessments.ranking.models import RankingList, RankingSignature
from bagalau.assessments.survey360 import selectors as survey_selectors
from bagalau.assessments.survey360 import services as survey_services
from bagalau.assessments.survey360.models import Survey360
from bagalau.commission import rules
from bagalau.documents import formatting, selectors, services
from bagalau.documents.models import BatchJob
from bagalau.orgs.models import Role
from bagalau.outcomes import services as outcomes
from bagalau.outcomes.models import Appeal, Familiarization, RefusalAct
from tests import factories
from tests.commission import kit as commission_kit
from tests.documents import readback
from tests.documents.test_documents_forms import LANGS, assert_reads_back
from tests.outcomes import kit as out
from tests.ranking import world as ranking_kit
from tests.survey360 import kit as survey_kit

D = dt.date
ACT_KK = "Қызметші бағалау нәтижесімен танысудан бас тартты."
ACT_RU = "Служащий отказался от ознакомления с результатами оценки."
GROUNDS = "3-НМИ орындалды: растайтын құжаттар ескерілмеді."


@dataclass
class Worlds:
    ranking: Any
    ranking_list: RankingList
    survey_world: Any
    scored: Survey360
    thin: Survey360
    still_open: Survey360
    out: Any
    act: RefusalAct
    remote: Familiarization
    appeal: Appeal


def _hr(body: Any) -> Any:
    u = factories.user(f"hr_{body.pk}")
    factories.grant(u, body)
    return u


def _ranking(clock: Any) -> tuple[Any, RankingList]:
    clock.day = D(2024, 1, 10)
    body = factories.body("Ranking body")
    world = ranking_kit.build(body, _hr(body), clock)
    ranking_kit.prepared(world)
    rl = ranking_kit.grade(world, world.list_of("spec"), {"spec": "EFFECTIVE", "s2": "PROPER", "s3": "PROPER",
                                                          "s4": "SATISFACTORY"})
    rl = ranking_kit.move(world, rl, "sign", "head_b")
    clock.day = D(2024, 12, 20)
    rl = ranking_kit.move(world, rl, "agree", "chairman")
    return world, rl


def _surveys(clock: Any) -> tuple[Any, Survey360, Survey360, Survey360]:
    clock.day = survey_kit.DAY
    body = factories.body("Survey body")
    w = survey_kit.build(body, _hr(body))
    scored = survey_kit.survey_with_raters(w, "head", survey_kit.HEAD_RATERS)
    for rater, _role in survey_kit.HEAD_RATERS:
        survey_kit.answer(w, scored, rater, pick=lambda comp, n: "ineffective" if n == 1 else "effective")
    thin = survey_kit.survey_with_raters(w, "s1", survey_kit.NON_HEAD_RATERS)
    survey_kit.answer(w, thin, "head")
    thin = survey_services.close_survey(w.hr, w.body, thin.pk, expected_version=Survey360.objects.get(
        pk=thin.pk).version)
    still_open = survey_kit.survey_with_raters(w, "s3", survey_kit.NON_HEAD_RATERS[:1] + (("s2", "peer"),
                                                                                         ("s4", "peer")))
    return w, Survey360.objects.get(pk=scored.pk), thin, still_open


def _outcomes(clock: Any) -> tuple[Any, RefusalAct, Familiarization, Appeal]:
    clock.day = D(2024, 1, 10)
    body = factories.body("Outcomes body")
    world = commission_kit.build(body, _hr(body), clock)
    results = out.approved(world)  # approved on Fri 17.01.2025
    fam = out.fam(results["head_d"])
    fam = outcomes.refuse_to_sign(world.user("head_d"), world.body, fam.pk, note="Келіспеймін",
                                  expected_version=fam.version)
    act = outcomes.draw_refusal_act(world.hr, world.body, fam.pk, number="1-А", text_kk=ACT_KK, text_ru=ACT_RU,
                                    witnesses=[world.servant("m6").pk, world.servant("m7").pk],
                                    place="Мәжіліс залы", expected_version=fam.version)
    clock.day = D(2025, 1, 20)
    fam = Familiarization.objects.get(pk=fam.pk)
    outcomes.record_delivery(world.hr, world.body, fam.pk, channel="intranet_portal", reference="IP-778",
                             expected_version=fam.version)
    servant = world.servant("head_c")
    servant.phone = "+77015550011"
    servant.save(update_fields=["phone"])
    out.sick(world, "head_c", D(2025, 1, 10), D(2025, 2, 10))
    remote = out.fam(results["head_c"])
    outcomes.record_remote_notice(world.hr, world.body, remote.pk, channel="sms", expected_version=remote.version)
    signed = out.fam(results["head_b"])
    outcomes.sign_result(world.user("head_b"), world.body, signed.pk, expected_version=signed.version)
    reviewer = out.reviewer(world)
    appeal = outcomes.file_appeal(world.user("head_b"), world.body, results["head_b"].pk,
                                  venue="territorial_department", reviewer_id=reviewer.pk, grounds=GROUNDS)
    return (world, RefusalAct.objects.get(pk=act.pk), Familiarization.objects.get(pk=remote.pk),
            Appeal.objects.get(pk=appeal.pk))


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, module_clock):
    with django_db_blocker.unblock():
        with transaction.atomic():
            ranking, ranking_list = _ranking(module_clock)
            survey_world, scored, thin, still_open = _surveys(module_clock)
            world, act, remote, appeal = _outcomes(module_clock)
            yield Worlds(ranking, ranking_list, survey_world, scored, thin, still_open, world, act, remote, appeal)
            transaction.set_rollback(True)


@pytest.fixture
def w(worlds, db):
    return worlds


def _label(version_id: str, code: str, lang: str) -> str:
    return rules.rating_label(rules.version_named(version_id), code, lang)


def _number(version_id: str) -> str:
    return f"№ {rules.version_named(version_id).identity.number}"


def expected(form: str, w: Worlds, lang: str) -> tuple[Any, Any, int, list[str], tuple[str, ...]]:
    """(reader, body, object id, strings the form shows in `lang`, strings it must never show)."""
    if form == "ranking_list":
        rl = RankingList.objects.select_related("cycle").get(pk=w.ranking_list.pk)
        version = rl.cycle.methodology_version
        names = list(rl.entries.values_list("servant_name", flat=True))
        times = [formatting.moment(s.signed_at) for s in RankingSignature.objects.filter(ranking_list=rl)]
        return w.ranking.hr, w.ranking.body, rl.pk, [
            *names, rl.evaluator_name, rl.reviewer_name, _label(version, "EFFECTIVE", lang), rl.check_clause,
            *times, _number(version)], ()
    if form == "report360":
        report = survey_selectors.report(w.survey_world.hr, w.survey_world.body, w.scored.pk)
        assert report.shown and report.competencies
        raters = tuple(w.survey_world.servants[k].full_name for k, _ in survey_kit.HEAD_RATERS)
        return w.survey_world.hr, w.survey_world.body, w.scored.pk, [
            w.scored.servant_name, *(c["name"][lang] for c in report.competencies), str(report.index),
            formatting.day(w.scored.closed_on), report.clause], raters
    fam_result = None
    if form == "refusal_act":
        act = w.act
        fam_result = act.familiarization.result
        witnesses = list(act.witnesses.values_list("name", flat=True))
        return w.out.hr, w.out.body, act.pk, [
            act.number, act.hr_name, *witnesses, ACT_KK if lang == "kk" else ACT_RU, "17.01.2025", "IP-778",
            act.clause, fam_result.participant.servant_name, formatting.moment(act.familiarization.refused_at),
            _number(fam_result.methodology_version)], ()
    if form == "familiarization":
        fam = w.remote
        notice = fam.remote_notices.get()
        return w.out.hr, w.out.body, fam.pk, [
            fam.result.participant.servant_name, formatting.day(fam.due), fam.due_clause, notice.reference,
            formatting.moment(notice.sent_at), notice.channel_clause,
            _label(fam.result.methodology_version, fam.result.value, lang),
            _number(fam.result.methodology_version)], ()
    a = w.appeal
    return w.out.hr, w.out.body, a.pk, [
        a.result.participant.servant_name, "Гүлнар Сейітова", GROUNDS, formatting.day(a.filed_on),
        formatting.day(a.last_day), a.last_day_clause, a.result.protocol.number,
        _label(a.result.methodology_version, a.result.value, lang), formatting.moment(a.filed_at),
        _number(a.result.methodology_version)], ()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("form", ["ranking_list", "report360", "refusal_act", "familiarization", "appeal_letter"])
def test_new_form_renders_and_reads_back(w, form, lang, tmp_path):
    reader, body, object_id, wanted, absent = expected(form, w, lang)
    assert_reads_back(reader, body, form, object_id, lang, wanted, tmp_path, absent)


def test_a_360_report_below_the_threshold_says_so_and_an_open_one_is_refused(w):
    sw = w.survey_world
    doc = services.generate(sw.hr, sw.body, "report360", w.thin.pk, "ru", "pdf")
    text = readback.pdf_text(doc.file.read())
    assert "Недостаточно ответов: получено анкет 1, необходимо не менее 3" in text
    assert "Индекс 360" not in text and sw.servants["head"].full_name not in text
    with pytest.raises(ValidationError):
        services.generate(sw.hr, sw.body, "report360", w.still_open.pk, "ru", "pdf")
    # A rater may not read the report (only the servant evaluated and HR).
    client_user = sw.user("s2")
    with pytest.raises(Exception) as denied:
        services.generate(client_user, sw.body, "report360", w.scored.pk, "ru", "pdf")
    assert type(denied.value).__name__ in ("PermissionDenied", "Http404")


def test_the_cycle_batch_lists_ranking_lists_acts_and_familiarization_sheets(w):
    forms = {item["form"] for item in services.batch_items(w.out.cycle, ["kk"], ["pdf"])}
    assert {"refusal_act", "familiarization"} <= forms and "appeal_letter" not in forms
    forms = {item["form"] for item in services.batch_items(w.ranking.cycle, ["kk"], ["pdf"])}
    assert "ranking_list" in forms


def test_the_auditor_may_not_start_or_resume_a_batch(w, client):
    body, cycle = w.out.body, w.out.cycle
    auditor = factories.user(f"auditor_{body.pk}")
    factories.grant(auditor, body, Role.AUDITOR)
    job = services.start_batch(w.out.hr, body, cycle.pk, languages=["kk"], formats=["pdf"])
    client.force_login(auditor)
    assert client.get(f"/documents/cycles/{cycle.pk}/").status_code == 200  # reading stays allowed
    assert client.post(f"/documents/cycles/{cycle.pk}/", {"languages": ["kk"]}).status_code == 403
    assert client.post(f"/documents/batches/{job.pk}/resume/").status_code == 403
    api = client.post("/api/documents/batches", {"cycle_id": cycle.pk}, content_type="application/json")
    assert api.status_code == 403
    assert client.post(f"/api/documents/batches/{job.pk}/resume").status_code == 403
    assert BatchJob.objects.filter(cycle=cycle).count() == 1


def test_documents_for_servant_and_the_my_documents_section(w, client):
    world = w.out
    fam_doc = services.generate(world.hr, world.body, "familiarization", w.remote.pk, "kk", "pdf")
    appeal_doc = services.generate(world.hr, world.body, "appeal_letter", w.appeal.pk, "ru", "pdf")
    head_c = world.servant("head_c")
    assert fam_doc in selectors.documents_for_servant(world.hr, world.body, head_c)
    assert appeal_doc not in selectors.documents_for_servant(world.hr, world.body, head_c)
    # The servant sees his own; another servant sees none of head_c's; another body's servant nothing.
    assert selectors.documents_for_servant(world.user("head_c"), world.body, head_c) == [fam_doc]
    assert selectors.documents_for_servant(world.user("head_b"), world.body, head_c) == []
    assert selectors.documents_for_servant(w.ranking.hr, w.ranking.body, head_c) == []
    client.force_login(world.user("head_b"))
    page = client.get(reverse("web:my_evaluation")).content.decode()
    assert f'href="/documents/files/{appeal_doc.pk}/"' in page and appeal_doc.filename in page
    assert f"/documents/files/{fam_doc.pk}/" not in page
    assert client.get(f"/documents/files/{appeal_doc.pk}/").status_code == 200
