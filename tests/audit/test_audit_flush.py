"""Test databases can still be flushed (pytest-django does it after every transactional test);
real databases cannot be wiped that way."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from bagalau.audit.dbguard import is_test_database
from bagalau.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from bagalau.audit.services import record_event
from bagalau.audit.verify import verify_chain


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_trail_of_a_test_database_and_resets_the_head(write_events):
    write_events(3)
    call_command("flush", interactive=False, verbosity=0)

    assert AuditEvent.objects.count() == 0
    head = AuditHead.objects.get()
    assert (head.last_hash, head.last_event_id, head.event_count) == (GENESIS_HASH, None, 0)
    with transaction.atomic():
        event = record_event(action="after.flush", object_type="tests.thing", object_id="1")
    assert event.prev_hash == GENESIS_HASH
    assert verify_chain().ok
    # Left non-empty on purpose: pytest-django's own flush after this test must cope as well.


def test_only_the_test_database_counts_as_one():
    assert is_test_database(connection)
    real = type(connections["default"])({**connection.settings_dict, "NAME": "bagalau_production"}, alias="real")
    assert not is_test_database(real)
