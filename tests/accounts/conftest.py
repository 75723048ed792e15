"""Fixtures for sign-in security: a movable clock for the accounts (lockouts, sessions, TOTP
steps), English messages, and sign-in through the real login page (a WSGI request, as a browser
would), never force_login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from bagalau.accounts import clock as accounts_clock

PASSWORD = "pass-Word-123"


class MovableClock:
    def __init__(self, start: dt.datetime) -> None:
        self.at = start

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def now(monkeypatch):
    fake = MovableClock(dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC))
    monkeypatch.setattr(accounts_clock, "now", fake.now)
    return fake


@pytest.fixture(autouse=True)
def english(client):
    # The messages asserted here are the English msgids: the code's language and the pages' (by
    # the Accept-Language header the locale middleware reads), whatever the catalogs hold.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


def sign_in(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("web:login"), {"username": username, "password": password}, **extra)
