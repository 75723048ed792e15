"""Recomputing the chain: does the trail still say what was written?

Three kinds of damage are told apart, because they mean different things to an investigator:

* hash mismatch: an event's fields no longer give its stored hash (the event was edited);
* broken link: an event's prev_hash is not the hash of the event before it (an event was
  removed or inserted before it, or its prev_hash was edited);
* head mismatch: the chain is intact but does not end where the head row says it ends (events
  were cut off the end, or appended without going through record_event).

The walk reads events in id order, which is chain order because ids are drawn while the head is
locked. Writers may commit while it runs; the head is read after the events, so it is never older
than what was walked, and if it is newer the walk simply continues until it catches up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import router

from bagalau.audit.hashing import compute_hash
from bagalau.audit.models import GENESIS_HASH, HEAD_PK, AuditEvent, AuditHead

HASH_MISMATCH = "hash mismatch"
BROKEN_LINK = "broken link"
HEAD_MISMATCH = "head mismatch"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_broken_id: int | None
    reason: str


@dataclass
class _Walk:
    prev_hash: str = GENESIS_HASH
    last_id: int | None = None
    checked: int = 0


def _walk(walk: _Walk, using: str) -> VerifyResult | None:
    """Check the events after walk.last_id; return a failure, or None and advance `walk`."""
    events = AuditEvent.objects.using(using).order_by("id")
    if walk.last_id is not None:
        events = events.filter(id__gt=walk.last_id)
    for event in events.iterator(chunk_size=2000):
        if event.prev_hash != walk.prev_hash:
            after = f"event {walk.last_id}" if walk.last_id is not None else "the genesis hash"
            return VerifyResult(False, walk.checked, event.pk,
                                f"{BROKEN_LINK}: prev_hash {event.prev_hash} does not match {after} ({walk.prev_hash})")
        recomputed = compute_hash(event)
        if recomputed != event.hash:
            return VerifyResult(False, walk.checked, event.pk,
                                f"{HASH_MISMATCH}: stored {event.hash}, recomputed {recomputed}")
        walk.prev_hash, walk.last_id = event.hash, event.pk
        walk.checked += 1
    return None


def _check_head(head: AuditHead | None, walk: _Walk) -> VerifyResult:
    expected = (GENESIS_HASH, None, 0) if head is None else (head.last_hash, head.last_event_id, head.event_count)
    found = (walk.prev_hash, walk.last_id, walk.checked)
    if expected != found:
        return VerifyResult(False, walk.checked, walk.last_id,
                            f"{HEAD_MISMATCH}: head says (hash, last id, count) = {expected}, chain ends at {found}")
    return VerifyResult(True, walk.checked, None, "")


def verify_chain(*, using: str | None = None) -> VerifyResult:
    """Recompute every hash in id order and check the links and the head."""
    using = using or router.db_for_read(AuditEvent)
    walk = _Walk()
    while True:
        seen = walk.last_id
        failure = _walk(walk, using)
        if failure is not None:
            return failure
        head = AuditHead.objects.using(using).filter(pk=HEAD_PK).first()
        head_ahead = head is not None and head.last_event_id is not None and head.last_event_id > (walk.last_id or 0)
        # Keep walking only while writers are adding events; a head that points past events that
        # do not exist is reported below, not waited for.
        if not head_ahead or walk.last_id == seen:
            return _check_head(head, walk)
