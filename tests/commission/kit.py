"""Builders for the commission tests: the cycles' small organisation (tests/cycles/builders.py) with
KPI sheets walked through the cycle services to the commission's door, commission members with
logins, an external member, and helpers that take a meeting through its steps with the services.

    chairman  first head and authorized person (approves the results)
    head_b, head_c, head_d   evaluated by KPI; their sheets reach "submitted_to_commission"
    m1 .. m8  servants of the body with logins, commission members (m1 chairs by default)
    ext       an external member (a login with the Commission member grant, no servant record)
    hr        the HR specialist: the secretary (not a member, never votes)

Dates: the 2024 cycle is launched on 10.01.2024, sheets are forwarded on 20.12.2024. The order is
dated 06.01.2025; the default meeting is proposed on Mon 13.01.2025 for Fri 17.01.2025 (no
holiday in between: the notice day, 3 working days back, is Tue 14.01.2025).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bagalau.commission import services
from bagalau.commission.models import CommissionMeeting, CommissionOrder, CommissionSeat
from bagalau.cycles import services as cycle_services
from bagalau.cycles.models import EvaluationCycle, KpiSheet, SheetState
from bagalau.orgs.models import Role, Servant
from tests import factories
from tests.cycles import flow
from tests.cycles.builders import Org, build_org, person

D = dt.date
ORDER_DATE = D(2025, 1, 6)
PROPOSED_ON = D(2025, 1, 13)
MEETING_ON = D(2025, 1, 17)
EVALUATED = ("head_b", "head_c", "head_d")
MEMBERS = tuple(f"m{i}" for i in range(1, 9))


@dataclass
class World:
    org: Org
    hr: Any
    clock: Any
    cycle: EvaluationCycle
    sheets: dict[str, KpiSheet] = field(default_factory=dict)
    ext: Any = None

    @property
    def body(self) -> Any:
        return self.org.body

    def user(self, key: str) -> Any:
        if key == "hr":
            return self.hr
        if key == "ext":
            return self.ext
        return self.org.user(key)

    def servant(self, key: str) -> Servant:
        return self.org.servants[key]

    @property
    def authorized(self) -> Any:
        return self.org.user("chairman")


def _approved_plan_sheet(world: World, key: str) -> KpiSheet:
    org, cycle = world.org, world.cycle
    plan = flow.plan_of(cycle, org, key)
    p = plan.participant
    drafter = p.direct_manager.user
    approver = p.plan_approver.user
    plan = cycle_services.save_plan(drafter, org.body, plan.pk, kpis=flow.kpis(), expected_version=plan.version)
    plan = cycle_services.submit_plan(drafter, org.body, plan.pk, expected_version=plan.version)
    cycle_services.approve_plan(approver, org.body, plan.pk, expected_version=plan.version)
    return KpiSheet.objects.get(plan=plan)


def build(body: Any, hr: Any, clock: Any, *, achieved: dict[str, int] | None = None) -> World:
    """The organisation, the cycle and the sheets of head_b, head_c, head_d at the commission."""
    achieved = {"head_b": 5, "head_c": 4, "head_d": 3, **(achieved or {})}
    org = build_org(body)
    unit = factories.unit(body, "03")
    for i, key in enumerate(MEMBERS, start=1):
        person(org, key, factories.position(unit, f"03-{i:02d}", category="E-4"))
    cycle = flow.launch(org, hr, clock)
    world = World(org=org, hr=hr, clock=clock, cycle=cycle)
    sheets = {key: _approved_plan_sheet(world, key) for key in EVALUATED}
    clock.day = D(2024, 12, 20)
    for key, sheet in sheets.items():
        p = sheet.participant
        sheet = cycle_services.save_sheet(p.direct_manager.user, body, sheet.pk, results=flow.results(achieved[key]),
                                          expected_version=sheet.version)
        sheet = cycle_services.sign_sheet(p.direct_manager.user, body, sheet.pk, expected_version=sheet.version)
        sheet = cycle_services.agree_sheet(p.sheet_reviewer.user, body, sheet.pk, expected_version=sheet.version)
        sheet = cycle_services.forward_sheet(hr, body, sheet.pk, expected_version=sheet.version)
        assert sheet.state == SheetState.SUBMITTED_TO_COMMISSION
        world.sheets[key] = sheet
    world.ext = factories.user(f"ext_{body.pk}")
    world.ext.first_name, world.ext.last_name = "Марат", "Тұрсынбаев"
    world.ext.save(update_fields=["first_name", "last_name"])
    factories.grant(world.ext, body, Role.COMMISSION_MEMBER)
    clock.day = PROPOSED_ON
    return world


def ref(world: World, key: str) -> dict[str, int]:
    if key in ("ext", "hr"):
        return {"user": world.user(key).pk}
    return {"servant": world.servant(key).pk}


def form(world: World, members: tuple[str, ...] = ("m1", "m2", "m3", "m4", "m5"), *, number: str = "12-ж",
         order_date: dt.date = ORDER_DATE, secretary: str = "hr") -> CommissionOrder:
    """Draft and issue the order: the first of `members` chairs."""
    chair, *rest = members
    order = services.create_order(world.authorized, world.body, number=number, order_date=order_date,
                                  chair=ref(world, chair), members=[ref(world, k) for k in rest],
                                  secretary=ref(world, secretary))
    return services.issue_order(world.authorized, world.body, order.pk, expected_version=order.version)


def propose(world: World, meeting_on: dt.date = MEETING_ON, place: str = "Балпық би, мәжіліс залы"
            ) -> CommissionMeeting:
    return services.propose_meeting(world.hr, world.body, cycle_id=world.cycle.pk, meeting_on=meeting_on,
                                    place=place)


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def chair_user(meeting: CommissionMeeting) -> Any:
    return CommissionSeat.objects.get(order_id=fresh(meeting).order_id, role="chair").user


def schedule(world: World, meeting_on: dt.date = MEETING_ON) -> CommissionMeeting:
    """Proposed, draft protocol prepared, consented by the chair."""
    meeting = propose(world, meeting_on)
    services.prepare_draft_protocol(world.hr, world.body, meeting.pk)
    meeting = fresh(meeting)
    return services.consent_to_meeting(chair_user(meeting), world.body, meeting.pk, expected_version=meeting.version)


def seat(meeting: CommissionMeeting, world: World, key: str) -> CommissionSeat:
    return CommissionSeat.objects.get(order_id=fresh(meeting).order_id, user=world.user(key))


def open_with(world: World, meeting: CommissionMeeting, present: tuple[str, ...]) -> CommissionMeeting:
    """Open the sitting on its date with the members `present` (keys)."""
    meeting = fresh(meeting)
    world.clock.day = meeting.meeting_on
    seats = [seat(meeting, world, k).pk for k in present]
    return services.open_session(world.hr, world.body, meeting.pk, expected_version=meeting.version, present=seats)


def item_of(meeting: CommissionMeeting, world: World, key: str) -> Any:
    from bagalau.commission.models import AgendaItem

    return AgendaItem.objects.get(meeting=meeting, participant__servant=world.servant(key))


def vote(world: World, meeting: CommissionMeeting, item_key: str, votes: dict[str, Any]) -> None:
    """votes: member key -> "approve" or ("revise", corrected, reason)."""
    item = item_of(meeting, world, item_key)
    for member, choice in votes.items():
        if isinstance(choice, tuple):
            services.cast_vote(world.user(member), world.body, item.pk, choice=choice[0], corrected_result=choice[1],
                               reason=choice[2])
        else:
            services.cast_vote(world.user(member), world.body, item.pk, choice=choice)


def decide_all_approve(world: World, meeting: CommissionMeeting, present: tuple[str, ...]) -> None:
    for key in EVALUATED:
        item = item_of(meeting, world, key)
        voters = {m: "approve" for m in present if world.user(m) != getattr(world.servant(key), "user", None)}
        vote(world, meeting, key, voters)
        services.record_decision(world.hr, world.body, item.pk)


def sitting_decided(world: World, present: tuple[str, ...] = ("m1", "m2", "m3", "m4")) -> CommissionMeeting:
    """A scheduled meeting opened with `present`, every item approved, the sitting closed."""
    meeting = schedule(world)
    meeting = open_with(world, meeting, present)
    decide_all_approve(world, meeting, present)
    meeting = fresh(meeting)
    return services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
