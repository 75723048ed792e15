"""The issue's acceptance walk of the 360 survey, in a real browser, on the demo body.

The demo body adopted the typical G2023 text; its own (fictional) act gives the competency annex
(Annex 4 as in the seed) and extends the 360 to specialists (orgs/demo.py). HR starts two surveys:
the head of the finance sector (E-3, head: the heads' indicators) and the deputy head of the
organisational-legal department (E-3, not a head: the specialists' indicators). HR assigns the
raters from the org snapshot's suggestions (and one colleague from the list), is refused a
self-rating, and sends the questionnaires. Each rater sees them under "My questionnaires" with the
answer date, and answers in Kazakh or Russian. The last answer closes a survey; the servant then
finds the report with the competency profile chart and the development-only notice. Screenshots
under screenshots/survey360/; no page may log a CSP violation or a console error.

"Today" is the cycles' clock, replaced in this process (the live server runs in it): Tue 10.02.2026.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from playwright.sync_api import Page, expect

from bagalau.assessments.survey360.models import Survey360
from bagalau.cycles import clock as cycle_clock
from bagalau.orgs.demo import DEMO_PASSWORD, load_demo

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
DAY = dt.date(2026, 2, 10)


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(seconds=self._tick)


def _assert_clean(console: list[str]) -> None:
    problems = [m for m in console if "Content Security Policy" in m or "Refused to" in m
                or m.startswith(("error", "pageerror"))]
    assert not problems, problems


def _expect_refusal_logged(console: list[str], status: int) -> None:
    expected = f"error: Failed to load resource: the server responded with a status of {status}"
    refusals = [m for m in console if m.startswith(expected)]
    assert len(refusals) == 1, console
    console.remove(refusals[0])


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_360_survey_for_a_head_and_a_specialist(live_server, browser, monkeypatch, screenshots):
    shots = screenshots / "survey360"
    shots.mkdir(exist_ok=True)
    clock = Clock(DAY)
    monkeypatch.setattr(cycle_clock, "today", clock.today)
    monkeypatch.setattr(cycle_clock, "now", clock.now)
    demo = load_demo(today=DAY)
    people = {s.user.username: s for s in demo.body.servants.filter(user__isnull=False).select_related("user")}
    finance_head = people["commission4"]  # E-3, head of the finance sector
    deputy = people["commission3"]  # E-3, deputy head of a department: not a head
    base = live_server.url
    console: list[str] = []
    pages: dict[str, Page] = {}

    def as_(username: str, locale: str = "kk-KZ") -> Page:
        key = f"{username}/{locale}"
        if key in pages:
            return pages[key]
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
        page = context.new_page()
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
        page.goto(f"{base}/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("nav.mainnav")).to_be_visible()
        pages[key] = page
        return page

    # HR starts the head's survey and assigns the suggested raters.
    hr = as_("hr")
    hr.goto(f"{base}/survey360/")
    hr.locator("#id-servant").select_option(str(finance_head.pk))
    hr.locator("[data-action=start]").click()
    expect(hr.locator("[data-group]")).to_have_attribute("data-group", "head")
    hr.screenshot(path=str(shots / "01-hr-head-survey-suggestions.png"), full_page=True)
    for username in ("head", "manager", "commission2", "servant"):
        hr.locator(f"[data-suggestion='{people[username].pk}'] [data-action=assign-suggested]").click()
        expect(hr.locator(f"[data-rater='{people[username].pk}']")).to_be_visible()
    expect(hr.locator("[data-check]")).to_have_attribute("data-check", "ok")
    hr.locator("[data-action=send]").click()
    expect(hr.locator("[data-state]")).to_have_attribute("data-state", "open")
    hr.screenshot(path=str(shots / "02-hr-head-survey-sent.png"), full_page=True)

    # The specialist's survey: the manager and a colleague suggested, another chosen from the list;
    # the servant himself is refused as a rater.
    hr.goto(f"{base}/survey360/")
    hr.locator("#id-servant").select_option(str(deputy.pk))
    hr.locator("[data-action=start]").click()
    expect(hr.locator("[data-group]")).to_have_attribute("data-group", "non_head")
    for username in ("manager", "hr"):
        hr.locator(f"[data-suggestion='{people[username].pk}'] [data-action=assign-suggested]").click()
        expect(hr.locator(f"[data-rater='{people[username].pk}']")).to_be_visible()
    hr.locator("#id-rater").select_option(str(people["commission1"].pk))
    hr.locator("#id-role").select_option("peer")
    hr.locator("[data-action=assign]").click()
    expect(hr.locator(f"[data-rater='{people['commission1'].pk}']")).to_be_visible()
    hr.locator("[data-action=send]").click()
    expect(hr.locator("[data-state]")).to_have_attribute("data-state", "open")
    hr.screenshot(path=str(shots / "03-hr-specialist-survey-sent.png"), full_page=True)

    def answer(username: str, evaluated, locale: str, shot: str | None = None, ineffective: int = 0) -> None:
        page = as_(username, locale)
        page.goto(f"{base}/survey360/questionnaires/")
        survey = Survey360.objects.get(servant=evaluated)
        row = page.locator("tr[data-assignment]").filter(has_text=survey.servant_name)
        expect(row).to_be_visible()
        expect(row.locator("td").nth(2)).not_to_have_text("")
        row.locator("a").click()
        # count() does not wait: until the questionnaire has loaded it would count the list page's
        # zero radios and the form would be sent unanswered.
        expect(page.locator("[data-action=submit-answers]")).to_be_visible()
        radios = page.locator("input[type=radio][value=effective]")
        expect(radios.first).to_be_visible()
        for i in range(radios.count()):
            radios.nth(i).check()
        for i in range(ineffective):
            page.locator("input[type=radio][value=ineffective]").nth(i).check()
        if shot:
            page.screenshot(path=str(shots / shot), full_page=True)
        page.locator("[data-action=submit-answers]").click()
        expect(page.locator("[data-card=questionnaires]")).to_be_visible()

    answer("head", finance_head, "kk-KZ", "04-rater-kk-head-questionnaire.png", ineffective=2)
    answer("manager", finance_head, "ru-RU", "05-rater-ru-head-questionnaire.png")
    answer("commission2", finance_head, "ru-RU")
    # Before the last answer the servant sees no number.
    servant_page = as_("commission4")
    servant_page.goto(f"{base}/survey360/questionnaires/")
    servant_page.locator("[data-report] a").click()
    expect(servant_page.locator("[data-card=result]")).to_have_attribute("data-status", "open")
    answer("servant", finance_head, "kk-KZ")
    servant_page.reload()
    expect(servant_page.locator("[data-card=result]")).to_have_attribute("data-status", "scored")
    expect(servant_page.locator("[data-group]")).to_have_attribute("data-group", "head")
    expect(servant_page.locator("svg[data-chart=profile] rect")).to_have_count(11)
    expect(servant_page.locator("[data-note=development-only]")).to_be_visible()
    servant_page.screenshot(path=str(shots / "06-servant-kk-head-report.png"), full_page=True)

    answer("manager", deputy, "kk-KZ", "07-rater-kk-specialist-questionnaire.png")
    answer("hr", deputy, "ru-RU", "08-rater-ru-specialist-questionnaire.png", ineffective=3)
    answer("commission1", deputy, "kk-KZ")
    report = as_("commission3", "ru-RU")
    report.goto(f"{base}/survey360/questionnaires/")
    report.locator("[data-report] a").click()
    expect(report.locator("[data-card=result]")).to_have_attribute("data-status", "scored")
    expect(report.locator("[data-group]")).to_have_attribute("data-group", "non_head")
    expect(report.locator("svg[data-chart=profile] rect")).to_have_count(11)
    report.screenshot(path=str(shots / "09-servant-ru-specialist-report.png"), full_page=True)

    # A rater in the wrong role is refused with the reason: the manager is the direct manager, not a
    # colleague (a new survey of the deputy, since the first one is closed).
    hr.goto(f"{base}/survey360/")
    hr.locator("#id-servant").select_option(str(deputy.pk))
    hr.locator("[data-action=start]").click()
    hr.locator("#id-rater").select_option(str(people["manager"].pk))
    hr.locator("#id-role").select_option("peer")
    hr.locator("[data-action=assign]").click()
    expect(hr.locator("[data-error=survey]")).to_be_visible()
    _expect_refusal_logged(console, 422)
    hr.screenshot(path=str(shots / "10-hr-refused-role.png"), full_page=True)
    _assert_clean(console)
