"""The demo body's 2025 cycle walked through the services to the approved results, for the form
tests: the demo loaded on 10.01.2025, its draft cycle launched, the three department heads' plans
drafted by the chairman (their direct manager) and approved, their sheets filled (5, 4 and 3 KPIs
achieved), signed, agreed and forwarded on 19.12.2025; the chairman's commission (commission1
chairing, commission2-5, hr as secretary) meets on Fri 16.01.2026 with everyone present; the
members approve "manager"'s and commission4's results and revise commission2's, with the
corrected result in the correction column; everyone present and the secretary sign the protocol
and the authorized person ("head") approves it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from bagalau.commission import rules
from bagalau.commission import services as commission
from bagalau.commission.models import AgendaItem, CommissionMeeting, CommissionSeat, Protocol
from bagalau.cycles import services as cycles
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet
from bagalau.orgs.demo import load_demo
from bagalau.orgs.models import StateBody

D = dt.date
ACHIEVED = {"manager": 5, "commission2": 4, "commission4": 3}
PLACE = "Балпық би ауылы, мәслихат ғимараты, мәжіліс залы"
KPI_TEXTS = [
    ("Азаматтардың өтініштерін уақтылы қарау", "Своевременное рассмотрение обращений граждан"),
    ("Мәслихат сессияларының шешімдерін әділет органдарында тіркеу", "Регистрация решений сессий маслихата"),
    ("Депутаттардың сауалдарына жауап беру мерзімін сақтау", "Соблюдение сроков ответов на запросы депутатов"),
    ("Бюджеттік бағдарламаларды толық игеру", "Полное освоение бюджетных программ"),
    ("Ішкі бақылау ұсынымдарын орындау", "Исполнение рекомендаций внутреннего контроля"),
]


def user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def kpis() -> list[dict[str, Any]]:
    return [{"text_kk": kk, "text_ru": ru, "expected_change": "Мерзімі өткен өтініштер азаяды",
             "measure": "Уақтылы қаралған өтініштер үлесі", "target": "100", "unit": "%",
             "resources_note": "e-Otinish", "strategic_goal_ref": "Стратегиялық жоспар 2025-2029, 2-мақсат",
             "deadline": D(2025, 12, 1)} for kk, ru in KPI_TEXTS]


@dataclass
class DemoCycle:
    body: StateBody
    cycle: EvaluationCycle
    plans: dict[str, IndividualWorkPlan]  # by the servant's login
    sheets: dict[str, KpiSheet]
    meeting: CommissionMeeting
    protocol: Protocol
    corrected: str  # the corrected result of commission2's item
    original: str


def walk(clock: Any) -> DemoCycle:
    clock.day = D(2025, 1, 10)
    demo = load_demo(today=clock.day)
    body, hr = demo.body, user("hr")
    cycle = EvaluationCycle.objects.get(body=body)
    cycles.launch_cycle(hr, body, cycle.pk)
    clock.day = D(2025, 1, 15)
    plans: dict[str, IndividualWorkPlan] = {}
    for plan in IndividualWorkPlan.objects.filter(cycle=cycle).select_related("participant__servant__user"):
        p = plan.participant
        plan = cycles.save_plan(p.direct_manager.user, body, plan.pk, kpis=kpis(), expected_version=plan.version)
        plan = cycles.submit_plan(p.direct_manager.user, body, plan.pk, expected_version=plan.version)
        plans[p.servant.user.username] = cycles.approve_plan(p.plan_approver.user, body, plan.pk,
                                                             expected_version=plan.version)
    clock.day = D(2025, 12, 19)
    sheets: dict[str, KpiSheet] = {}
    for sheet in KpiSheet.objects.filter(cycle=cycle).select_related("participant__servant__user"):
        p = sheet.participant
        login = p.servant.user.username
        results = [{"number": i, "achieved": i <= ACHIEVED[login], "evidence_text": f"Есеп № {i}-Қ, 15.12.2025"}
                   for i in range(1, 6)]
        sheet = cycles.save_sheet(p.direct_manager.user, body, sheet.pk, results=results,
                                  expected_version=sheet.version)
        sheet = cycles.sign_sheet(p.direct_manager.user, body, sheet.pk, expected_version=sheet.version)
        sheet = cycles.agree_sheet(p.sheet_reviewer.user, body, sheet.pk, expected_version=sheet.version)
        sheets[login] = cycles.forward_sheet(hr, body, sheet.pk, expected_version=sheet.version)

    clock.day = D(2026, 1, 9)
    head = user("head")
    order = commission.create_order(head, body, number="1-ж", order_date=clock.day,
                                    chair={"user": user("commission1").pk},
                                    members=[{"user": user(f"commission{i}").pk} for i in (2, 3, 4, 5)],
                                    secretary={"user": hr.pk})
    order = commission.issue_order(head, body, order.pk, expected_version=order.version)
    clock.day = D(2026, 1, 12)
    meeting = commission.propose_meeting(hr, body, cycle_id=cycle.pk, meeting_on=D(2026, 1, 16), place=PLACE)
    commission.prepare_draft_protocol(hr, body, meeting.pk)
    meeting = CommissionMeeting.objects.get(pk=meeting.pk)
    meeting = commission.consent_to_meeting(user("commission1"), body, meeting.pk, expected_version=meeting.version)
    clock.day = D(2026, 1, 16)
    seats = list(CommissionSeat.objects.filter(order=order).exclude(role="secretary"))
    meeting = commission.open_session(hr, body, meeting.pk, expected_version=meeting.version,
                                      present=[s.pk for s in seats])
    version = rules.version_named(meeting.methodology_version)
    items = {i.participant.servant.user.username: i
             for i in AgendaItem.objects.filter(meeting=meeting).select_related("participant__servant__user")}
    original = items["commission2"].original_result
    corrected = next(c for c in rules.rating_codes(version) if c != original)
    voters = [s.user for s in seats]
    for login, item in items.items():
        for voter in voters:
            if voter.username == login:
                continue  # a member does not vote on his own result
            if login == "commission2":
                commission.cast_vote(voter, body, item.pk, choice="revise", corrected_result=corrected,
                                     reason="Қосымша құжаттар нәтиженің өзгеше екенін көрсетеді")
            else:
                commission.cast_vote(voter, body, item.pk, choice="approve")
        commission.record_decision(hr, body, item.pk)
    meeting = CommissionMeeting.objects.get(pk=meeting.pk)
    meeting = commission.conclude_meeting(hr, body, meeting.pk, expected_version=meeting.version)
    for signer in [*voters, hr]:
        commission.sign_protocol(signer, body, meeting.pk)
    meeting = CommissionMeeting.objects.get(pk=meeting.pk)
    meeting = commission.approve_results(head, body, meeting.pk, expected_version=meeting.version)
    cycle = EvaluationCycle.objects.get(pk=cycle.pk)
    return DemoCycle(body=body, cycle=cycle, plans=plans, sheets=sheets, meeting=meeting,
                     protocol=Protocol.objects.get(meeting=meeting), corrected=corrected, original=original)
