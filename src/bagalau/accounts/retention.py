"""Retention: an evaluation cycle is kept for the years its methodology version sets
(`records.retention_years`), counted from the end of the evaluated period, and then archived.

Archiving never deletes. It records an `ArchivedCycle` (the flag and `archived_at`), audited; the
cycle, its plans, sheets and files stay and are still listed for auditors. From then on the guard
below refuses, through the ORM, any save or delete of the cycle or of a row that points at it by a
`cycle` foreign key, and any delete of an archive record. Loading a backup (raw saves) passes.

The rules core decides the date (`methodology.quarterly.retention_until`, with its clause); a
version without the parameter archives nothing and says so, rather than guessing a period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils.translation import gettext as _

from bagalau.accounts import clock
from bagalau.accounts.models import ArchivedCycle
from bagalau.audit.services import record_event
from bagalau.cycles.models import EvaluationCycle
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.quarterly import retention_until
from bagalau.methodology.versions import get_version

RETENTION_PARAMETER = "records.retention_years"
_cycle_field_cache: dict[type, Any] = {}
_ARCHIVE = EvaluationCycle._meta.get_field("archive")  # the reverse side: a cycle's ArchivedCycle


def _cycle_field(sender: type) -> Any:
    """The model's foreign key to its evaluation cycle, or None."""
    if sender not in _cycle_field_cache:
        found = None
        for field in sender._meta.concrete_fields:  # type: ignore[attr-defined]
            if field.is_relation and field.name == "cycle" and field.related_model is EvaluationCycle:
                found = field
        _cycle_field_cache[sender] = found
    return _cycle_field_cache[sender]


def _cycle_of(sender: type, instance: models.Model) -> tuple[Any, EvaluationCycle | None]:
    """(the instance's cycle id, the cycle row when it is already loaded with the instance)."""
    if sender is EvaluationCycle:
        return instance.pk, instance  # type: ignore[return-value]
    field = _cycle_field(sender)
    if field is None:
        return None, None
    cycle_id = getattr(instance, field.attname)
    cycle = field.get_cached_value(instance, None)
    return cycle_id, cycle if cycle is not None and cycle.pk == cycle_id else None


def refuse_change(sender: type, instance: models.Model, raw: bool = False, **kwargs: Any) -> None:
    """pre_save / pre_delete receiver: archived records are read-only."""
    if raw:
        return
    if sender is ArchivedCycle:
        if kwargs.get("signal") is pre_delete:
            raise ValidationError({"archive": _("An archive record is never deleted.")})
        return
    cycle_id, cycle = _cycle_of(sender, instance)
    if cycle_id is None:
        return
    archive: ArchivedCycle | None
    if cycle is not None and _ARCHIVE.is_cached(cycle):
        # Read with the instance (`select_related("cycle__archive")`, as the workflow moves lock
        # their document): no query of its own.
        archive = _ARCHIVE.get_cached_value(cycle)  # type: ignore[assignment]
    else:
        archive = ArchivedCycle.objects.filter(cycle_id=cycle_id).only("archived_at").first()
    if archive is not None:
        raise ValidationError({"cycle": _(
            "This evaluation cycle was archived on %(date)s after its retention period; its records are "
            "read-only.") % {"date": archive.archived_at.date().isoformat()}})


@dataclass(frozen=True)
class Outcome:
    cycle_id: int
    body_id: int
    version: str
    kept_until: dt.date | None
    archived: bool
    reason: str
    clause: str = ""


def _judge(cycle: EvaluationCycle) -> tuple[dt.date | None, int, str, bool, str]:
    """(kept until, years, clause, verified, reason when it cannot be decided)."""
    if not cycle.methodology_version:
        return None, 0, "", False, "no methodology version pinned (never launched)"
    try:
        version = get_version(cycle.methodology_version)
        decision = retention_until(version, cycle.period_end)
        years = int(version.value(RETENTION_PARAMETER))
    except MethodologyError as exc:
        return None, 0, "", False, f"version {cycle.methodology_version} sets no retention period: {exc}"
    return decision.value, years, decision.clause, decision.verified, ""


def archive_expired(*, today: dt.date | None = None, dry_run: bool = False, actor: Any = None) -> list[Outcome]:
    """Archive every cycle whose retention period ended before `today`. One transaction per cycle,
    each with its audit event; returns what happened to every cycle not yet archived."""
    today = today or clock.now().date()
    outcomes: list[Outcome] = []
    cycles = EvaluationCycle.objects.filter(archive__isnull=True).order_by("pk")
    for cycle in cycles.iterator():
        kept_until, years, clause, verified, reason = _judge(cycle)
        if kept_until is None:
            outcomes.append(Outcome(cycle.pk, cycle.body_id, cycle.methodology_version, None, False, reason))
            continue
        if kept_until >= today:
            outcomes.append(Outcome(cycle.pk, cycle.body_id, cycle.methodology_version, kept_until, False,
                                    "within the retention period", clause))
            continue
        if not dry_run:
            with transaction.atomic():
                archive = ArchivedCycle.objects.create(
                    cycle=cycle, body_id=cycle.body_id, archived_at=clock.now(), kept_until=kept_until,
                    retention_years=years, methodology_version=cycle.methodology_version, clause=clause,
                    verified=verified)
                record_event(action="retention.archived", obj=cycle, actor=actor,
                             role="admin" if actor else "system", body_id=cycle.body_id, clause=clause,
                             from_state=cycle.state, to_state="archived",
                             payload={"kept_until": kept_until, "retention_years": years,
                                      "version": cycle.methodology_version, "verified": verified,
                                      "archive_id": archive.pk})
        outcomes.append(Outcome(cycle.pk, cycle.body_id, cycle.methodology_version, kept_until, not dry_run,
                                "retention period over", clause))
    return outcomes


def archived_cycles(body_id: int) -> list[ArchivedCycle]:
    """The archive of a body, for auditors: every archived cycle with its retention decision."""
    return list(ArchivedCycle.objects.filter(body_id=body_id).select_related("cycle").order_by("-archived_at"))
