"""The role-aware home page: what each role sees, and that nothing of another body shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.orgs.models import Role
from tests import factories

pytestmark = pytest.mark.django_db


def home(client, user, lang="kk"):
    client.force_login(user)
    response = client.get(reverse("web:home"), HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return response.content.decode()


def test_hr_sees_tasks_and_the_hr_card(client, hr, body):
    html = home(client, hr)
    assert "Менің тапсырмаларым" in html  # My tasks
    assert "Әзірге тапсырмалар жоқ" in html  # No tasks yet
    assert 'data-card="hr"' in html
    assert f'href="{reverse("web:staff_import")}"' in html
    assert f'href="{reverse("web:staff")}"' in html
    assert 'href="/admin/"' in html
    assert body.name_kk in html
    assert "Персоналды басқару қызметі" in html  # the HR role in the header


def test_home_in_russian_shows_russian_body_name_and_texts(client, hr, body):
    html = home(client, hr, "ru")
    assert "Мои задачи" in html and "Задач пока нет" in html
    assert body.name_ru in html
    assert "Служба управления персоналом" in html


def test_plain_servant_sees_own_line_but_no_hr_card(client, org):
    html = home(client, org.sa_user)
    assert 'data-card="hr"' not in html
    assert 'data-card="staff"' not in html
    assert f'href="{reverse("web:staff")}"' not in html
    assert 'data-card="servant"' in html
    assert org.sa.full_name in html
    assert "Лауазым P-A2" in html and "E-4" in html  # own position, kk title
    assert org.ha.full_name in html  # direct manager: head of the unit
    assert org.fh.full_name in html  # superior manager and first head
    assert 'data-clause="S1-p.46"' not in html
    assert 'data-card="manager"' not in html


def test_head_reporting_to_the_first_head_is_shown_clause_s1_p46(client, org):
    html = home(client, org.ha_user)
    assert 'data-clause="S1-p.46"' in html
    assert "S1-p.46" in html


def test_manager_sees_the_count_of_direct_subordinates(client, org):
    html = home(client, org.ha_user)
    assert 'data-card="manager"' in html
    assert '<p class="big-number">1</p>' in html  # the specialist only


def test_user_without_a_body_gets_a_clear_message(client):
    html = home(client, factories.user("nobody"))
    assert "Сізде әлі ешбір мемлекеттік органға қол жеткізу жоқ" in html
    assert 'data-card="hr"' not in html


def test_auditor_sees_the_staff_link_but_not_the_import(client, reader):
    html = home(client, reader)
    assert 'data-card="staff"' in html
    assert f'href="{reverse("web:staff_import")}"' not in html


def test_home_shows_nothing_of_another_body(client, hr, other_body):
    html = home(client, hr)
    assert other_body.name_kk not in html
    assert 'id="body-switch-select"' not in html  # one body: no switcher


def test_home_runs_a_bounded_number_of_queries(client, org, django_assert_max_num_queries):
    factories.grant(org.ha_user, org.body, Role.HR)
    client.force_login(org.ha_user)
    for i in range(30):
        factories.appoint(factories.servant(org.body), factories.position(org.unit_a, f"X{i}"))
    with django_assert_max_num_queries(25):
        assert client.get(reverse("web:home")).status_code == 200


def test_first_head_has_no_manager_and_sees_the_team(client, org):
    html = home(client, org.fh_user, "ru")
    assert html.count("нет: вы первый руководитель") == 2
    assert 'data-card="manager"' in html
    assert '<p class="big-number">1</p>' in html  # the head of unit A reports to the first head
