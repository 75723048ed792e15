"""The board and the inbox cost the same number of queries with 10 and with 200 rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bagalau.cycles.models import (
    CycleState,
    EvaluationCycle,
    IndividualWorkPlan,
    Participant,
    ParticipantStatus,
    PeriodKind,
    Track,
)
from bagalau.inbox.models import WorkItem
from tests import factories

pytestmark = pytest.mark.django_db


def _cycle_with(world, n: int) -> EvaluationCycle:
    """A launched cycle with n KPI participants, each with a plan, written straight to the tables
    (the launch itself is tested elsewhere): one unit, half of them overdue."""
    year = 2030 + n % 50
    cycle = EvaluationCycle.objects.create(
        body=world.body, kind=PeriodKind.YEAR, year=year, period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31), state=CycleState.LAUNCHED, methodology_version="typical-g2023")
    unit = factories.unit(world.body, f"Q{n}")
    manager = world.servants["head_b"]
    participants = []
    for _ in range(n):
        s = factories.servant(world.body, "Қатысушы", "Нұрлан")
        participants.append(Participant(
            cycle=cycle, body=world.body, servant=s, servant_name=s.full_name, status=ParticipantStatus.EVALUATED,
            track=Track.KPI, unit=unit, unit_code=unit.code, unit_name_kk=unit.name_kk, unit_name_ru=unit.name_ru,
            position_title_kk="Бөлім басшысы", direct_manager=manager, direct_manager_name=manager.full_name))
    Participant.objects.bulk_create(participants)
    IndividualWorkPlan.objects.bulk_create([
        IndividualWorkPlan(participant=p, cycle=cycle, body=world.body, due_on=dt.date(year, 1, 15 + i % 2),
                           due_rule="iwp_due", due_clause="G23-kpi-setting")
        for i, p in enumerate(Participant.objects.filter(cycle=cycle))])
    return cycle


def _queries(client, url: str, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_board_costs_the_same_for_10_and_200_participants(client, world, clock):
    small, large = _cycle_with(world, 10), _cycle_with(world, 200)
    clock.day = dt.date(small.year, 1, 16)
    client.force_login(world.hr)
    url_small, url_large = (reverse("web:cycle", args=[c.pk]) for c in (small, large))
    _queries(client, url_small)  # warm the caches of the first request
    assert _queries(client, url_small) == _queries(client, url_large)
    assert _queries(client, url_small, overdue="1") == _queries(client, url_large, overdue="1", page="2")
    html = client.get(url_large, {"page": "4"}).content.decode()
    assert "Бет: 4 / 4" in html or "4 / 4" in html


def _items(world, user, n: int) -> None:
    plan = IndividualWorkPlan.objects.filter(body=world.body).first()
    WorkItem.objects.bulk_create([
        WorkItem(body=world.body, object_type="cycles.individualworkplan", object_id=str(plan.pk),
                 action=f"test.{i}", assignee=user, subject_servant=world.servants["head_c"],
                 title_kk=f"Тапсырма {i}", title_ru=f"Задача {i}", due=dt.date(2024, 1, 1 + i % 28),
                 due_rule="iwp_due", due_clause="G23-kpi-setting")
        for i in range(n)])


def test_the_inbox_costs_the_same_for_10_and_200_items(client, world):
    few, many = world.users["spec"], world.users["head_c"]
    _items(world, few, 10)
    _items(world, many, 200)
    client.force_login(few)
    _queries(client, reverse("web:inbox"))
    small = _queries(client, reverse("web:inbox"))
    home_small = _queries(client, reverse("web:home"))
    client.force_login(many)
    _queries(client, reverse("web:inbox"))
    assert _queries(client, reverse("web:inbox")) == small
    assert _queries(client, reverse("web:home")) == home_small
