"""The meeting page costs the same number of queries with 5 and 9 members, and with 3 and 12
agenda items (tallies and quorum come from one query each)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bagalau.commission.models import AgendaItem
from tests.commission import kit

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _extra_items(meeting, n: int) -> None:
    first = AgendaItem.objects.filter(meeting=meeting).first()
    AgendaItem.objects.bulk_create([
        AgendaItem(meeting=meeting, body_id=meeting.body_id, participant_id=first.participant_id, sheet=None,
                   method=first.method, ordinal=100 + i, original_result=first.original_result,
                   original_clause=first.original_clause) for i in range(n)])


def _cost(client, world, members: tuple[str, ...], extra_items: int) -> int:
    order = kit.form(world, members)
    meeting = kit.schedule(world)
    present = members[:4] if len(members) == 5 else members[:6]
    meeting = kit.open_with(world, meeting, present)
    kit.vote(world, meeting, "head_b", {m: "approve" for m in present})
    _extra_items(meeting, extra_items)
    client.force_login(world.hr)
    url = reverse("web:commission_meeting", args=[meeting.pk])
    client.get(url)  # warm the per-user caches the shell keeps
    cost = _queries(client, url)
    assert order.pk
    return cost


def test_the_meeting_page_costs_the_same_for_5_and_9_members_3_and_12_items(client, world):
    small = _cost(client, world, ("m1", "m2", "m3", "m4", "m5"), 0)
    world.clock.day = kit.PROPOSED_ON
    from bagalau.commission.models import CommissionMeeting

    CommissionMeeting.objects.all().update(state="cancelled")
    AgendaItem.objects.all().update(state="withdrawn")
    large = _cost(client, world, ("m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "ext"), 9)
    assert small == large, (small, large)
