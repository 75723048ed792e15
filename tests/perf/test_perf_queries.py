"""Every page and list endpoint runs the same number of SQL queries for a body with few rows and
for one with many: no query per row (N+1).

Both bodies come from the benchmark's generator (bench/generate.py) in one database: a small
body (about a dozen of everything: participants, plans, sheets, work items, agenda items) and a
large one (about 40 times as many), each launched through the real service, with a year of work
written in bulk and an open commission sitting formed through the services (bench/probe.py).
Each address is requested once to warm the per-process caches, then counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet, PeriodKind
from bagalau.orgs.models import Servant
from bench import batch, generate, probe
from bench.clock import LAUNCH_DAY
from tests.clock import install_fake_clock

pytestmark = pytest.mark.django_db

SMALL, LARGE = 48, 500


@dataclass
class Body:
    probe: probe.Probe
    draft_cycle: int
    plan: int
    sheet: int
    meeting: int | None
    item: int | None
    member: Any
    specialist: Any


def _build(servants: int, first: int, clock: Any) -> Body:
    clock.day = LAUNCH_DAY
    country = generate.organisation(servants, servants, seed=7, first=first)
    batch.launch_country(country)
    body = country.bodies[0]
    generate.year_of_work(country, seed=7, probe_body=body.pk)
    the_probe = probe.prepare(body, country.cycles[body.pk], country.hr[body.pk], clock)
    hr = country.hr[body.pk]
    draft = EvaluationCycle.objects.create(body=body, kind=PeriodKind.YEAR, year=generate.YEAR + 1,
                                           period_start=dt.date(generate.YEAR + 1, 1, 1),
                                           period_end=dt.date(generate.YEAR + 1, 12, 31), created_by=hr)
    plan = IndividualWorkPlan.objects.filter(body=body).order_by("pk").first()
    sheet = KpiSheet.objects.get(pk=the_probe.sheets_to_submit[0])
    from bagalau.commission.models import AgendaItem

    item = AgendaItem.objects.filter(body_id=body.pk).order_by("pk").first()
    specialist = Servant.objects.filter(body=body, user__isnull=True).first()
    return Body(probe=the_probe, draft_cycle=draft.pk, plan=plan.pk, sheet=sheet.pk,
                meeting=item.meeting_id if item else None, item=item.pk if item else None,
                member=the_probe.members[1] if the_probe.members else None,
                specialist=specialist)


@pytest.fixture(scope="module")
def bodies(django_db_setup, django_db_blocker) -> Iterator[tuple[Body, Body]]:
    """Built once for the module inside a transaction that is rolled back at its end (each test
    runs in a savepoint within it), because building the large body takes a while."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        with transaction.atomic():
            clock = install_fake_clock(patch, LAUNCH_DAY)
            with translation.override("en"):
                small = _build(SMALL, 0, clock)
                large = _build(LARGE, 1, clock)
            clock.day = probe.MEETING_ON
            yield small, large
            transaction.set_rollback(True)


# name -> (user of the body, address of the body)
Page = tuple[Callable[[Body], Any], Callable[[Body], str]]


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


def _count(client: Any, user: Any, url: str) -> tuple[int, int]:
    client.force_login(user)
    client.get(url)  # warm the per-process caches (methodology versions, translations)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def _compare(client: Any, bodies: tuple[Body, Body], pages: dict[str, Page]) -> None:
    small, large = bodies
    found = {}
    for name, (who, where) in pages.items():
        counts = []
        for b in (small, large):
            status, queries = _count(client, who(b), where(b))
            assert status == 200, f"{name}: HTTP {status} at {where(b)}"
            counts.append(queries)
        found[name] = tuple(counts)
    differing = {name: c for name, c in found.items() if c[0] != c[1]}
    assert not differing, f"queries (few rows, many rows) differ: {differing}; all: {found}"


def test_every_page_costs_the_same_for_few_and_many_rows(client, bodies):
    assert bodies[0].meeting and bodies[1].meeting, "both bodies need an open commission sitting"
    _compare(client, bodies, WEB)


def test_every_list_endpoint_costs_the_same_for_few_and_many_rows(client, bodies):
    _compare(client, bodies, API)


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
