"""The canonical form an event is hashed in.

The hash must come out the same when it is recomputed years later from what the database returns,
on SQLite or on PostgreSQL. Three things would otherwise drift:

* the timestamp: it is hashed as UTC ISO 8601 with microseconds, whatever zone it was read in;
* the payload: it is normalised through DjangoJSONEncoder *before* it is stored, so dates,
  Decimals and UUIDs are stored as the very strings that were hashed;
* floats: PostgreSQL's jsonb keeps numbers as `numeric` and gives 1e20 back as the integer
  100000000000000000000 and -0.0 as 0, so an integral float is hashed as the integer it equals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING, Any

from django.core.serializers.json import DjangoJSONEncoder

if TYPE_CHECKING:
    from bagalau.audit.models import AuditEvent


def normalise_payload(payload: dict[str, Any] | None) -> dict[str, Any]:
    """Return payload as plain JSON values, ready to store and hash. NaN and infinities are refused
    because neither JSON nor jsonb can hold them."""
    if payload is None:
        return {}
    if not isinstance(payload, dict):
        raise TypeError(f"audit payload must be a dict, not {type(payload).__name__}")
    try:
        return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, allow_nan=False))
    except ValueError as exc:
        raise ValueError(f"audit payload is not JSON-serialisable: {exc}") from exc


def _stable_numbers(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _stable_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stable_numbers(item) for item in value]
    return value


def canonical_ts(ts: dt.datetime) -> str:
    if ts.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return ts.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical_json(value: Any) -> str:
    return json.dumps(
        _stable_numbers(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def compute_hash(event: AuditEvent) -> str:
    """sha256 of the event's fields in a fixed order, starting with the previous event's hash."""
    fields = [
        event.prev_hash,
        canonical_ts(event.ts),
        event.actor_id,
        event.actor_label,
        event.role,
        event.body_id,
        event.object_type,
        event.object_id,
        event.action,
        event.from_state,
        event.to_state,
        event.clause,
        event.payload,
    ]
    return hashlib.sha256(canonical_json(fields).encode("utf-8")).hexdigest()
