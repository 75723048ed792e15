"""record_event: what an event holds, how it chains, and that it lives and dies with its transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from bagalau.audit.hashing import compute_hash
from bagalau.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from bagalau.audit.services import ATOMIC_RULE, record_event
from bagalau.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def test_event_takes_object_and_actor_from_the_instances():
    user = get_user_model().objects.create_user("aigerim")
    with transaction.atomic():
        event = record_event(action="servant.create", obj=user, actor=user, role="hr", body_id=7,
                             to_state="active", clause="S1-p.50", payload={"unit": "HR"})
    event.refresh_from_db()
    assert (event.object_type, event.object_id) == ("auth.user", str(user.pk))
    assert (event.actor_id, event.actor_label, event.role, event.body_id) == (user.pk, "aigerim", "hr", 7)
    assert (event.from_state, event.to_state, event.clause) == ("", "active", "S1-p.50")
    assert event.prev_hash == GENESIS_HASH
    assert event.hash == compute_hash(event)
    assert len(event.hash) == 64


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["system", "anonymous"])
def test_event_without_a_signed_in_actor_is_the_systems(actor):
    with transaction.atomic():
        event = record_event(action="import.staff", object_type="orgs.import", object_id="batch-1", actor=actor)
    assert (event.actor_id, event.actor_label, event.role) == (None, "", "system")


def test_each_event_links_to_the_previous_and_moves_the_head(write_events):
    first, second, third = write_events(3)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = AuditHead.objects.get()
    assert (head.last_hash, head.last_event_id, head.event_count) == (third.hash, third.pk, 3)
    assert verify_chain().ok


def test_payload_is_stored_as_the_json_that_was_hashed():
    """Dates, Decimals, UUIDs and floats must hash the same after a round trip through the database
    (PostgreSQL's jsonb rewrites 1e20 as an integer, for example)."""
    key = uuid.UUID("12345678-1234-5678-1234-567812345678")
    payload = {
        "on": dt.date(2026, 3, 21),
        "at": dt.datetime(2026, 3, 21, 9, 30, tzinfo=dt.UTC),
        "score": Decimal("87.50"),
        "id": key,
        "weights": [0.1, 2.0, 1e20, -0.0],
        "name": "Бағалау",
    }
    with transaction.atomic():
        event = record_event(action="kpi.score", object_type="cycles.kpisheet", object_id="1", payload=payload)
    event.refresh_from_db()
    assert event.payload["on"] == "2026-03-21"
    assert event.payload["score"] == "87.50"
    assert event.payload["id"] == str(key)
    assert event.payload["name"] == "Бағалау"
    assert compute_hash(event) == event.hash
    assert verify_chain().ok


def test_rolled_back_change_leaves_no_event_and_no_head_move(write_events):
    write_events(1)
    head_before = AuditHead.objects.values().get()

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        record_event(action="servant.create", object_type="orgs.servant", object_id="9")
        raise Refused
    assert AuditEvent.objects.count() == 1
    assert AuditHead.objects.values().get() == head_before
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_outside_atomic_is_refused_and_writes_nothing():
    with pytest.raises(RuntimeError, match="transaction.atomic") as excinfo:
        record_event(action="servant.create", object_type="orgs.servant", object_id="1")
    assert str(excinfo.value) == ATOMIC_RULE
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"object_type": "orgs.servant", "object_id": "1", "obj": "USER"}, ValueError),
        ({"obj": "UNSAVED"}, ValueError),
        ({"payload": ["not", "a", "dict"]}, TypeError),
        ({"payload": {"score": float("nan")}}, ValueError),
        ({"payload": {"blob": object()}}, TypeError),
        ({"action": "x" * 101}, ValidationError),
        ({"action": ""}, ValidationError),
    ],
    ids=["obj-and-type", "unsaved-obj", "list-payload", "nan", "unserialisable", "long-action", "no-action"],
)
def test_bad_input_is_refused_before_writing(kwargs, error):
    user_model = get_user_model()
    objects = {"USER": user_model.objects.create_user("bek"), "UNSAVED": user_model(username="new")}
    if "obj" in kwargs:
        kwargs = {**kwargs, "obj": objects[kwargs["obj"]]}
    kwargs = {"action": "servant.create", **kwargs}
    with pytest.raises(error), transaction.atomic():
        record_event(**kwargs)
    assert AuditEvent.objects.count() == 0
    assert AuditHead.objects.get().event_count == 0
