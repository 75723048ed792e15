"""The ranking walk in a real browser on the demo body, whose adoption fills the typical version's
open ranking block from its own (fictional) order, unverified: HR prepares the lists of the
launched cycle; the head of the organisational-legal department ("manager") grades his unit, is
refused a second EFFECTIVE by the quota with the clause named, then signs; the chairman ("head"),
his superior, agrees; HR submits the list to the Commission. Screenshots under
screenshots/ranking/; no step may log a CSP violation or a console error.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from bagalau.assessments.ranking.models import ListState, RankingList
from bagalau.cycles import services as cycle_services
from bagalau.cycles.models import EvaluationCycle
from bagalau.orgs.demo import DEMO_LOCAL_PARAMETERS, DEMO_PASSWORD, load_demo

CLAUSE = str(DEMO_LOCAL_PARAMETERS["ranking"]["clause"])


def _assert_clean(console: list[str]) -> None:
    problems = [m for m in console if "Content Security Policy" in m or "Refused to" in m
                or m.startswith(("error", "pageerror"))]
    assert not problems, problems


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("nav.mainnav")).to_be_visible()


def _log_out(page: Page) -> None:
    page.locator("header form[action='/logout/'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_unit_is_ranked_from_preparation_to_the_commission(live_server, page: Page, console, screenshots):
    shots = screenshots / "ranking"
    shots.mkdir(exist_ok=True)
    demo = load_demo()
    cycle = EvaluationCycle.objects.get(body=demo.body)
    hr = get_user_model().objects.get(username="hr")
    cycle_services.launch_cycle(hr, demo.body, cycle.pk)
    base = live_server.url

    # HR prepares the lists from the ranking page.
    page.goto(f"{base}/login/")
    page.locator(".lang-switch button[value=en]").click()
    _log_in(page, base, "hr")
    page.locator("nav.mainnav a[href='/ranking/']").click()
    page.locator(f"form[action='/ranking/cycles/{cycle.pk}/prepare/'] button").click()
    expect(page.locator("#ranking-lists tbody tr").first).to_be_visible()
    page.screenshot(path=shots / "01-lists-hr.png", full_page=True)
    _log_out(page)

    # The evaluator: the scale with its source and the "not verified" flag; the quota refusal.
    ranking_list = RankingList.objects.get(cycle=cycle, evaluator__user__username="manager")
    rows = ranking_list.entries.count()
    assert rows >= 4
    _log_in(page, base, "manager")
    page.goto(f"{base}/ranking/{ranking_list.pk}/")
    expect(page.locator("#ranking-rules")).to_contain_text(CLAUSE)
    expect(page.locator("#unverified")).to_be_visible()
    page.screenshot(path=shots / "02-list-evaluator.png", full_page=True)
    selects = page.locator("#ranking-entries tbody select")
    selects.nth(0).select_option("EFFECTIVE")
    selects.nth(1).select_option("EFFECTIVE")
    for i in range(2, rows):
        selects.nth(i).select_option("PROPER")
    page.locator("button[name=intent][value=save]").click()
    expect(page.locator("#form-errors")).to_contain_text(CLAUSE)
    expect(page.locator("#form-errors")).to_contain_text("allows 1")
    page.screenshot(path=shots / "03-quota-refused.png", full_page=True)
    console[:] = [m for m in console if "status of 400" not in m]
    page.locator("#ranking-entries tbody select").nth(1).select_option("PROPER")
    page.locator("button[name=intent][value=sign]").click()
    expect(page.locator("#list-state")).to_contain_text("superior")
    page.screenshot(path=shots / "04-signed.png", full_page=True)
    _log_out(page)

    # The superior agrees and signs.
    _log_in(page, base, "head")
    page.goto(f"{base}/ranking/{ranking_list.pk}/")
    page.locator("button[name=intent][value=agree]").click()
    expect(page.locator("#list-state")).to_contain_text("Agreed")
    expect(page.locator("p.due")).to_contain_text("hr_to_commission_due")
    page.screenshot(path=shots / "05-agreed.png", full_page=True)
    _log_out(page)

    # HR submits it to the Commission.
    _log_in(page, base, "hr")
    page.goto(f"{base}/ranking/{ranking_list.pk}/")
    page.locator("button[name=intent][value=forward]").click()
    expect(page.locator("#list-state")).to_contain_text("Commission")
    page.screenshot(path=shots / "06-submitted.png", full_page=True)
    assert RankingList.objects.get(pk=ranking_list.pk).state == ListState.SUBMITTED_TO_COMMISSION
    _assert_clean(console)
