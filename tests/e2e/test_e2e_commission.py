"""The issue's acceptance walk of a whole commission meeting, in a real browser, on the demo body:
the authorized person forms a 5-member commission (refused first with too few members, the clause
named); HR proposes a meeting (a date too close to notify refused on the date field), prepares the
draft protocol; the chair agrees the date; on the meeting day HR opens the sitting with 3 present
(not quorate: a member's vote is refused), adds a 4th (quorate); the members vote openly: a 2–2 tie
on one servant broken by the chair's casting vote, another servant's result revised with the
corrected result; HR records the decisions and closes the sitting; the signatories sign the
protocol; the authorized person approves the results. Screenshots under screenshots/commission/;
no page may log a CSP violation or a console error.

Setup that is not about the commission (the year's cycle launched and three KPI sheets walked to
the commission's door) is done through the cycle services, as the KPI walk is its own test. In the
demo the KPI participants are the unit heads reporting to the chairman: "manager" (not a member),
"commission2" and "commission4" (members: they do not vote on their own result, Q-16).

"Today" is the cycles' clock, replaced in this process (the live server runs in it): the cycle
is 2025, the sheets reach the commission in December, the meeting is proposed on Mon 12.01.2026
for Fri 16.01.2026 (notice day Tue 13.01.2026, 3 working days back); 14.01.2026 is too close.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from bagalau.commission import rules
from bagalau.commission.models import AgendaItem, CommissionMeeting, MeetingState
from bagalau.cycles import clock as cycle_clock
from bagalau.cycles import services as cycle_services
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet, SheetState
from bagalau.orgs.demo import DEMO_PASSWORD, load_demo
from tests.cycles.builders import kpis
from tests.cycles.flow import results

D = dt.date
ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
ACHIEVED = {"manager": 5, "commission2": 4, "commission4": 3}


class Clock:
    def __init__(self, day: dt.date) -> None:
        self.day = day
        self._tick = 0

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        self._tick += 1
        return dt.datetime.combine(self.day, dt.time(9, 0), ALMATY) + dt.timedelta(seconds=self._tick)


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _sheets_at_the_commission(body, clock: Clock) -> EvaluationCycle:
    hr = _user("hr")
    cycle = EvaluationCycle.objects.get(body=body)
    cycle_services.launch_cycle(hr, body, cycle.pk)
    clock.day = D(2025, 1, 15)
    for plan in IndividualWorkPlan.objects.filter(cycle=cycle).select_related("participant"):
        p = plan.participant
        plan = cycle_services.save_plan(p.direct_manager.user, body, plan.pk, kpis=kpis(deadline=D(2025, 12, 1)),
                                        expected_version=plan.version)
        plan = cycle_services.submit_plan(p.direct_manager.user, body, plan.pk, expected_version=plan.version)
        cycle_services.approve_plan(p.plan_approver.user, body, plan.pk, expected_version=plan.version)
    clock.day = D(2025, 12, 19)
    for sheet in KpiSheet.objects.filter(cycle=cycle).select_related("participant__servant__user",
                                                                      "participant__direct_manager__user",
                                                                      "participant__sheet_reviewer__user"):
        p = sheet.participant
        sheet = cycle_services.save_sheet(p.direct_manager.user, body, sheet.pk,
                                          results=results(ACHIEVED[p.servant.user.username]),
                                          expected_version=sheet.version)
        sheet = cycle_services.sign_sheet(p.direct_manager.user, body, sheet.pk, expected_version=sheet.version)
        sheet = cycle_services.agree_sheet(p.sheet_reviewer.user, body, sheet.pk, expected_version=sheet.version)
        sheet = cycle_services.forward_sheet(hr, body, sheet.pk, expected_version=sheet.version)
        assert sheet.state == SheetState.SUBMITTED_TO_COMMISSION
    return cycle


def _assert_clean(console: list[str]) -> None:
    problems = [m for m in console if "Content Security Policy" in m or "Refused to" in m
                or m.startswith(("error", "pageerror"))]
    assert not problems, problems


def _expect_refusals_logged(console: list[str], status: int, n: int = 1) -> None:
    expected = f"error: Failed to load resource: the server responded with a status of {status}"
    refusals = [m for m in console if m.startswith(expected)]
    assert len(refusals) == n, console
    for m in refusals:
        console.remove(m)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_whole_commission_meeting(live_server, browser, monkeypatch, screenshots):
    shots = screenshots / "commission"
    shots.mkdir(exist_ok=True)
    clock = Clock(D(2025, 1, 10))
    monkeypatch.setattr(cycle_clock, "today", clock.today)
    monkeypatch.setattr(cycle_clock, "now", clock.now)
    demo = load_demo(today=clock.day)
    body = demo.body
    cycle = _sheets_at_the_commission(body, clock)
    clock.day = D(2026, 1, 12)
    base = live_server.url
    console: list[str] = []
    pages: dict[str, Page] = {}

    def as_(username: str, *, tablet: bool = False) -> Page:
        if username in pages:
            return pages[username]
        viewport = {"width": 1024, "height": 768} if tablet else {"width": 1366, "height": 768}
        context = browser.new_context(viewport=viewport, locale="kk-KZ")
        page = context.new_page()
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text}"))
        page.on("pageerror", lambda exc: console.append(f"pageerror: {exc}"))
        page.goto(f"{base}/login/")
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(DEMO_PASSWORD)
        page.locator("form.form button[type=submit]").click()
        expect(page.locator("nav.mainnav")).to_be_visible()
        pages[username] = page
        return page

    version = rules.version_on(body, clock.day)
    min_clause = rules.min_members(version)[1]
    notice_clause = rules.notice_due(version, D(2026, 1, 16)).clause
    quorum_clause = rules.quorum(version, 5, 3, D(2026, 1, 16)).clause
    ids = {name: _user(name).pk for name in ("commission1", "commission2", "commission3", "commission4",
                                             "commission5", "hr")}

    # The authorized person forms the commission: too few members is refused with the clause.
    head = as_("head")
    head.locator("nav.mainnav a[href='/commission/']").click()
    expect(head.locator("[data-card=order-form]")).to_be_visible()
    head.locator("#id-number").fill("1-ж")
    head.select_option("#id-chair", str(ids["commission1"]))
    head.check(f"input[name=members][value='{ids['commission2']}']")
    head.select_option("#id-secretary", str(ids["hr"]))
    head.locator("[data-action=issue-order]").click()
    expect(head.locator("[data-field=members] .field-error")).to_contain_text(min_clause)
    _expect_refusals_logged(console, 400)
    head.screenshot(path=shots / "01-order-refused-too-few.png", full_page=True)
    for name in ("commission3", "commission4", "commission5"):
        head.check(f"input[name=members][value='{ids[name]}']")
    head.locator("[data-action=issue-order]").click()
    expect(head.locator("[data-order-number]")).to_contain_text("1-ж")
    expect(head.locator("[data-quorum-required='4']")).to_be_visible()
    head.screenshot(path=shots / "02-order-in-force.png", full_page=True)

    # HR proposes the meeting: too close to notify, then a good date; the draft protocol.
    hr = as_("hr", tablet=True)
    hr.locator("nav.mainnav a[href='/commission/']").click()
    hr.select_option("#id-cycle", str(cycle.pk))
    hr.locator("#id-meeting_on").fill("2026-01-14")
    hr.locator("#id-place").fill("Әкімдік, мәжіліс залы")
    hr.locator("[data-action=propose]").click()
    expect(hr.locator("[data-field=meeting_on] .field-error")).to_contain_text(notice_clause)
    _expect_refusals_logged(console, 400)
    hr.screenshot(path=shots / "03-meeting-too-close.png", full_page=True)
    hr.locator("#id-meeting_on").fill("2026-01-16")
    hr.locator("[data-action=propose]").click()
    expect(hr.locator("[data-state=proposed]")).to_be_visible()
    expect(hr.locator(".notice-line [data-due='2026-01-13']")).to_be_visible()
    meeting = CommissionMeeting.objects.get(body=body)
    meeting_url = f"{base}/commission/meetings/{meeting.pk}/"
    hr.locator("[data-action=prepare]").click()
    expect(hr.locator("[data-link=protocol]")).to_be_visible()
    hr.screenshot(path=shots / "04-meeting-proposed.png", full_page=True)

    # The chair agrees the date.
    chair = as_("commission1", tablet=True)
    chair.goto(meeting_url)
    chair.locator("[data-action=consent]").click()
    expect(chair.locator("[data-state=scheduled]")).to_be_visible()
    chair.screenshot(path=shots / "05-chair-agreed.png", full_page=True)

    # The meeting day: opened with 3 present, not quorate; a vote is refused.
    clock.day = D(2026, 1, 16)
    seats = {s.user.username: s.pk for s in meeting.order.seats.select_related("user")}
    hr.goto(meeting_url)
    for name in ("commission1", "commission2", "commission3"):
        hr.check(f".open-form input[name=present][value='{seats[name]}']")
    hr.locator("[data-action=open]").click()
    expect(hr.locator("[data-quorate=no]")).to_contain_text("3")
    expect(hr.locator(".vote-actions")).to_have_count(0)  # the secretary has no vote buttons
    hr.screenshot(path=shots / "06-not-quorate.png", full_page=True)
    items = {i.participant.servant.user.username: i.pk
             for i in AgendaItem.objects.filter(meeting=meeting).select_related("participant__servant__user")}
    m2 = as_("commission2", tablet=True)
    m2.goto(meeting_url)
    m2.locator(f"[data-vote-for='{items['manager']}'] [data-action=approve]").click()
    expect(m2.locator("[data-error=panel]")).to_contain_text(quorum_clause)
    m2.screenshot(path=shots / "07-vote-refused-no-quorum.png", full_page=True)

    hr.check(f".attendance-form input[name=present][value='{seats['commission5']}']")
    hr.locator("[data-action=attendance]").click()
    expect(hr.locator("[data-quorate=yes]")).to_contain_text("4")
    hr.screenshot(path=shots / "08-quorate.png", full_page=True)

    # The votes. manager: 2-2, the chair on the approving side. commission2's result: revised.
    version = rules.version_named(meeting.methodology_version)
    original = AgendaItem.objects.get(pk=items["commission2"]).original_result
    corrected = next(c for c in rules.rating_codes(version) if c != original)

    def vote(page: Page, item: str, choice: str) -> None:
        box = page.locator(f"[data-vote-for='{items[item]}']")
        if choice == "approve":
            box.locator("[data-action=approve]").click()
        else:
            box.locator("select[name=corrected_result]").select_option(corrected if item == "commission2"
                                                                         else box.locator("option").nth(1)
                                                                         .get_attribute("value"))
            box.locator("input[name=reason]").fill("Қосымша құжаттар нәтиженің жоғары екенін көрсетеді")
            box.locator("[data-action=revise]").click()
        expect(page.locator("#sitting-panel .message.success")).to_be_visible()

    m3, m5 = as_("commission3"), as_("commission5")
    ballots = (("manager", (chair, "approve"), (m2, "approve"), (m3, "revise"), (m5, "revise")),
               ("commission2", (chair, "revise"), (m3, "revise"), (m5, "revise")),
               ("commission4", (chair, "approve"), (m2, "approve"), (m3, "approve"), (m5, "approve")))
    for item, *votes in ballots:
        for page, choice in votes:
            page.goto(meeting_url)
            vote(page, item, choice)
    m5.goto(meeting_url)
    expect(m5.locator(f"#item-{items['manager']} [data-casting]")).to_be_visible()
    m5.screenshot(path=shots / "09-member-votes.png", full_page=True)

    # The secretary records each decision and closes the sitting.
    hr.goto(meeting_url)
    for key in ("manager", "commission2", "commission4"):
        hr.locator(f"#item-{items[key]} [data-action=decide]").click()
        expect(hr.locator(f"#item-{items[key]} [data-decision]")).to_be_visible()
    expect(hr.locator(f"#item-{items['manager']} [data-decision=approve]")).to_be_visible()
    expect(hr.locator(f"#item-{items['manager']} [data-casting]")).to_be_visible()
    expect(hr.locator(f"#item-{items['commission2']} [data-decision=revise]")).to_be_visible()
    expect(hr.locator(f"#item-{items['commission2']} [data-corrected]")).to_contain_text(corrected)
    hr.screenshot(path=shots / "10-decisions.png", full_page=True)
    hr.locator("[data-action=conclude]").click()
    expect(hr.locator("[data-state=decided]")).to_be_visible()

    # The protocol: signed by the chair, the members present and the secretary.
    protocol_url = f"{meeting_url}protocol/"
    for page in (chair, m2, m3, m5, hr):
        page.goto(protocol_url)
        page.locator("[data-action=sign]").click()
        expect(page.locator("[data-action=sign]")).to_have_count(0)
    expect(hr.locator("[data-state=protocol_signed]")).to_be_visible()
    expect(hr.locator("[data-protocol-valid]")).to_be_visible()
    hr.screenshot(path=shots / "11-protocol-signed.png", full_page=True)

    # The authorized person approves: the results are final, familiarization due with its rule.
    head.goto(protocol_url)
    head.locator("[data-action=approve-results]").click()
    expect(head.locator("[data-state=approved]")).to_be_visible()
    expect(head.locator("[data-familiarization] .due")).to_be_visible()
    head.screenshot(path=shots / "12-results-approved.png", full_page=True)
    assert CommissionMeeting.objects.get(pk=meeting.pk).state == MeetingState.APPROVED
    _assert_clean(console)
