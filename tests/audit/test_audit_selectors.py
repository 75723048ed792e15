"""Reading the trail: per body (a tenant sees only its own), per object."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from bagalau.audit.selectors import events_for_body, events_for_object
from bagalau.audit.services import record_event

pytestmark = pytest.mark.django_db


def test_events_for_body_pages_newest_first_and_only_that_body(write_events):
    ours = write_events(5, body_id=1)
    write_events(2, body_id=2)
    newest_first = [e.pk for e in reversed(ours)]
    assert [e.pk for e in events_for_body(1, limit=2)] == newest_first[:2]
    assert [e.pk for e in events_for_body(1, limit=2, offset=2)] == newest_first[2:4]
    assert [e.pk for e in events_for_body(1, limit=50)] == newest_first
    assert list(events_for_body(3)) == []


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (501, 0), (10, -1)])
def test_events_for_body_refuses_bad_paging(limit, offset):
    with pytest.raises(ValueError):
        events_for_body(1, limit=limit, offset=offset)


def test_events_for_object_is_its_history_oldest_first(write_events):
    users = get_user_model().objects
    alma, bolat = users.create_user("alma"), users.create_user("bolat")
    with transaction.atomic():
        first = record_event(action="user.create", obj=alma)
        record_event(action="user.create", obj=bolat)
        second = record_event(action="user.rename", obj=alma)
    write_events(1, object_type="auth.user", object_id=str(alma.pk + bolat.pk + 100))
    assert [e.pk for e in events_for_object(alma)] == [first.pk, second.pk]
