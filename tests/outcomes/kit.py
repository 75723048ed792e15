"""Builders for the outcomes tests: the commission's world (tests/commission/kit.py) taken through a
sitting to the authorized person's approval, so that the final results, their familiarization and
the appeal window come from the real services.

    head_b, head_c, head_d   the evaluated servants (their results become final)
    m1 .. m5                  the commission (m1 chairs), hr the secretary
    m6, m7, m8                other servants of the body (witnesses of a refusal act)
    reviewer                  a login with the Appeal reviewer grant in the body

Default dates: the sitting of Fri 17.01.2025, approved the same day: familiarization due Tue
21.01.2025 (2 working days), appeal by Fri 31.01.2025 (10 working days).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bagalau.commission import services
from bagalau.commission.models import CommissionMeeting, FinalResult
from bagalau.orgs.models import Absence, AbsenceKind, Role
from bagalau.outcomes.models import Familiarization
from tests import factories
from tests.commission import kit

D = dt.date
FOUR = ("m1", "m2", "m3", "m4")
SIGNERS = ("m1", "m2", "m3", "m4", "hr")


def approve(world: Any, meeting: CommissionMeeting, approve_on: dt.date | None = None) -> CommissionMeeting:
    """Everyone present signs the closed sitting's protocol; the authorized person approves."""
    for key in SIGNERS:
        services.sign_protocol(world.user(key), world.body, meeting.pk)
    if approve_on is not None:
        world.clock.day = approve_on
    meeting = kit.fresh(meeting)
    return services.approve_results(world.authorized, world.body, meeting.pk, expected_version=meeting.version)


def approved(world: Any, *, order_date: dt.date = kit.ORDER_DATE, propose_on: dt.date = kit.PROPOSED_ON,
             meeting_on: dt.date = kit.MEETING_ON, approve_on: dt.date | None = None) -> dict[str, FinalResult]:
    """The commission formed, a sitting approving every result, the protocol approved."""
    kit.form(world, order_date=order_date)
    world.clock.day = propose_on
    meeting = kit.open_with(world, kit.schedule(world, meeting_on), FOUR)
    kit.decide_all_approve(world, meeting, FOUR)
    meeting = kit.fresh(meeting)
    meeting = services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    approve(world, meeting, approve_on)
    return {key: FinalResult.objects.get(participant__servant=world.servant(key), superseded=False)
            for key in kit.EVALUATED}


def fam(result: FinalResult) -> Familiarization:
    return Familiarization.objects.get(result=result)


def reviewer(world: Any, name: str = "reviewer") -> Any:
    user = factories.user(f"{name}_{world.body.pk}")
    user.first_name, user.last_name = "Гүлнар", "Сейітова"
    user.save(update_fields=["first_name", "last_name"])
    factories.grant(user, world.body, Role.APPEAL_REVIEWER)
    return user


def sick(world: Any, key: str, start: dt.date, end: dt.date) -> Absence:
    return Absence.objects.create(body=world.body, servant=world.servant(key), kind=AbsenceKind.SICK_LEAVE,
                                  start=start, end=end)


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def revise(world: Any, results: list[FinalResult], *, corrected: str, propose_on: dt.date, meeting_on: dt.date
           ) -> CommissionMeeting:
    """HR puts the reopened results before the commission again; the members revise them to
    `corrected`; the new protocol is signed and approved on the meeting day."""
    from bagalau.commission.services.reopen import propose_revision_meeting

    world.clock.day = propose_on
    meeting = propose_revision_meeting(world.hr, world.body, result_ids=[r.pk for r in results],
                                       meeting_on=meeting_on, place="Мәжіліс залы")
    services.prepare_draft_protocol(world.hr, world.body, meeting.pk)
    meeting = kit.fresh(meeting)
    services.consent_to_meeting(kit.chair_user(meeting), world.body, meeting.pk, expected_version=meeting.version)
    meeting = kit.open_with(world, meeting, FOUR)
    for result in results:
        item = meeting.items.get(reopens=result)
        for member in FOUR:
            services.cast_vote(world.user(member), world.body, item.pk, choice="revise", corrected_result=corrected,
                               reason="The appeal reviewer's recommendation: KPI 3 evidence was not considered")
        services.record_decision(world.hr, world.body, item.pk)
    meeting = kit.fresh(meeting)
    meeting = services.conclude_meeting(world.hr, world.body, meeting.pk, expected_version=meeting.version)
    return approve(world, meeting)
