"""The world the permission matrix and the hostile-input tests run in: two state bodies, each with
the commission world of tests/commission/kit.py (a launched cycle, KPI sheets at the commission,
an issued order, a sitting in session) and one login per role.

Actors (keys of `BodyWorld.actors`), all of the body they belong to:

    subject     head_d, the servant whose plan, sheet and agenda item the matrix asks for
    manager     head_c, head_d's direct manager in the cycle's snapshot
    superior    head_b, head_d's superior manager (approves the plan, agrees the sheet)
    servant     spec, a colleague with no part in head_d's evaluation
    hr          the HR service
    secretary   a second HR specialist, the commission's secretary (no vote)
    chair       m1, chairs the commission
    member      m2, a commission member
    authorized  the first head, the authorized person who forms the commission and approves
    reviewer    an appeal reviewer (agency) granted in the body
    auditor     an auditor granted in the body
    admin       a system administrator granted in the body (staff, not a superuser: a superuser
                is the administrator of every body, which the tenant check cannot test)

The other body is built the same way; its objects are what "other body" means in the matrix.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile

from bagalau.commission import services as commission_services
from bagalau.commission.models import AgendaItem, CommissionMeeting, CommissionOrder
from bagalau.cycles.models import EvaluationCycle, EvidenceFile, IndividualWorkPlan, KpiSheet
from bagalau.orgs.models import Role, Servant, StateBody
from tests import factories
from tests.commission import kit
from tests.security import world_more

ACTORS = ("subject", "manager", "superior", "servant", "hr", "secretary", "chair", "member", "authorized",
          "reviewer", "auditor", "admin")
PRESENT = ("m1", "m2", "m3", "m4")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class BodyWorld:
    body: StateBody
    actors: dict[str, Any]
    cycle: EvaluationCycle
    plan: IndividualWorkPlan
    sheet: KpiSheet
    evidence: EvidenceFile
    order: CommissionOrder
    meeting: CommissionMeeting
    item: AgendaItem
    servant: Servant
    kit: kit.World
    extra: dict[str, Any] = field(default_factory=dict)

    def ids(self) -> dict[str, int]:
        """Path parameters by name, for building any URL of the matrix."""
        return {"cycle_id": self.cycle.pk, "plan_id": self.plan.pk, "sheet_id": self.sheet.pk,
                "file_id": self.evidence.pk, "order_id": self.order.pk, "meeting_id": self.meeting.pk,
                "item_id": self.item.pk, "servant_id": self.servant.pk, **world_more.ids(self)}


def _granted(body: StateBody, name: str, role: str, *, staff: bool = False) -> Any:
    user = factories.user(f"{name}_{body.pk}")
    factories.grant(user, body, role)
    if staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


def _evidence(sheet: KpiSheet, body: StateBody, by: Any) -> EvidenceFile:
    outcome = sheet.outcomes.order_by("number").first()
    assert outcome is not None
    ev = EvidenceFile(outcome=outcome, sheet=sheet, body=body, original_name="report.pdf", extension="pdf",
                      content_type="application/pdf", size=len(PDF), sha256=hashlib.sha256(PDF).hexdigest(),
                      uploaded_by=by)
    ev.file.save("report.pdf", ContentFile(PDF), save=False)
    ev.save()
    return ev


def build_body_world(body: StateBody, clock: Any) -> BodyWorld:
    hr = _granted(body, "hr", Role.HR, staff=True)
    world = kit.build(body, hr, clock)
    secretary = _granted(body, "secretary", Role.HR)
    chair, *members = ("m1", "m2", "m3", "m4", "m5")
    order = commission_services.create_order(
        world.authorized, body, number="12-ж", order_date=kit.ORDER_DATE, chair=kit.ref(world, chair),
        members=[kit.ref(world, k) for k in members], secretary={"user": secretary.pk})
    order = commission_services.issue_order(world.authorized, body, order.pk, expected_version=order.version)
    meeting = kit.propose(world)
    commission_services.prepare_draft_protocol(secretary, body, meeting.pk)
    meeting = kit.fresh(meeting)
    meeting = commission_services.consent_to_meeting(kit.chair_user(meeting), body, meeting.pk,
                                                     expected_version=meeting.version)
    clock.day = meeting.meeting_on
    seats = [kit.seat(meeting, world, k).pk for k in PRESENT]
    meeting = commission_services.open_session(secretary, body, meeting.pk, expected_version=meeting.version,
                                               present=seats)
    sheet = kit.fresh(world.sheets["head_d"])
    actors = {
        "subject": world.user("head_d"), "manager": world.user("head_c"), "superior": world.user("head_b"),
        "servant": world.user("spec"), "hr": hr, "secretary": secretary, "chair": world.user("m1"),
        "member": world.user("m2"), "authorized": world.authorized,
        "reviewer": _granted(body, "reviewer", Role.APPEAL_REVIEWER),
        "auditor": _granted(body, "auditor", Role.AUDITOR),
        "admin": _granted(body, "admin", Role.ADMIN, staff=True),
    }
    built = BodyWorld(
        body=body, actors=actors, cycle=world.cycle, plan=sheet.plan, sheet=sheet,
        evidence=_evidence(sheet, body, world.user("head_c")), order=order, meeting=meeting,
        item=kit.item_of(meeting, world, "head_d"), servant=world.servant("head_d"), kit=world)
    world_more.extend(built)
    return built


@dataclass
class Worlds:
    own: BodyWorld
    other: BodyWorld
    clock: Any

    def of(self, which: str) -> BodyWorld:
        return self.own if which == "own" else self.other


def build_worlds(clock: Any) -> Worlds:
    own = build_body_world(factories.body("Own body"), clock)
    clock.day = dt.date(2024, 1, 10)
    other = build_body_world(factories.body("Other body"), clock)
    return Worlds(own=own, other=other, clock=clock)
