"""Writing the audit trail. `record_event` is the only way an event is written.

It runs inside the caller's transaction, so the event and the change it records commit or roll
back together: there is never a change without its event, nor an event for a change that did not
happen. Appending locks the single `AuditHead` row first; on PostgreSQL that is what stops two
concurrent writers from reading the same previous hash and forking the chain (locking the last
event row does not, because READ COMMITTED lets both read it). On SQLite the IMMEDIATE transaction
mode already serialises writers, and the lock is a no-op.
"""

from __future__ import annotations

from typing import Any

from django.db import connections, models, router
from django.utils import timezone

from bagalau import bulk
from bagalau.audit.hashing import compute_hash, normalise_payload
from bagalau.audit.models import HEAD_PK, AuditEvent, AuditHead

ATOMIC_RULE = (
    "audit rule: record_event() must run inside the caller's transaction.atomic(), so that the event "
    "commits or rolls back together with the change it records"
)
HEAD_MISSING = "audit head row is missing: run `manage.py migrate` (migration audit.0002 creates it)"


def object_key(obj: models.Model) -> tuple[str, str]:
    """The (object_type, object_id) an event stores for a model instance."""
    if obj.pk is None:
        raise ValueError(f"cannot audit an unsaved {obj._meta.label}: save it first so it has a primary key")
    return f"{obj._meta.app_label}.{obj._meta.model_name}", str(obj.pk)


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None, ""
    return actor.pk, actor.get_username()


def _lock_head(using: str) -> AuditHead:
    try:
        return AuditHead.objects.using(using).select_for_update().get(pk=HEAD_PK)
    except AuditHead.DoesNotExist:
        raise RuntimeError(HEAD_MISSING) from None


def _lock_head_hash(using: str) -> str:
    """`_lock_head(using).last_hash`, as one plain statement: every state change of the system
    passes here, and the ORM's query building was most of its cost."""
    with connections[using].cursor() as cur:
        cur.execute(f"SELECT last_hash FROM {AuditHead._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608
                    [HEAD_PK])
        row = cur.fetchone()
    if row is None:
        raise RuntimeError(HEAD_MISSING)
    return str(row[0])


