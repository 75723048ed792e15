"""manage.py audit_verify on an intact chain."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("audit_verify", *args, stdout=out)
    return out.getvalue()


def test_intact_chain_prints_the_count(write_events):
    write_events(3)
    assert _run().strip() == "audit chain intact: 3 events"


def test_empty_chain_is_intact():
    assert _run().strip() == "audit chain intact: 0 events"


def test_json_prints_one_object(write_events):
    write_events(2)
    assert json.loads(_run("--json")) == {"ok": True, "checked": 2, "first_broken_id": None, "reason": ""}
