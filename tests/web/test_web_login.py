"""Login page, language switch and logout: the page every user meets first, in kk and ru."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def test_login_page_is_kazakh_by_default(client):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="kk">' in html
    assert "Кіру" in html  # "Log in"
    assert "Пайдаланушы аты" in html  # the username label, from our kk catalog


def test_login_page_in_russian_by_accept_language(client):
    response = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru">' in html
    assert "Войти" in html


def test_login_page_in_russian_by_language_cookie(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    html = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert '<html lang="ru">' in html


def test_login_page_offers_every_language_through_set_language(client):
    html = client.get(reverse("web:login")).content.decode()
    assert f'action="{reverse("set_language")}"' in html
    for code in ("kk", "ru", "en"):
        assert f'name="language" value="{code}"' in html
    assert 'name="next" value="/login/"' in html


def test_language_switch_sets_the_cookie_and_returns_to_next(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    html = client.get("/login/").content.decode()
    assert "Войти" in html and '<html lang="ru">' in html


def test_wrong_password_gets_a_kazakh_message_not_a_500(client):
    factories.user("aigul")
    response = client.post(reverse("web:login"), {"username": "aigul", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct" not in html
    assert "пайдаланушы аты мен құпия сөзді" in html


def test_login_then_home(client):
    factories.user("aigul")
    response = client.post(reverse("web:login"), {"username": "aigul", "password": "pass-Word-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")


def test_home_needs_login(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next=/"


def test_logout_is_post_only(client, hr):
    client.force_login(hr)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 302
