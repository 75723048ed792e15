"""The demo has what the cycle pages need: the typical G2023 methodology adopted by both bodies
and a draft cycle for the current year that HR can preview and launch; loading twice adds nothing."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from bagalau.audit.models import AuditEvent
from bagalau.cycles import selectors, services
from bagalau.cycles.models import EvaluationCycle, Participation, Track
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.lawbook.selectors import version_for
from bagalau.orgs.demo import load_demo


def test_demo_adopts_g2023_and_offers_a_draft_cycle(db):
    demo = load_demo()
    for body in (demo.body, demo.second_body):
        adoption = MethodologyAdoption.objects.get(body=body)
        assert (adoption.version_id, adoption.valid_from) == ("typical-g2023", dt.date(2023, 9, 1))
        assert version_for(body, timezone.localdate()).id == "typical-g2023"
    cycle = EvaluationCycle.objects.get(body=demo.body)
    assert (cycle.state, cycle.year) == ("draft", timezone.localdate().year)
    assert AuditEvent.objects.filter(action="lawbook.adoption.create").count() == 2

    events = AuditEvent.objects.count()
    assert not load_demo().created
    assert AuditEvent.objects.count() == events and EvaluationCycle.objects.count() == 1

    User = get_user_model()
    hr, head, manager = (User.objects.get(username=n) for n in ("hr", "head", "manager"))
    preview = services.preview_launch(hr, demo.body, cycle.pk)
    by_servant = {d.servant.pk: d for d in preview.participants}
    on_leave = by_servant[demo.body.servants.get(last_name="Қасымова").pk]
    assert on_leave.participation == Participation.WITHOUT
    cycle = services.launch_cycle(hr, demo.body, cycle.pk)
    board = selectors.cycle_board(hr, cycle)
    assert board.counts["plan_draft"] == 3  # the three department heads
    # The department head "manager" reports to the first head ("head"), who drafts and approves his plan.
    mine = selectors.my_evaluations(manager, demo.body).get(cycle=cycle)
    assert mine.track == Track.KPI and mine.first_head_is_direct
    assert [p.servant_id for p in selectors.my_subordinates(head, demo.body, cycle_id=cycle.pk)
            if p.track == Track.KPI] and mine.plan_approver.user == head
