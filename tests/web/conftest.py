"""Fixtures for the web pages: a small body with a first head, a unit head and a specialist, each
linked to a login, so the role-aware pages can be looked at as each of them. The translation
catalogs are compiled first when they are missing or older than their .po files (the .mo files
are not committed)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command

from bagalau.orgs.models import Role
from tests import factories

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _stale_catalogs() -> bool:
    for po in LOCALE.glob("*/LC_MESSAGES/django.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            return True
    return False


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    if _stale_catalogs():
        call_command("compilemessages", locale=["kk", "ru"], verbosity=0,
                     ignore_patterns=[".venv/*", ".tools/*"])
        from django.utils.translation import trans_real

        # Catalogs loaded before compiling would stay cached without our strings.
        trans_real._translations = {}
        trans_real._default = None


def linked_user(servant, username: str):
    u = factories.user(username)
    servant.user = u
    servant.save(update_fields=["user"])
    return u


@pytest.fixture
def org(db, body):
    """First head FH (head of the leadership unit), unit A under nobody with head HA and
    specialist SA. SA reports to HA, HA to the first head directly (S1-p.46)."""
    start = dt.date(2020, 1, 1)
    lead = factories.unit(body, "00")
    unit_a = factories.unit(body, "A")
    fh = factories.servant(body, "Бірінші", "Басшы")
    ha = factories.servant(body, "Бөлімбасы", "Айгүл")
    sa = factories.servant(body, "Маман", "Ержан")
    factories.appoint(fh, factories.position(lead, "P-00", head=True, category="E-1"), start)
    factories.appoint(ha, factories.position(unit_a, "P-A1", head=True, category="E-3"), start)
    factories.appoint(sa, factories.position(unit_a, "P-A2", category="E-4"), start)
    body.first_head = fh
    body.save(update_fields=["first_head"])
    return SimpleNamespace(
        body=body, lead=lead, unit_a=unit_a, fh=fh, ha=ha, sa=sa,
        fh_user=linked_user(fh, "first_head"), ha_user=linked_user(ha, "unit_head"),
        sa_user=linked_user(sa, "specialist"),
    )


@pytest.fixture
def reader(db, body):
    """An auditor: may read the staff list but is not HR."""
    u = factories.user("auditor")
    factories.grant(u, body, Role.AUDITOR)
    return u
