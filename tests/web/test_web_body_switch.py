"""The body switcher: only bodies where the user holds a role, stored in the session."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bagalau.orgs.middleware import SESSION_KEY
from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("web:switch_body")


@pytest.fixture
def two_body_hr(body, other_body):
    u = factories.user("two_bodies")
    factories.grant(u, body)
    factories.grant(u, other_body)
    return u


def test_switcher_is_shown_with_both_bodies(client, two_body_hr, body, other_body):
    client.force_login(two_body_hr)
    html = client.get(reverse("web:home")).content.decode()
    assert 'id="body-switch-select"' in html
    assert html.count("<option ") == 2 and html.count(" selected>") == 1
    for b in (body, other_body):
        assert f'<option value="{b.pk}"' in html and b.name_kk in html


@pytest.mark.parametrize("target", ["body", "other_body"])
def test_switch_stores_the_body_and_the_header_follows(client, two_body_hr, request, target):
    chosen = request.getfixturevalue(target)
    client.force_login(two_body_hr)
    response = client.post(URL, {"body": chosen.pk, "next": reverse("web:staff")})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:staff")
    assert client.session[SESSION_KEY] == chosen.pk
    html = client.get(reverse("web:home")).content.decode()
    assert f'<option value="{chosen.pk}" selected>' in html
    assert f'<span class="body-name">{chosen.name_kk}</span>' in html


def test_a_body_without_a_role_is_refused_and_nothing_changes(client, hr, body, other_body):
    client.force_login(hr)
    response = client.post(URL, {"body": other_body.pk})
    assert response.status_code == 404
    assert SESSION_KEY not in client.session
    html = client.get(reverse("web:home")).content.decode()
    assert other_body.name_kk not in html


@pytest.mark.parametrize("value", ["", "abc", "1.5", "²", "-1"])
def test_malformed_id_is_a_400_naming_the_field(client, hr, value):
    client.force_login(hr)
    response = client.post(URL, {"body": value})
    assert response.status_code == 400
    assert "«мемлекеттік орган»" in response.content.decode()


def test_unknown_id_is_404(client, hr):
    client.force_login(hr)
    assert client.post(URL, {"body": 987654321}).status_code == 404


def test_get_is_not_allowed(client, hr):
    client.force_login(hr)
    assert client.get(URL).status_code == 405


def test_an_outside_next_goes_home(client, two_body_hr, other_body):
    client.force_login(two_body_hr)
    response = client.post(URL, {"body": other_body.pk, "next": "https://evil.example/"})
    assert response["Location"] == reverse("web:home")
