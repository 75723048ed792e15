"""The issue's acceptance walk, in a real browser, on the demo body: HR launches the year's cycle
(preview, then confirm); the plan of a unit head is drafted with 5 KPIs (refused with 4), returned
once, corrected and approved; the KPI sheet is filled with evidence and signed, returned for
insufficient evidence, corrected and agreed; the servant reads it (on a phone); HR submits it to the
Commission from the board. A screenshot of each page is kept under screenshots/kpi_cycle/, and no
step may log a CSP violation or a console error.

Who acts: in the demo no KPI participant reports to the "manager" login (non-heads are evaluated
by ranking only under typical-g2023, and every unit head reports to the chairman), so this is the
first-head case of S1-p.46/52: the evaluated servant is the head of the organisational-legal
department ("manager"), whose direct manager, plan approver and sheet reviewer is the chairman
("head").
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bagalau.cycles.models import EvaluationCycle
from bagalau.orgs.demo import DEMO_PASSWORD, load_demo
from bagalau.orgs.models import Servant

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _assert_clean(console: list[str]) -> None:
    problems = [m for m in console if "Content Security Policy" in m or "Refused to" in m
                or m.startswith(("error", "pageerror"))]
    assert not problems, problems


def _expect_refusal_logged(console: list[str], status: int) -> None:
    """A refused form comes back with a 4xx status, which Chromium logs as a failed resource; that
    one line is expected, anything else is not."""
    expected = f"error: Failed to load resource: the server responded with a status of {status}"
    refusals = [m for m in console if m.startswith(expected)]
    assert len(refusals) == 1, console
    console.remove(refusals[0])


def _log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("form.form button[type=submit]").click()
    expect(page.locator("nav.mainnav")).to_be_visible()


def _log_out(page: Page) -> None:
    page.locator("header form[action='/logout/'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


def _fill_kpi(page: Page, n: int, deadline: str) -> None:
    values = {
        "text_kk": f"Азаматтардың өтініштерін уақтылы қарау, {n}-бағыт",
        "text_ru": f"Своевременное рассмотрение обращений граждан, направление {n}",
        "expected_change": "Мерзімі өткен өтініштер азаяды",
        "measure": "Мерзімінде жауап берілген өтініштердің үлесі",
        "target": "100",
        "unit": "%",
        "deadline": deadline,
        "strategic_goal_ref": "Стратегиялық жоспар 2024–2028, 2-мақсат",
        "resources_note": "Екі маман, e-Otinish жүйесі",
    }
    for name, value in values.items():
        page.locator(f"#id-kpis-{n}-{name}").fill(value)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.browser_context_args(locale="kk-KZ")  # date inputs show 01.12.2026, as the pages do
def test_a_kpi_cycle_from_launch_to_the_commission(live_server, page: Page, console, screenshots):
    shots = screenshots / "kpi_cycle"
    shots.mkdir(exist_ok=True)
    demo = load_demo()
    cycle = EvaluationCycle.objects.get(body=demo.body)
    evaluated = Servant.objects.get(body=demo.body, user__username="manager")
    deadline = cycle.period_end.replace(day=1).isoformat()  # the first of the period's last month
    base = live_server.url

    # HR: the cycle list, the launch preview, the launch, the board and its htmx filter. In Kazakh,
    # the state language, chosen with the page's own switch.
    page.goto(f"{base}/login/")
    page.locator(".lang-switch button[value=kk]").click()
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    _log_in(page, base, "hr")
    page.locator("nav.mainnav a[href='/cycles/']").click()
    expect(page.locator("table.table")).to_contain_text(cycle.label)
    page.screenshot(path=shots / "01-cycles-hr.png", full_page=True)
    page.locator(f"a[href='/cycles/{cycle.pk}/launch/']").click()
    expect(page.locator("[data-group=kpi]")).to_contain_text(evaluated.full_name)
    expect(page.locator("[data-group=other_methods] .badge.warn").first).to_be_visible()  # without participation
    page.screenshot(path=shots / "02-launch-preview.png", full_page=True)
    page.locator("button[data-confirm-launch]").click()
    expect(page.locator("#board-results table.board")).to_be_visible()
    expect(page.locator(".messages .success")).to_be_visible()
    page.screenshot(path=shots / "03-board.png", full_page=True)
    page.select_option("#board-stage", "plan_draft")
    expect(page.locator("#board-results tbody tr")).to_have_count(3)
    assert "stage=plan_draft" in page.url  # hx-push-url keeps the filter in the address
    expect(page.locator("#board-results")).to_contain_text("G23-kpi-setting")  # the due date's clause
    page.screenshot(path=shots / "04-board-filtered.png", full_page=True)
    _log_out(page)

    # The chairman (direct manager and, as first head, approver): home tasks, inbox, the plan.
    _log_in(page, base, "head")
    expect(page.locator("[data-card=tasks]")).to_contain_text(evaluated.full_name)
    page.screenshot(path=shots / "05-home-tasks.png", full_page=True)
    page.locator("nav.mainnav a[href='/inbox/']").click()
    task = page.locator("li.task", has_text=evaluated.full_name)
    expect(task.locator(".badge.danger")).to_be_visible()  # the plan was due 10 working days after 1 January
    page.screenshot(path=shots / "06-inbox.png", full_page=True)
    task.locator("a.task-title").click()
    expect(page.locator("h1")).to_be_visible()
    for n in range(1, 5):
        _fill_kpi(page, n, deadline)
    page.locator("button[name=intent][value=submit]").click()
    expect(page.locator("[data-field=kpis]")).to_contain_text("5")  # exactly 5 KPIs: refused with 4
    expect(page.locator("[data-state=draft]")).to_be_visible()
    _expect_refusal_logged(console, 400)
    page.screenshot(path=shots / "07-plan-refused-with-4.png", full_page=True)
    _fill_kpi(page, 5, deadline)
    page.locator("button[name=intent][value=submit]").click()
    expect(page.locator("[data-state=submitted]")).to_be_visible()
    page.screenshot(path=shots / "08-plan-submitted.png", full_page=True)
    page.locator("#id-reason").fill("2-НМИ-нің өлшемін нақтылаңыз: қай өтініштер есептеледі?")
    page.locator("button[name=intent][value=return]").click()
    expect(page.locator("[data-state=returned]")).to_be_visible()
    expect(page.locator(".return-note")).to_contain_text("2-НМИ")
    page.screenshot(path=shots / "09-plan-returned.png", full_page=True)
    page.locator("#id-kpis-2-measure").fill("Жеке және заңды тұлғалардың өтініштерінің мерзімінде жауап берілген үлесі")
    page.locator("button[name=intent][value=submit]").click()
    expect(page.locator("[data-state=submitted]")).to_be_visible()
    page.locator("button[name=intent][value=approve]").click()
    expect(page.locator("[data-state=approved]")).to_be_visible()
    # The first submit signed the content before the correction: that signature no longer holds.
    expect(page.locator(".signature.is-invalid")).to_have_count(1)
    expect(page.locator(".signature:not(.is-invalid)")).to_have_count(2)
    page.screenshot(path=shots / "10-plan-approved.png", full_page=True)

    # The sheet: results with the live rating, evidence text and a file, signing.
    page.locator("a[href^='/sheets/']").first.click()
    expect(page.locator("[data-state=draft]")).to_be_visible()
    for n in range(1, 6):
        page.locator(f"input[name=results-{n}-achieved][value={'yes' if n <= 4 else 'no'}]").check()
        page.locator(f"#id-results-{n}-evidence_text").fill(f"Есеп № {n}/2026, e-Otinish жүйесінің үзіндісі")
    expect(page.locator("#sheet-rating")).to_have_attribute("data-rating", "PROPER")  # 4 of 5, from the core
    page.locator("#id-results-1-file").set_input_files(
        files=[{"name": "esep-1.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.screenshot(path=shots / "11-sheet-filled.png", full_page=True)
    page.locator("button[name=intent][value=sign]").click()
    expect(page.locator("[data-state=under_review]")).to_be_visible()
    expect(page.locator("input[name^=results-]")).to_have_count(0)  # the reviewer cannot edit results
    expect(page.locator("table.results")).to_contain_text("esep-1.pdf")

    # The reviewer returns it for insufficient evidence; it is corrected and agreed.
    page.locator("input[name=grounds][value=insufficient_evidence]").check()
    page.locator("#id-reason").fill("2-НМИ бойынша растайтын құжат жоқ.")
    page.locator("button[name=intent][value=return]").click()
    expect(page.locator("[data-state=returned]")).to_be_visible()
    returns = page.locator("section[aria-labelledby=returns-title]")
    expect(returns.locator("tbody tr")).to_have_count(1)
    expect(returns).to_contain_text("G23-sheet-return")  # the resubmission due date with its clause
    page.screenshot(path=shots / "12-sheet-returned.png", full_page=True)
    page.locator("#id-results-2-evidence_text").fill("Есеп № 2/2026 және тіркеу журналының көшірмесі")
    page.locator("#id-results-2-file").set_input_files(
        files=[{"name": "zhurnal-2.png", "mimeType": "image/png", "buffer": PNG}])
    page.locator("button[name=intent][value=sign]").click()
    expect(page.locator("[data-state=under_review]")).to_be_visible()
    page.locator("button[name=intent][value=agree]").click()
    expect(page.locator("[data-state=agreed]")).to_be_visible()
    expect(returns.locator("tbody tr")).to_contain_text(re.compile(r"\d\d\.\d\d\.\d{4}"))
    page.screenshot(path=shots / "13-sheet-agreed.png", full_page=True)
    _log_out(page)

    # The servant reads his sheet, on a phone.
    _log_in(page, base, "manager")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("[data-card=evaluations] a[href^='/sheets/']").click()
    expect(page.locator("[data-state=agreed]")).to_be_visible()
    expect(page.locator("input[name^=results-], button[name=intent]")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=shots / "14-servant-sheet-phone.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 768})
    _log_out(page)

    # HR submits it to the Commission from the board: the row is swapped in place.
    _log_in(page, base, "hr")
    page.goto(f"{base}/cycles/{cycle.pk}/?stage=sheet_agreed")
    row = page.locator("#board-results tbody tr", has_text=evaluated.full_name)
    row.locator("button[type=submit]").click()
    expect(row.locator("[data-stage=sheet_submitted_to_commission]")).to_be_visible()
    expect(page.locator("[data-stage=sheet_submitted_to_commission].stage-chip")).to_be_visible()  # counts refreshed
    page.screenshot(path=shots / "15-board-forwarded.png", full_page=True)
    _assert_clean(console)