def record_event(
    *,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    actor: Any = None,
    role: str = "system",
    body_id: int | None = None,
    from_state: str = "",
    to_state: str = "",
    clause: str = "",
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain and return it.

    `obj` (a saved model instance) fills object_type/object_id; pass those two directly for things
    that are not a single row (an import, a revoked grant). `actor` is a Django user, or None for
    the system itself. Raises RuntimeError outside transaction.atomic(), ValueError/TypeError and
    ValidationError for bad input, before anything is written.
    """
    using = router.db_for_write(AuditEvent)
    if not connections[using].in_atomic_block:
        raise RuntimeError(ATOMIC_RULE)
    if obj is not None:
        if object_type or object_id:
            raise ValueError("pass either obj or object_type/object_id to record_event(), not both")
        object_type, object_id = object_key(obj)
    actor_id, actor_label = _actor_fields(actor)
    event = AuditEvent(
        actor_id=actor_id,
        actor_label=actor_label,
        role=role,
        body_id=body_id,
        object_type=object_type,
        object_id=str(object_id),
        action=action,
        from_state=from_state,
        to_state=to_state,
        clause=clause,
        payload=normalise_payload(payload),
    )
    # Validate lengths and blanks now, so bad input fails with the field's name, not a driver error.
    event.clean_fields(exclude=["prev_hash", "hash"])

    # On PostgreSQL the head is read and moved by plain statements (`_lock_head_hash`, `_append`).
    head = None if connections[using].vendor == "postgresql" else _lock_head(using)
    prev_hash = _lock_head_hash(using) if head is None else head.last_hash
    # Stamped after the lock, so timestamps follow the order of the chain.
    event.ts = timezone.now()
    event.prev_hash = prev_hash
    event.hash = compute_hash(event)
    if head is None:
        _append(event, using)
        return event
    event.save(using=using, force_insert=True)
    head.last_hash = event.hash
    head.last_event_id = event.pk
    head.event_count += 1
    head.save(using=using, update_fields=["last_hash", "last_event_id", "event_count"])
    return event


def _append(event: AuditEvent, using: str) -> None:
    """Insert `event` and move the (locked) head onto it in one statement: every state change of
    the system appends here while holding the head's lock, so one round trip fewer under the lock
    is shorter waiting for every other writer. The head moves exactly as in the two-step path."""
    connection = connections[using]
    fields, sql = _append_statement(using)
    # Each value prepared by its field, as the ORM's insert does (the statement is the same every time).
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in fields]
    with connection.cursor() as cur:
        cur.execute(sql, [*params, event.hash, HEAD_PK])
        row = cur.fetchone()
    assert row is not None, "the audit head row is missing"
    event.pk = row[0]
    event._state.adding = False
    event._state.db = using


_APPEND_STATEMENTS: dict[str, tuple[list[Any], str]] = {}


def _append_statement(using: str) -> tuple[list[Any], str]:
    """(the fields inserted, the statement) of `_append`, built once per database alias."""
    if using not in _APPEND_STATEMENTS:
        meta = AuditEvent._meta
        assert meta.pk is not None
        fields = [f for f in meta.concrete_fields if not f.primary_key]
        quote = connections[using].ops.quote_name
        columns = ", ".join(quote(str(f.column)) for f in fields)
        placeholders = ", ".join(["%s"] * len(fields))
        pk = quote(str(meta.pk.column))
        _APPEND_STATEMENTS[using] = (fields, (
            f"WITH appended AS (INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders}) "  # noqa: S608
            f"RETURNING {pk}) UPDATE {quote(AuditHead._meta.db_table)} "
            f"SET last_hash = %s, last_event_id = (SELECT {pk} FROM appended), "
            f"event_count = event_count + 1 WHERE id = %s RETURNING last_event_id"))
    return _APPEND_STATEMENTS[using]


def record_events(events: list[dict[str, Any]]) -> list[AuditEvent]:
    """Append many events at once, in the given order: each dict holds `record_event`'s keyword
    arguments. The same checks and the same chain as one call per event, with the head locked
    once and the rows inserted in bulk (a cycle launch opens thousands of documents at a time).
    On a backend that cannot return the new ids (none that the project supports), it falls back
    to one insert per event."""
    if not events:
        return []
    using = router.db_for_write(AuditEvent)
    if not connections[using].in_atomic_block:
        raise RuntimeError(ATOMIC_RULE)
    rows = []
    for spec in events:
        spec = dict(spec)
        obj = spec.pop("obj", None)
        object_type, object_id = spec.pop("object_type", ""), spec.pop("object_id", "")
        if obj is not None:
            if object_type or object_id:
                raise ValueError("pass either obj or object_type/object_id to record_events(), not both")
            object_type, object_id = object_key(obj)
        actor_id, actor_label = _actor_fields(spec.pop("actor", None))
        payload = normalise_payload(spec.pop("payload", None))
        event = AuditEvent(actor_id=actor_id, actor_label=actor_label, object_type=object_type,
                           object_id=str(object_id), payload=payload, **{"role": "system", **spec})
        event.clean_fields(exclude=["prev_hash", "hash"])
        rows.append(event)
    head = _lock_head(using)
    prev = head.last_hash
    for event in rows:
        event.ts = timezone.now()
        event.prev_hash = prev
        event.hash = prev = compute_hash(event)
    if connections[using].features.can_return_rows_from_bulk_insert:
        bulk.insert(AuditEvent, rows)
    else:
        for event in rows:
            event.save(using=using, force_insert=True)
    head.last_hash = prev
    head.last_event_id = rows[-1].pk
    head.event_count += len(rows)
    head.save(using=using, update_fields=["last_hash", "last_event_id", "event_count"])
    return rows
