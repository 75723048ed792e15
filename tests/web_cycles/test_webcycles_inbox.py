"""The inbox: "what needs me now", soonest due first, with the servant, the due date and its rule,
the overdue badge and the link to act; on its own page and in the home page's "My tasks"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web_cycles.conftest import walk_signed_sheet, walk_submit

pytestmark = pytest.mark.django_db

INBOX = reverse("web:inbox")


def test_the_drafter_sees_his_tasks_with_due_date_rule_clause_and_link(client, world, clock):
    clock.day = clock.day.replace(month=2)
    client.force_login(world.users["head_b"])
    response = client.get(INBOX)
    html = response.content.decode()
    assert response.status_code == 200
    head_c = world.servants["head_c"]
    assert head_c.full_name in html
    assert "Жеке жұмыс жоспарын жасау" in html  # the title in Kazakh
    assert reverse("web:plan", args=[world.plan.pk]) in html
    assert 'data-due="2024-01-16"' in html and "G23-kpi-setting" in html and "НМИ айқындау" in html
    assert "badge danger" in html and 'data-action="iwp.draft"' in html


def test_the_titles_follow_the_language(client, world):
    client.force_login(world.users["head_b"])
    html = client.get(INBOX, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "индивидуальный план работы" in html and "Определение КЦИ" in html


def test_items_are_sorted_by_due_date_and_move_with_the_workflow(client, world):
    client.force_login(world.users["chairman"])
    assert 'data-action="iwp.approve"' not in client.get(INBOX).content.decode()
    walk_submit(world, world.plan)
    html = client.get(INBOX).content.decode()
    assert 'data-action="iwp.approve"' in html
    # The chairman also drafts head_b's plan (due 16.01): dated items come before undated ones.
    assert html.index('data-action="iwp.draft"') < html.index('data-action="iwp.approve"')


def test_hr_gets_the_role_item_to_forward_an_agreed_sheet(client, world):
    from bagalau.cycles import services

    signed = walk_signed_sheet(world)
    services.agree_sheet(world.users["chairman"], world.body, signed.pk, expected_version=signed.version)
    client.force_login(world.hr)
    html = client.get(INBOX).content.decode()
    assert 'data-action="sheet.forward"' in html and reverse("web:sheet", args=[signed.pk]) in html
    assert "G23-sheet-to-commission" in html


def test_the_home_page_lists_the_tasks_and_keeps_the_empty_state_otherwise(client, world):
    client.force_login(world.users["head_b"])
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-card="tasks"' in html and world.servants["head_c"].full_name in html
    assert "Әзірге тапсырмалар жоқ" not in html and reverse("web:inbox") in html
    client.force_login(world.users["spec"])
    html = client.get(reverse("web:home")).content.decode()
    assert "Әзірге тапсырмалар жоқ" in html


def test_the_servant_finds_his_own_plan_on_the_home_page(client, world):
    client.force_login(world.users["head_c"])
    html = client.get(reverse("web:home")).content.decode()
    assert 'data-card="evaluations"' in html and reverse("web:plan", args=[world.plan.pk]) in html


def test_nothing_of_another_body_shows(client, world, foreign):
    client.force_login(world.hr)
    html = client.get(INBOX).content.decode()
    assert foreign.servants["head_c"].full_name not in html
    assert reverse("web:plan", args=[foreign.plan.pk]) not in html or foreign.plan.pk == world.plan.pk
