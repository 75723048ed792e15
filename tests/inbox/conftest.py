"""Fixtures for the inbox tests: a "document" to hang items on, people of the body, and a helper
that opens an item the way a workflow service does (inside its transaction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from bagalau.inbox.models import WorkItem
from bagalau.inbox.services import open_item
from tests import factories

TITLES = {"kk": "Бағалау парағына қол қою", "ru": "Подписать оценочный лист", "en": "Sign the evaluation sheet"}


@pytest.fixture
def doc(body):
    """Any saved row of the body stands in for a workflow document (a KPI sheet, a plan)."""
    return factories.servant(body, "Құжатов")


@pytest.fixture
def member(db, body):
    """A login linked to a servant of the body (role SERVANT there), with an e-mail address."""
    user = factories.user()
    servant = factories.servant(body, "Қызметшіов")
    servant.user = user
    servant.phone = "+77011234567"
    servant.save(update_fields=["user", "phone"])
    return user


@pytest.fixture
def open_for(body, doc) -> Callable[..., WorkItem]:
    def _open(**overrides: Any) -> WorkItem:
        kwargs: dict[str, Any] = {
            "body": body, "obj": doc, "action": "sheet.sign", "titles": TITLES, "url": "/sheets/1/",
            "due": dt.date(2024, 5, 10), "due_rule": "sheet_resubmission_due", "due_clause": "S1-p.55",
        }
        kwargs.update(overrides)
        with transaction.atomic():
            return open_item(**kwargs)

    return _open
