"""`manage.py load_demo` and `manage.py demo_logins`, as `./dev.sh run` calls them."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import translation

from bagalau.orgs.demo import DEMO_PASSWORD, LOGINS
from bagalau.orgs.models import Servant, StateBody


def _run(*args: str) -> str:
    out = io.StringIO()
    with translation.override("en"):
        call_command(*args, stdout=out)
    return out.getvalue()


def test_demo_logins_without_demo_prints_a_hint(db):
    out = _run("demo_logins")
    assert "load_demo" in out
    assert DEMO_PASSWORD not in out


def test_load_demo_then_again_says_already_loaded(db):
    first = _run("load_demo")
    assert "Demo loaded" in first
    servants = Servant.objects.count()
    second = _run("load_demo")
    assert "already loaded" in second
    assert Servant.objects.count() == servants
    assert StateBody.objects.count() == 2


def test_demo_logins_prints_every_username_and_the_password(db):
    _run("load_demo")
    out = _run("demo_logins")
    lines = out.splitlines()
    for spec in LOGINS:
        assert any(line.split("|")[0].strip() == spec.username for line in lines), spec.username
    assert DEMO_PASSWORD in out
    row = next(line for line in lines if line.split("|")[0].strip() == "reviewer")
    assert "Appeal reviewer" in row


def test_load_demo_fails_cleanly_when_a_demo_login_is_taken(db):
    get_user_model().objects.create_user("admin", "admin@example.kz", "pw-not-the-demo-one")
    with pytest.raises(CommandError, match="admin"):
        _run("load_demo")
    assert not StateBody.objects.exists()
