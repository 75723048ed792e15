"""Every page and list endpoint runs the same number of SQL queries for a body with few rows and
for one with many: no query per row (N+1).

Both bodies come from the benchmark's generator (bench/generate.py) in one database: a small
body (about a dozen of everything: participants, plans, sheets, work items, agenda items) and a
large one (about 40 times as many), each launched through the real service, with a year of work
written in bulk and an open commission sitting formed through the services (bench/probe.py).
They are built once for the package (tests/perf/bodies.py, conftest.py); the newer apps' pages
and the check that no GET address is left out are in test_perf_queries_outcomes.py.
Each address is requested once to warm the per-process caches, then counted.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests.perf.bodies import LARGE, SMALL, Body
from tests.perf.counting import Page, compare

pytestmark = pytest.mark.django_db


def _hr(b: Body) -> Any:
    return b.probe.hr


def _chairman(b: Body) -> Any:
    return b.probe.chairman


WEB: dict[str, Page] = {
    "home (HR)": (_hr, lambda b: reverse("web:home")),
    "home (manager)": (_chairman, lambda b: reverse("web:home")),
    "staff": (_hr, lambda b: reverse("web:staff")),
    "staff import": (_hr, lambda b: reverse("web:staff_import")),
    "inbox (manager)": (_chairman, lambda b: reverse("web:inbox")),
    "inbox (HR)": (_hr, lambda b: reverse("web:inbox")),
    "cycles": (_hr, lambda b: reverse("web:cycles")),
    "cycle board": (_hr, lambda b: reverse("web:cycle", args=[b.probe.cycle_id])),
    "cycle board, page 2": (_hr, lambda b: reverse("web:cycle", args=[b.probe.cycle_id]) + "?page=2"),
    "launch preview": (_hr, lambda b: reverse("web:cycle_launch", args=[b.draft_cycle])),
    "cancel a cycle (confirmation)": (_hr, lambda b: reverse("web:cycle_cancel", args=[b.draft_cycle])),
    "close a cycle (confirmation)": (_hr, lambda b: reverse("web:cycle_close", args=[b.probe.cycle_id])),
    "plan": (_chairman, lambda b: reverse("web:plan", args=[b.plan])),
    "sheet": (_chairman, lambda b: reverse("web:sheet", args=[b.sheet])),
    "commission": (_hr, lambda b: reverse("web:commission")),
    "commission votes": (lambda b: b.member, lambda b: reverse("web:commission_votes")),
    "commission meeting": (_hr, lambda b: reverse("web:commission_meeting", args=[b.meeting])),
    "commission protocol": (_hr, lambda b: reverse("web:commission_protocol", args=[b.meeting])),
}

API: dict[str, Page] = {
    "api orgs servants": (_hr, lambda b: "/api/orgs/servants"),
    "api inbox (manager)": (_chairman, lambda b: "/api/inbox"),
    "api inbox (HR)": (_hr, lambda b: "/api/inbox"),
    "api cycles": (_hr, lambda b: "/api/cycles"),
    "api cycle board": (_hr, lambda b: f"/api/cycles/{b.probe.cycle_id}/board"),
    "api launch preview": (_hr, lambda b: f"/api/cycles/{b.draft_cycle}/launch-preview"),
    "api my evaluations": (_chairman, lambda b: "/api/cycles/mine"),
    "api my team": (_chairman, lambda b: "/api/cycles/team"),
    "api plan": (_chairman, lambda b: f"/api/cycles/plans/{b.plan}"),
    "api sheet": (_chairman, lambda b: f"/api/cycles/sheets/{b.sheet}"),
    "api commission": (_hr, lambda b: "/api/commission"),
    "api commission meetings": (_hr, lambda b: "/api/commission/meetings"),
    "api commission meeting": (_hr, lambda b: f"/api/commission/meetings/{b.meeting}"),
    "api commission item": (_hr, lambda b: f"/api/commission/items/{b.item}"),
    "api commission my votes": (lambda b: b.member, lambda b: "/api/commission/my-votes"),
    "api commission approval queue": (_chairman, lambda b: "/api/commission/approval-queue"),
    "api commission results": (_hr, lambda b: f"/api/commission/results?cycle_id={b.probe.cycle_id}"),
}


def test_every_page_costs_the_same_for_few_and_many_rows(client, bodies):
    assert bodies[0].meeting and bodies[1].meeting, "both bodies need an open commission sitting"
    compare(client, bodies, WEB)


def test_every_list_endpoint_costs_the_same_for_few_and_many_rows(client, bodies):
    compare(client, bodies, API)


def test_the_large_body_really_has_many_rows(bodies):
    """The comparison means something only if the large body has tens of times the small one's rows."""
    small, large = bodies
    def rows(b: Body) -> tuple[int, int, int]:
        from bagalau.commission.models import AgendaItem
        from bagalau.cycles.models import Participant
        from bagalau.inbox.models import WorkItem

        return (Participant.objects.filter(cycle_id=b.probe.cycle_id).count(),
                WorkItem.objects.filter(assignee=b.probe.chairman, state="open").count(),
                AgendaItem.objects.filter(body_id=b.probe.body.pk).count())

    few, many = rows(small), rows(large)
    assert few[0] == SMALL and many[0] == LARGE
    assert few[1] >= 5 and many[1] >= 8 * few[1], (few, many)
    assert few[2] >= 2 and many[2] >= 8 * few[2], (few, many)
