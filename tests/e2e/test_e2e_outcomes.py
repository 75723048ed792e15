"""The issue's acceptance walk after the commission's decision, in a real browser, on the demo body:
"manager" signs his result; "commission2" refuses and HR draws up the refusal act with two
witnesses and records the delivery through the intranet portal; "commission4", on sick leave, is
notified by registered letter with the scanned notice uploaded as proof; the refuser appeals in
time, the appeal reviewer recommends revision, HR proposes the commission's new sitting, the
commission revises (its sitting driven by the services: the commission's own walk is
test_e2e_commission), and the refuser's page shows the revised result with the superseded one
still in the history. Screenshots under screenshots/outcomes/; no console error or CSP violation.

Dates ("today" is the cycles' clock, replaced in this process): the 2025 cycle; the sitting of Fri
16.01.2026 approved the same day: sign by Tue 20.01.2026, appeal by Fri 30.01.2026 (10 working
days); the revision sitting on Mon 02.02.2026.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from bagalau.commission import services as commission
from bagalau.commission.models import AgendaItem, CommissionMeeting, CommissionSeat, FinalResult
from bagalau.orgs.demo import DEMO_PASSWORD, load_demo
from bagalau.orgs.models import Absence, AbsenceKind, Servant
from bagalau.outcomes.models import Appeal, Familiarization
from tests.e2e.test_e2e_commission import Clock, _assert_clean, _sheets_at_the_commission
from tests.outcomes.kit import PDF

D = dt.date
EVALUATED = ("manager", "commission2", "commission4")
PRESENT = ("commission1", "commission2", "commission3", "commission4", "commission5")


def _user(name: str):
    return get_user_model().objects.get(username=name)


def _ref(name: str) -> dict[str, int]:
    servant = Servant.objects.filter(user__username=name).first()
    return {"servant": servant.pk} if servant else {"user": _user(name).pk}


def _run_sitting(body, clock: Clock, meeting: CommissionMeeting, votes: dict[str, str | tuple[str, str]]) -> None:
    """Prepare, consent, open with everyone, vote (never on one's own result), decide, close, sign,
    approve: through the services."""
    hr, head = _user("hr"), _user("head")
    commission.prepare_draft_protocol(hr, body, meeting.pk)
    meeting.refresh_from_db()
    commission.consent_to_meeting(_user("commission1"), body, meeting.pk, expected_version=meeting.version)
    clock.day = meeting.meeting_on
    meeting.refresh_from_db()
    seats = {s.user.username: s.pk for s in CommissionSeat.objects.filter(order=meeting.order).select_related("user")}
    meeting = commission.open_session(hr, body, meeting.pk, expected_version=meeting.version,
                                      present=[seats[n] for n in PRESENT])
    for item in AgendaItem.objects.filter(meeting=meeting).select_related("participant__servant__user"):
        evaluated = item.participant.servant.user.username
        choice = votes[evaluated]
        for member in PRESENT:
            if member == evaluated:
                continue
            if isinstance(choice, tuple):
                commission.cast_vote(_user(member), body, item.pk, choice="revise", corrected_result=choice[0],
                                     reason=choice[1])
            else:
                commission.cast_vote(_user(member), body, item.pk, choice=choice)
        commission.record_decision(hr, body, item.pk)
    meeting.refresh_from_db()
    commission.conclude_meeting(hr, body, meeting.pk, expected_version=meeting.version)
    for name in (*PRESENT, "hr"):
        commission.sign_protocol(_user(name), body, meeting.pk)
    meeting.refresh_from_db()
    commission.approve_results(head, body, meeting.pk, expected_version=meeting.version)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_familiarization_refusal_remote_notice_appeal_and_revision(live_server, browser, monkeypatch, screenshots,
                                                                    tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    shots = screenshots / "outcomes"
    shots.mkdir(exist_ok=True)
    clock = Clock(D(2025, 1, 10))
    from bagalau.cycles import clock as cycle_clock

    monkeypatch.setattr(cycle_clock, "today", clock.today)
    monkeypatch.setattr(cycle_clock, "now", clock.now)
    body = load_demo(today=clock.day).body
    cycle = _sheets_at_the_commission(body, clock)
    clock.day = D(2026, 1, 9)
    order = commission.create_order(_user("head"), body, number="1-ж", order_date=D(2026, 1, 9),
                                    chair=_ref("commission1"),
                                    members=[_ref(n) for n in ("commission2", "commission3", "commission4",
                                                               "commission5")],
                                    secretary=_ref("hr"))
    commission.issue_order(_user("head"), body, order.pk, expected_version=order.version)
    clock.day = D(2026, 1, 12)
    meeting = commission.propose_meeting(_user("hr"), body, cycle_id=cycle.pk, meeting_on=D(2026, 1, 16),
                                         place="Мәжіліс залы")
    _run_sitting(body, clock, meeting, {name: "approve" for name in EVALUATED})
    sick = Servant.objects.get(user__username="commission4")
    Absence.objects.create(body=body, servant=sick, kind=AbsenceKind.SICK_LEAVE, start=D(2026, 1, 14),
                           end=D(2026, 1, 30), note="Еңбекке уақытша жарамсыздық парағы")
    fams = {f.servant.user.username: f for f in Familiarization.objects.select_related("servant__user")}
    assert {f.due for f in fams.values()} == {D(2026, 1, 20)}

    base = live_server.url
    console: list[str] = []
    pages: dict[str, Page] = {}

    def as_(username: str) -> Page:
        if username in pages:
            return pages[username]
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="kk-KZ")
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

    # A servant reads and signs his result.
    clock.day = D(2026, 1, 19)
    manager = as_("manager")
    manager.locator("nav.mainnav a[href='/me/evaluation/']").click()
    expect(manager.locator("[data-deadline=familiarization_due][data-due='2026-01-20']")).to_be_visible()
    expect(manager.locator("[data-appeal-by='2026-01-30']")).to_be_visible()
    manager.locator("[data-action=sign]").click()
    expect(manager.locator("[data-familiarization] [data-state=signed]")).to_be_visible()
    manager.screenshot(path=shots / "01-servant-signed.png", full_page=True)

    # Another refuses; HR draws up the act with two witnesses and delivers through the portal.
    refuser = as_("commission2")
    refuser.goto(f"{base}/me/evaluation/")
    refuser.locator("[data-familiarization] input[name=note]").fill("Нәтижемен келіспеймін")
    refuser.locator("[data-action=refuse]").click()
    expect(refuser.locator("[data-familiarization] [data-state=refused]")).to_be_visible()
    refuser.screenshot(path=shots / "02-servant-refused.png", full_page=True)

    hr = as_("hr")
    hr.locator("nav.mainnav a[href='/outcomes/familiarization/']").click()
    expect(hr.locator(f"[data-row='{fams['commission2'].pk}'] [data-state=refused]")).to_be_visible()
    hr.screenshot(path=shots / "03-hr-board.png", full_page=True)
    hr.locator(f"[data-row='{fams['commission2'].pk}'] [data-link=familiarization]").click()
    witnesses = [Servant.objects.get(user__username=n).pk for n in ("commission1", "commission3")]
    hr.locator("#id-number").fill("1-А")
    hr.locator("#id-place").fill("Мәжіліс залы")
    # The refuser is not offered as a witness; one witness is refused (two are needed).
    expect(hr.locator(f"input[name=witnesses][value='{fams['commission2'].servant_id}']")).to_have_count(0)
    hr.check(f"input[name=witnesses][value='{witnesses[0]}']")
    hr.locator("[data-action=draw-act]").click()
    expect(hr.locator("[data-field=witnesses] .field-error")).to_contain_text("G23-familiarization")
    console[:] = [m for m in console if "status of 400" not in m]
    hr.screenshot(path=shots / "04-act-witness-refused.png", full_page=True)
    hr.check(f"input[name=witnesses][value='{witnesses[1]}']")
    hr.locator("[data-action=draw-act]").click()
    expect(hr.locator("[data-card=act]")).to_be_visible()
    hr.select_option("#id-delivery-channel", "intranet_portal")
    hr.locator("#id-delivery-reference").fill("ИП-2026-014")
    hr.locator("[data-action=deliver]").click()
    expect(hr.locator("[data-delivered=intranet_portal]")).to_be_visible()
    hr.screenshot(path=shots / "05-act-and-portal-delivery.png", full_page=True)

    # The servant on sick leave: a registered letter, the postal notice uploaded as proof.
    proof = tmp_path / "notice.pdf"
    proof.write_bytes(PDF)
    hr.goto(f"{base}/outcomes/familiarization/{fams['commission4'].pk}/")
    expect(hr.locator("[data-absence=sick_leave]")).to_be_visible()
    hr.select_option("#id-channel", "registered_letter")
    hr.locator("#id-reference").fill("RR012345678KZ")
    hr.locator("#id-proof").set_input_files(str(proof))
    hr.locator("[data-action=remote]").click()
    expect(hr.locator("[data-notice=registered_letter] [data-proof='application/pdf']")).to_be_visible()
    expect(hr.locator("[data-state=remote]").first).to_be_visible()
    hr.screenshot(path=shots / "06-remote-notice-registered-letter.png", full_page=True)

    # The refuser appeals in time.
    clock.day = D(2026, 1, 26)
    refuser.goto(f"{base}/me/evaluation/")
    refuser.locator("[data-action=open-appeal]").click()
    refuser.locator("textarea[name=grounds]").fill("3-ші көрсеткіштің орындалғанын растайтын құжаттар ескерілмеді.")
    refuser.locator("[data-action=appeal]").click()
    expect(refuser.locator("[data-appeal-state=filed]")).to_be_visible()
    expect(refuser.locator("[data-timeliness=ON_TIME]")).to_be_visible()
    refuser.screenshot(path=shots / "07-appeal-filed-in-time.png", full_page=True)
    appeal = Appeal.objects.get()

    # The reviewer recommends revision.
    clock.day = D(2026, 1, 27)
    reviewer = as_("reviewer")
    reviewer.locator("nav.mainnav a[href='/outcomes/appeals/review/']").click()
    reviewer.locator(f"[data-appeal='{appeal.pk}'] [data-link=appeal]").click()
    reviewer.check("input[name=outcome][value=recommend_cancel_and_revise]")
    reviewer.locator("#id-note").fill("Растайтын құжаттар Комиссияда қаралмаған.")
    reviewer.locator("[data-action=record-outcome]").click()
    expect(reviewer.locator("[data-state=revision]")).to_be_visible()
    reviewer.screenshot(path=shots / "08-reviewer-recommends-revision.png", full_page=True)

    # HR puts the result before the commission again.
    hr.goto(f"{base}/outcomes/revisions/")
    hr.check(f"input[name=results][value='{appeal.result_id}']")
    hr.locator("#id-meeting_on").fill("2026-02-02")
    hr.locator("[data-action=propose-revision]").click()
    expect(hr.locator("[data-state=proposed]")).to_be_visible()
    hr.screenshot(path=shots / "09-revision-sitting-proposed.png", full_page=True)
    revision = CommissionMeeting.objects.exclude(pk=meeting.pk).get()
    old = FinalResult.objects.get(pk=appeal.result_id)
    corrected = "EFFECTIVE" if old.value != "EFFECTIVE" else "PROPER"
    # The revision sitting, in the browser as the commission works it.
    revision_url = f"{base}/commission/meetings/{revision.pk}/"
    hr.goto(revision_url)
    hr.locator("[data-action=prepare]").click()
    expect(hr.locator("[data-link=protocol]")).to_be_visible()
    chair = as_("commission1")
    chair.goto(revision_url)
    chair.locator("[data-action=consent]").click()
    expect(chair.locator("[data-state=scheduled]")).to_be_visible()
    clock.day = revision.meeting_on
    seats = {s.user.username: s.pk for s in CommissionSeat.objects.filter(order=revision.order).select_related("user")}
    hr.goto(revision_url)
    for name in PRESENT:
        hr.check(f".open-form input[name=present][value='{seats[name]}']")
    hr.locator("[data-action=open]").click()
    expect(hr.locator("[data-quorate=yes]")).to_be_visible()
    item = AgendaItem.objects.get(meeting=revision)
    voters = [name for name in PRESENT if name != "commission2"]  # never on one's own result
    for name in voters:
        member = as_(name)
        member.goto(revision_url)
        box = member.locator(f"[data-vote-for='{item.pk}']")
        box.locator("select[name=corrected_result]").select_option(corrected)
        box.locator("input[name=reason]").fill("Апелляция бойынша қайта қаралды")
        box.locator("[data-action=revise]").click()
        expect(member.locator("#sitting-panel .message.success")).to_be_visible()
    hr.goto(revision_url)
    hr.locator(f"#item-{item.pk} [data-action=decide]").click()
    expect(hr.locator(f"#item-{item.pk} [data-decision=revise]")).to_be_visible()
    expect(hr.locator(f"#item-{item.pk} [data-corrected]")).to_contain_text(corrected)
    hr.locator("[data-action=conclude]").click()
    expect(hr.locator("[data-state=decided]")).to_be_visible()
    for name in (*voters, "commission2", "hr"):
        signer = as_(name)
        signer.goto(f"{revision_url}protocol/")
        signer.locator("[data-action=sign]").click()
        expect(signer.locator("[data-action=sign]")).to_have_count(0)
    head = as_("head")
    head.goto(f"{revision_url}protocol/")
    head.locator("[data-action=approve-results]").click()
    expect(head.locator("[data-state=approved]")).to_be_visible()
    head.screenshot(path=shots / "10a-revision-approved.png", full_page=True)

    # The revised result, with the superseded one still in the history.
    refuser.goto(f"{base}/me/evaluation/")
    expect(refuser.locator(f"[data-superseded='{old.pk}']")).to_be_visible()
    expect(refuser.locator(f"[data-result] [data-value={corrected}]")).to_be_visible()
    expect(refuser.locator("[data-appeal-state=revised]")).to_be_visible()
    refuser.screenshot(path=shots / "10-revised-with-history.png", full_page=True)
    reviewer.goto(f"{base}/outcomes/appeals/{appeal.pk}/")
    expect(reviewer.locator("[data-history-result][data-superseded]")).to_have_count(1)
    reviewer.screenshot(path=shots / "11-appeal-revised-history.png", full_page=True)
    old.refresh_from_db()
    assert old.superseded and old.superseded_by.value == corrected
    _assert_clean(console)
