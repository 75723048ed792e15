"""Login throttling: failures counted in the database per username and per address, a lockout
that says when to retry, the same lock at the admin's door, and an audit trail with no password."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from bagalau.accounts.models import LoginFailure
from bagalau.audit.models import AuditEvent
from tests import factories
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

WRONG = "wrong-secret-guess"


def _actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_five_failures_lock_the_username_and_say_when_to_retry(client, now, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 5
    settings.BAGALAU_LOGIN_LOCKOUT_SECONDS = 900
    factories.user("aigul")
    for _ in range(4):
        response = sign_in(client, "aigul", WRONG)
        assert response.status_code == 200 and "Sign-in is locked" not in response.content.decode()
    response = sign_in(client, "aigul", WRONG)
    assert "Sign-in is locked; try again after" in response.content.decode()
    # The right password is refused too while the lock lasts, and nobody is signed in.
    response = sign_in(client, "aigul", PASSWORD)
    assert response.status_code == 200 and "Sign-in is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert _actions() == ["auth.login_failed"] * 5 + ["auth.locked_out"]
    assert LoginFailure.objects.filter(username="aigul").count() == 5  # the refused try is not counted


def test_the_lock_ends_after_the_lockout_and_a_sign_in_clears_the_count(client, now, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 3
    settings.BAGALAU_LOGIN_LOCKOUT_SECONDS = 600
    user = factories.user("aigul")
    for _ in range(3):
        sign_in(client, "AIGUL", WRONG)  # case does not dodge the count
    now.advance(seconds=599)
    assert "Sign-in is locked" in sign_in(client, "aigul", PASSWORD).content.decode()
    now.advance(seconds=2)
    response = sign_in(client, "aigul", PASSWORD)
    assert response.status_code == 302 and int(client.session["_auth_user_id"]) == user.pk
    assert not LoginFailure.objects.filter(username="aigul").exists()
    login = AuditEvent.objects.get(action="auth.login")
    assert (login.actor_id, login.object_type, login.object_id) == (user.pk, "auth.user", str(user.pk))


def test_many_usernames_from_one_address_lock_the_address(client, now, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 100
    settings.BAGALAU_LOGIN_FAILURES_PER_IP = 3
    factories.user("victim")
    for name in ("a1", "a2", "a3"):
        sign_in(client, name, WRONG, REMOTE_ADDR="10.0.0.7")
    assert "Sign-in is locked" in sign_in(client, "victim", PASSWORD, REMOTE_ADDR="10.0.0.7").content.decode()
    # Another address is not locked.
    assert sign_in(client, "victim", PASSWORD, REMOTE_ADDR="10.0.0.8").status_code == 302
    locked = AuditEvent.objects.get(action="auth.locked_out")
    assert locked.payload["scope"] == "address" and locked.payload["ip"] == "10.0.0.7"


def test_the_admin_login_shares_the_lock(client, now, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 2
    factories.user("boss", superuser=True)
    for _ in range(2):
        sign_in(client, "boss", WRONG)
    response = client.post(reverse("admin:login"), {"username": "boss", "password": PASSWORD,
                                                    "next": "/admin/"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_no_password_reaches_the_audit_trail(client, now):
    factories.user("aigul")
    sign_in(client, "aigul", WRONG)
    sign_in(client, "nobody", "another-Secret-99")
    sign_in(client, "aigul", PASSWORD)
    client.post(reverse("web:logout"))
    assert _actions() == ["auth.login_failed", "auth.login_failed", "auth.login", "auth.logout"]
    dump = json.dumps(list(AuditEvent.objects.values("payload", "actor_label", "object_id")))
    assert WRONG not in dump and "another-Secret-99" not in dump and PASSWORD not in dump
    failed = AuditEvent.objects.filter(action="auth.login_failed").order_by("id").last()
    assert failed.payload == {"username": "nobody", "ip": "127.0.0.1", "kind": "password"}


def test_failures_outside_the_window_do_not_count(client, now, settings):
    settings.BAGALAU_LOGIN_FAILURES_PER_USERNAME = 3
    settings.BAGALAU_LOGIN_WINDOW_SECONDS = 300
    factories.user("aigul")
    sign_in(client, "aigul", WRONG)
    sign_in(client, "aigul", WRONG)
    now.advance(seconds=301)
    sign_in(client, "aigul", WRONG)
    assert sign_in(client, "aigul", PASSWORD).status_code == 302
