"""The staff list: tenant isolation, role check, search, pagination and a query count that does
not grow with the number of servants."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("web:staff")


def staffed(body, n: int, last_name: str = "Сапаров"):
    unit = factories.unit(body, f"U{body.pk}")
    for i in range(n):
        s = factories.servant(body, last_name, "Нұрлан")
        factories.appoint(s, factories.position(unit, f"S{body.pk}-{i}", head=(i == 0), category="E-5"))
    return unit


def test_hr_sees_own_servants_with_position_unit_category_and_head_flag(client, hr, body):
    staffed(body, 3)
    client.force_login(hr)
    html = client.get(URL).content.decode()
    assert html.count("Сапаров") == 3
    assert "Лауазым S" in html and f"Бөлім U{body.pk}" in html
    assert "E-5" in html
    assert html.count('class="badge"') == 1  # one head of unit


def test_russian_names_of_positions_and_units_under_ru(client, hr, body):
    staffed(body, 1)
    client.force_login(hr)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Должность S" in html and f"Отдел U{body.pk}" in html


def test_another_bodys_servant_never_appears(client, hr, body, other_body):
    staffed(body, 2)
    stranger = factories.servant(other_body, "Бөтенов", "Қайрат")
    client.force_login(hr)
    html = client.get(URL).content.decode()
    assert "Бөтенов" not in html
    found = client.get(URL, {"q": stranger.last_name}).content.decode()
    assert stranger.full_name not in found and "Қайрат" not in found
    assert "<tbody>" not in found
    assert "табылмады" in found  # the kk "nobody found" empty state


def test_search_by_name_in_any_case(client, hr, body):
    staffed(body, 2)
    target = factories.servant(body, "Әбдірахманова", "Гүлнар")
    client.force_login(hr)
    for q in ("әбдірахман", "ӘБДІРАХМАН", "Гүлнар әбдірахманова"):
        html = client.get(URL, {"q": q}).content.decode()
        assert target.full_name in html, q
        assert "Сапаров" not in html, q


def test_plain_servant_gets_403_naming_the_roles(client, org):
    client.force_login(org.sa_user)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Персоналды басқару қызметі" in response.content.decode()  # the roles that may


def test_user_without_a_body_gets_403_not_500(client):
    client.force_login(factories.user("nobody"))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


def test_pages_of_25(client, hr, body):
    staffed(body, 30)
    client.force_login(hr)
    first = client.get(URL).content.decode()
    assert first.count("Сапаров") == 25
    second = client.get(URL, {"page": 2}).content.decode()
    assert second.count("Сапаров") == 5
    assert client.get(URL, {"page": "x"}).status_code == 200
    assert client.get(URL, {"page": 99}).content.decode().count("Сапаров") == 5


def test_an_overlong_search_is_a_400_naming_the_field(client, hr):
    client.force_login(hr)
    response = client.get(URL, {"q": "а" * 101})
    assert response.status_code == 400
    assert "«іздеу»" in response.content.decode()


def test_a_nul_character_in_the_search_is_a_400_not_a_500(client, hr):
    # PostgreSQL refuses NUL bytes in text; the page must answer before the query reaches it.
    client.force_login(hr)
    response = client.get(URL, {"q": "a\x00b"})
    assert response.status_code == 400


def test_htmx_search_returns_only_the_results_fragment(client, hr, body):
    staffed(body, 2)
    client.force_login(hr)
    response = client.get(URL, {"q": "Сапаров"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="staff-results"')
    assert "<html" not in html


def test_htmx_history_restore_gets_the_whole_page(client, hr, body):
    staffed(body, 1)
    client.force_login(hr)
    response = client.get(URL, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_staff(client, hr, body, other_body, other_hr,
                                                  django_assert_max_num_queries):
    staffed(body, 5)
    staffed(other_body, 60)
    client.force_login(hr)
    small = _count_queries(client, URL)
    client.force_login(other_hr)
    large = _count_queries(client, URL)
    assert small == large
    with django_assert_max_num_queries(20):
        client.get(URL, {"q": "Сапаров", "page": 2})
