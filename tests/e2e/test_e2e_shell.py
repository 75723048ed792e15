"""An HR officer logs in through the real page in Kazakh and in Russian, switching the language
with the on-page switch, and lands on a clean home page: no CSP violation, htmx loaded."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories

PASSWORD = "pass-Word-123"


def _assert_clean(console: list[str]) -> None:
    problems = [m for m in console if "Content Security Policy" in m or "Refused to" in m
                or m.startswith(("error", "pageerror"))]
    assert not problems, problems


def _log_in(page: Page, username: str) -> None:
    page.get_by_label(re.compile("Пайдаланушы аты|Имя пользователя")).fill(username)
    page.get_by_label(re.compile("Құпия сөз|Пароль")).fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_hr_logs_in_in_kazakh_and_in_russian(live_server, page: Page, console, screenshots):
    body = factories.body("Аудандық мәслихат аппараты")
    hr = factories.user("hr_officer")
    factories.grant(hr, body)
    unit = factories.unit(body, "01")
    me = factories.servant(body, "Сейітова", "Әйгерім")
    me.user = hr
    me.save()
    factories.appoint(me, factories.position(unit, "01-1", category="E-4"))

    page.goto(f"{live_server.url}/login/")
    page.locator(".lang-switch button[value=kk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", name="Кіру")).to_be_visible()
    page.screenshot(path=screenshots / "login-kk.png", full_page=True)

    _log_in(page, "hr_officer")
    expect(page.get_by_role("heading", name="Менің тапсырмаларым")).to_be_visible()
    expect(page.get_by_text("Әзірге тапсырмалар жоқ")).to_be_visible()
    expect(page.locator(".body-name")).to_have_text(body.name_kk)
    expect(page.locator("[data-card=hr]")).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    page.screenshot(path=screenshots / "home-kk.png", full_page=True)

    page.locator(".lang-switch button[value=ru]").click()
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", name="Мои задачи")).to_be_visible()
    expect(page.get_by_text("Задач пока нет")).to_be_visible()
    expect(page.locator(".body-name")).to_have_text(body.name_ru)
    page.screenshot(path=screenshots / "home-ru.png", full_page=True)

    # Log out and in again, this time from a Russian login page.
    page.locator("header form button[type=submit]", has_text="Выйти").click()
    expect(page.get_by_role("heading", name="Войти")).to_be_visible()
    page.screenshot(path=screenshots / "login-ru.png", full_page=True)
    _log_in(page, "hr_officer")
    expect(page.get_by_role("heading", name="Мои задачи")).to_be_visible()

    page.get_by_role("link", name="Список служащих").first.click()
    expect(page.get_by_role("cell", name=me.full_name)).to_be_visible()
    page.screenshot(path=screenshots / "staff-ru.png", full_page=True)
    _assert_clean(console)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_staff_search_swaps_the_table_with_htmx(live_server, page: Page, console, screenshots):
    body = factories.body("Облыстық әкімдік аппараты")
    hr = factories.user("hr_search")
    factories.grant(hr, body)
    unit = factories.unit(body, "02")
    for i, (last, first) in enumerate([("Омаров", "Дәурен"), ("Құдайбергенова", "Ұлжан"), ("Серікбаев", "Нұрлан")]):
        factories.appoint(factories.servant(body, last, first), factories.position(unit, f"02-{i}", head=i == 0))

    page.goto(f"{live_server.url}/login/")
    page.locator(".lang-switch button[value=kk]").click()
    _log_in(page, "hr_search")
    page.goto(f"{live_server.url}/staff/")
    expect(page.locator("#staff-results tbody tr")).to_have_count(3)
    page.locator("#staff-q").fill("құдай")
    expect(page.locator("#staff-results tbody tr")).to_have_count(1)
    expect(page.locator("#staff-results")).to_contain_text("Ұлжан")
    assert "q=" in page.url  # hx-push-url keeps the search in the address
    page.screenshot(path=screenshots / "staff-search-kk.png", full_page=True)
    _assert_clean(console)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_unit_head_sees_the_first_head_clause_and_the_team(live_server, page: Page, console, screenshots):
    body = factories.body("Қалалық мәслихат аппараты")
    lead, unit = factories.unit(body, "00"), factories.unit(body, "03")
    first_head = factories.servant(body, "Жұмабаев", "Ғалым")
    head = factories.servant(body, "Төлеуова", "Сәуле")
    factories.appoint(first_head, factories.position(lead, "00-1", head=True, category="E-1"))
    factories.appoint(head, factories.position(unit, "03-1", head=True, category="E-3"))
    for i in range(3):
        factories.appoint(factories.servant(body, "Маман", "Айдос"), factories.position(unit, f"03-{i + 2}"))
    body.first_head = first_head
    body.save()
    head.user = factories.user("unit_head")
    head.save()

    page.goto(f"{live_server.url}/login/")
    page.locator(".lang-switch button[value=kk]").click()
    _log_in(page, "unit_head")
    card = page.locator("[data-card=servant]")
    expect(card).to_contain_text("Тікелей басшы")
    expect(card).to_contain_text(first_head.full_name)
    expect(card.locator("[data-clause='S1-p.46']")).to_be_visible()
    expect(page.locator("[data-card=manager] .big-number")).to_have_text("3")
    expect(page.locator("[data-card=hr]")).to_have_count(0)
    page.screenshot(path=screenshots / "home-unit-head-kk.png", full_page=True)
    _assert_clean(console)
