"""The audit trail's two tables.

`AuditEvent` rows are only ever inserted: the database itself refuses UPDATE, DELETE and (outside
test flushes) TRUNCATE, see migration 0003. Because a row can never change, it cannot hold foreign
keys either: a user or a state body may be deleted one day, and the event must still say who and
where. So actor and body are plain integers plus a username snapshot.

`AuditHead` is the single row every writer locks before appending. It holds the hash and id of the
last event and the number of events, so concurrent writers queue on it instead of forking the chain,
and `verify_chain` can tell a chain that was cut short from an intact one.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

GENESIS_HASH = "0" * 64
HEAD_PK = 1


class AuditEvent(models.Model):
    ts = models.DateTimeField(default=timezone.now, editable=False)
    actor_id = models.BigIntegerField(null=True, blank=True, help_text="Django user id; not a FK on purpose.")
    actor_label = models.CharField(max_length=150, blank=True, help_text="Username at the time of the event.")
    role = models.CharField(max_length=32)
    body_id = models.BigIntegerField(null=True, blank=True, help_text="State body (tenant); not a FK on purpose.")
    object_type = models.CharField(max_length=100, blank=True, help_text='"app_label.model_name"')
    object_id = models.CharField(max_length=64, blank=True)
    action = models.CharField(max_length=100)
    from_state = models.CharField(max_length=64, blank=True)
    to_state = models.CharField(max_length=64, blank=True)
    clause = models.CharField(max_length=64, blank=True, help_text='Legal clause the change rests on, e.g. "S1-p.50".')
    payload = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["body_id", "ts"], name="audit_event_body_ts"),
            models.Index(fields=["object_type", "object_id"], name="audit_event_object"),
        ]
        verbose_name = "audit event"

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    id = models.PositiveSmallIntegerField(primary_key=True, default=HEAD_PK)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)
    last_event_id = models.BigIntegerField(null=True, blank=True)
    event_count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=HEAD_PK), name="audit_head_single_row")]
        verbose_name = "audit chain head"

    def __str__(self) -> str:
        return f"head: {self.event_count} events, last #{self.last_event_id}"
