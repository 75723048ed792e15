"""The probe body: the one state body whose pages and calls the load test hits, brought to the
state those calls need through the real services (so what is measured is what users get):

* its work items stay open (the chairman's inbox has the plans of his direct reports);
* the sheets of the chairman's direct reports are being filled in (the "sheet submit" call records
  results on them, as their direct manager);
* the other KPI sheets are at the Commission, whose sitting is open with every member present
  (the "commission vote" call casts and changes open votes on them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model

from bagalau.commission import services as commission
from bagalau.commission.models import AgendaItem, CommissionSeat
from bagalau.cycles import grading
from bagalau.cycles.models import KpiSheet, Participant, SheetState, Track
from bagalau.orgs.models import Servant, StateBody
from bench.clock import PinnedClock

ORDER_DATE = dt.date(2026, 12, 1)
PROPOSED_ON = dt.date(2026, 12, 7)
MEETING_ON = dt.date(2026, 12, 11)


@dataclass
class Probe:
    body: StateBody
    cycle_id: int
    hr: Any
    chairman: Any
    sheets_to_submit: list[int] = field(default_factory=list)
    members: list[Any] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    sheet_for_pdf: int = 0


def prepare(body: StateBody, cycle_id: int, hr: Any, clock: PinnedClock) -> Probe:
    chairman = get_user_model().objects.get(servant=body.first_head_id)
    kpi = Participant.objects.filter(cycle_id=cycle_id, track=Track.KPI).select_related("direct_manager")
    own = [p.pk for p in kpi if p.direct_manager_id == body.first_head_id]
    others = [p.pk for p in kpi if p.direct_manager_id != body.first_head_id]
    KpiSheet.objects.filter(participant_id__in=own).update(state=SheetState.DRAFT, version=1, last_action="")
    KpiSheet.objects.filter(participant_id__in=others).update(state=SheetState.SUBMITTED_TO_COMMISSION)
    grading.grade_sheets(KpiSheet.objects.filter(cycle_id=cycle_id), on=clock.today())
    probe = Probe(body=body, cycle_id=cycle_id, hr=hr, chairman=chairman,
                  sheets_to_submit=list(KpiSheet.objects.filter(participant_id__in=own).order_by("pk")
                                        .values_list("pk", flat=True)))
    probe.sheet_for_pdf = probe.sheets_to_submit[0] if probe.sheets_to_submit else 0
    heads = list(Servant.objects.filter(pk__in=Participant.objects.filter(pk__in=own).values("servant_id"),
                                        user__isnull=False).order_by("pk"))
    if not others or len(heads) < 2:
        return probe  # too small a body for a sitting: the vote call is not measured
    clock.day = ORDER_DATE
    order = commission.create_order(chairman, body, number="1-ж", order_date=ORDER_DATE,
                                    chair={"servant": heads[0].pk},
                                    members=[{"servant": s.pk} for s in heads[1:5]] + [{"servant": body.first_head_id}],
                                    secretary={"user": hr.pk})
    order = commission.issue_order(chairman, body, order.pk, expected_version=order.version)
    clock.day = PROPOSED_ON
    meeting = commission.propose_meeting(hr, body, cycle_id=cycle_id, meeting_on=MEETING_ON, place="Мәжіліс залы")
    commission.prepare_draft_protocol(hr, body, meeting.pk)
    meeting.refresh_from_db()
    chair = CommissionSeat.objects.get(order=order, role="chair")
    meeting = commission.consent_to_meeting(chair.user, body, meeting.pk, expected_version=meeting.version)
    clock.day = MEETING_ON
    seats = list(CommissionSeat.objects.filter(order=order).exclude(role="secretary").select_related("user"))
    meeting = commission.open_session(hr, body, meeting.pk, expected_version=meeting.version,
                                      present=[s.pk for s in seats])
    probe.members = [s.user for s in seats]
    probe.items = list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values_list("pk", flat=True))
    return probe
