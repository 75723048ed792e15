"""The 360 pages: HR starts a survey and assigns raters from the suggestions, sends it; a rater
answers in kk or ru through the form; the report shows the competency profile as inline SVG (no
script, no inline style: the CSP allows neither) and says the result is development-only. Each
page runs the same number of queries with few or many rows."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bagalau.assessments.survey360.models import Survey360
from tests.survey360 import kit


def login(user, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = language
    return client


def test_hr_starts_assigns_and_sends_through_the_pages(world):
    hr = login(world.hr)
    page = hr.get("/survey360/")
    assert page.status_code == 200 and 'data-card="start"' in page.content.decode()
    r = hr.post("/survey360/new/", {"servant": world.sid("head")})
    assert r.status_code == 302
    survey = Survey360.objects.get()
    page = hr.get(r["Location"]).content.decode()
    assert page.count("data-suggestion=") == 7
    for rater, role in kit.HEAD_RATERS:
        survey.refresh_from_db()
        r = hr.post(f"/survey360/{survey.pk}/raters/", {"rater": world.sid(rater), "role": role,
                                                         "version": survey.version})
        assert r.status_code == 302, r.content
    survey.refresh_from_db()
    r = hr.post(f"/survey360/{survey.pk}/raters/", {"rater": world.sid("head"), "role": "peer",
                                                     "version": survey.version})
    assert r.status_code == 422 and "themself" in r.content.decode()
    r = hr.post(f"/survey360/{survey.pk}/send/", {"version": survey.version})
    assert r.status_code == 302
    survey.refresh_from_db()
    assert survey.state == "open"


@pytest.mark.parametrize(("language", "needle"), [
    ("kk", "Бөлімшенің қызметін жоспарлау"), ("ru", "Собирает и анализирует информацию"),
])
def test_rater_answers_in_kazakh_or_russian(world, language, needle):
    survey = kit.survey_with_raters(world, "head", kit.HEAD_RATERS)
    a = kit.assignment(survey, world, "head2")
    client = login(world.user("head2"), language)
    mine = client.get("/survey360/questionnaires/").content.decode()
    assert f'data-assignment="{a.pk}"' in mine and f'lang="{language}"' in mine
    page = client.get(f"/survey360/questionnaires/{a.pk}/").content.decode()
    assert needle in page and 'data-group="head"' in page
    fields = set(re.findall(r'name="(a-[^"]+)"', page))
    assert len(fields) == 34
    r = client.post(f"/survey360/questionnaires/{a.pk}/", {f: "effective" for f in sorted(fields)[1:]})
    assert r.status_code == 422  # one indicator left out: nothing stored
    r = client.post(f"/survey360/questionnaires/{a.pk}/", {f: "effective" for f in fields})
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.state == "completed"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_report_with_chart_and_development_only_notice(world, language):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    for rater in ("head", "s2", "s3"):
        kit.answer(world, survey, rater)
    kit.answer(world, survey, "s4", lambda comp, n: "ineffective" if comp == "integrity" else "effective")
    page = login(world.user("s1"), language).get(f"/survey360/{survey.pk}/report/").content.decode()
    assert 'data-status="scored"' in page and 'data-note="development-only"' in page
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert svg.count("<rect") == 11 and "style=" not in svg and "<script" not in svg
    assert 'data-score="0.75"' in svg  # integrity: 3 of 4 raters
    assert 'data-group="non_head"' in page
    word = "Адалдық" if language == "kk" else "Добропорядочность"
    assert word.upper() in page.upper()


def test_report_is_not_for_colleagues(world):
    survey = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    assert login(world.user("s2")).get(f"/survey360/{survey.pk}/report/").status_code == 403


def _count(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session also writes the session and reads the roles
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_run_a_bounded_number_of_queries(world):
    hr = login(world.hr)
    first = kit.survey_with_raters(world, "s1", kit.NON_HEAD_RATERS)
    few = {u: _count(c, u) for c, u in [(hr, "/survey360/"), (hr, f"/survey360/{first.pk}/"),
                                        (login(world.user("head")), "/survey360/questionnaires/")]}
    second = kit.survey_with_raters(world, "head", kit.HEAD_RATERS)
    kit.survey_with_raters(world, "s2", (("head", "direct_manager"), ("s1", "peer"), ("s3", "peer")))
    kit.survey_with_raters(world, "s3", (("head", "direct_manager"), ("s1", "peer"), ("s4", "peer")))
    assert second.pk
    many = {u: _count(c, u) for c, u in [(hr, "/survey360/"), (hr, f"/survey360/{first.pk}/"),
                                         (login(world.user("head")), "/survey360/questionnaires/")]}
    assert few == many
