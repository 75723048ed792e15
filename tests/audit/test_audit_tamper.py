"""Tampering that gets past the triggers (someone with the owner's rights) is still found, and the
report names the first damaged event and what kind of damage it is."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bagalau.audit.hashing import compute_hash
from bagalau.audit.models import AuditEvent
from bagalau.audit.verify import BROKEN_LINK, HASH_MISMATCH, HEAD_MISMATCH, verify_chain
from tests.audit.conftest import triggers_bypassed

pytestmark = pytest.mark.django_db


def _command_failure(*args: str) -> tuple[str, str]:
    out = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("audit_verify", *args, stdout=out)
    return out.getvalue(), str(excinfo.value)


def test_edited_payload_is_a_hash_mismatch_at_that_event(write_events):
    events = write_events(4)
    target = events[2]
    with triggers_bypassed():
        AuditEvent.objects.filter(pk=target.pk).update(payload={"step": 99})

    result = verify_chain()
    assert (result.ok, result.first_broken_id, result.checked) == (False, target.pk, 2)
    assert result.reason.startswith(HASH_MISMATCH)

    _out, message = _command_failure()
    assert f"broken at event {target.pk} " in message
    assert HASH_MISMATCH in message
    out, _message = _command_failure("--json")
    report = json.loads(out)
    assert (report["ok"], report["first_broken_id"], report["checked"]) == (False, target.pk, 2)


def test_edited_prev_hash_is_a_broken_link(write_events):
    events = write_events(3)
    target = events[1]
    with triggers_bypassed():
        AuditEvent.objects.filter(pk=target.pk).update(prev_hash="f" * 64)

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, target.pk)
    assert result.reason.startswith(BROKEN_LINK)
    _out, message = _command_failure()
    assert f"broken at event {target.pk} " in message
    assert BROKEN_LINK in message


def test_rehashed_edit_breaks_the_link_of_the_next_event(write_events):
    """A forger who recomputes the edited event's hash still cannot fix its successor's prev_hash."""
    events = write_events(3)
    forged = AuditEvent.objects.get(pk=events[0].pk)
    forged.payload = {"step": 42}
    with triggers_bypassed():
        AuditEvent.objects.filter(pk=forged.pk).update(payload=forged.payload, hash=compute_hash(forged))

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, events[1].pk)
    assert result.reason.startswith(BROKEN_LINK)


def test_removed_last_event_is_a_head_mismatch(write_events):
    events = write_events(3)
    with triggers_bypassed():
        AuditEvent.objects.filter(pk=events[-1].pk).delete()

    result = verify_chain()
    assert (result.ok, result.checked, result.first_broken_id) == (False, 2, events[1].pk)
    assert result.reason.startswith(HEAD_MISMATCH)


def test_event_appended_without_record_event_is_a_head_mismatch(write_events):
    """INSERT is allowed, so a well-formed event can be slipped in at the end; the head was not
    moved, and that is what gives it away."""
    last = write_events(2)[-1]
    forged = AuditEvent(role="hr", action="appeal.withdraw", object_type="outcomes.appeal", object_id="5",
                        prev_hash=last.hash)
    forged.hash = compute_hash(forged)
    forged.save(force_insert=True)

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, forged.pk)
    assert result.reason.startswith(HEAD_MISMATCH)
