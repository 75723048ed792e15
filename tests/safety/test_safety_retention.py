"""Retention: a cycle is archived after its version's `records.retention_years` from the end of
the evaluated period, never deleted, audited with the clause; archived records refuse changes; a
version without the parameter archives nothing and says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bagalau.accounts.models import ArchivedCycle
from bagalau.accounts.retention import archive_expired, archived_cycles
from bagalau.audit.models import AuditEvent
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, Participant
from bagalau.cycles.services._base import lock
from tests.cycles import flow


@pytest.fixture
def cycle(org, hr, clock):
    launched = flow.launch(org, hr, clock)
    assert launched.methodology_version
    return launched


def _pin(cycle: EvaluationCycle, version: str) -> None:
    EvaluationCycle.objects.filter(pk=cycle.pk).update(methodology_version=version)


def test_archived_after_the_retention_years_never_before(cycle):
    _pin(cycle, "typical-g2023")  # records.retention_years = 3 (unverified)
    kept_until = dt.date(cycle.period_end.year + 3, cycle.period_end.month, cycle.period_end.day)
    outcome = archive_expired(today=kept_until)[0]
    assert not outcome.archived and outcome.kept_until == kept_until
    assert not ArchivedCycle.objects.exists()
    outcome = archive_expired(today=kept_until + dt.timedelta(days=1))[0]
    assert outcome.archived and outcome.clause == "G23-main-text"
    archive = ArchivedCycle.objects.get()
    assert (archive.kept_until, archive.retention_years, archive.verified) == (kept_until, 3, False)
    event = AuditEvent.objects.get(action="retention.archived")
    assert (event.object_id, event.to_state, event.clause) == (str(cycle.pk), "archived", "G23-main-text")
    # Nothing was deleted, and the auditors' list shows it.
    assert EvaluationCycle.objects.filter(pk=cycle.pk).exists() and Participant.objects.filter(cycle=cycle).exists()
    assert [a.cycle_id for a in archived_cycles(cycle.body_id)] == [cycle.pk]
    # A second run does not archive twice.
    assert archive_expired(today=kept_until + dt.timedelta(days=400)) == []


def test_archived_records_are_read_only(cycle):
    _pin(cycle, "typical-g2023")
    archive_expired(today=dt.date(2040, 1, 1))
    cycle.refresh_from_db()
    with pytest.raises(ValidationError, match="read-only"):
        cycle.save()
    participant = Participant.objects.filter(cycle=cycle).first()
    with pytest.raises(ValidationError, match="read-only"):
        participant.save()
    # A delete signals inside Django's own transaction: each attempt gets its savepoint here.
    with pytest.raises(ValidationError, match="read-only"), transaction.atomic():
        participant.delete()
    with pytest.raises(ValidationError, match="never deleted"), transaction.atomic():
        ArchivedCycle.objects.get().delete()
    assert Participant.objects.filter(pk=participant.pk).exists() and ArchivedCycle.objects.exists()


def test_a_version_without_a_retention_period_archives_nothing(cycle, capsys):
    _pin(cycle, "koksu-3-24")
    outcome = archive_expired(today=dt.date(2060, 1, 1))[0]
    assert not outcome.archived and "sets no retention period" in outcome.reason
    call_command("archive_expired", today="2060-01-01")
    assert "not archived" in capsys.readouterr().out
    assert not ArchivedCycle.objects.exists()


def test_the_command_dry_run_changes_nothing(cycle, capsys):
    _pin(cycle, "typical-g2023")
    call_command("archive_expired", "--dry-run", today="2040-01-01")
    assert "would archive" in capsys.readouterr().out and not ArchivedCycle.objects.exists()
    call_command("archive_expired", today="2040-01-01")
    assert "1 cycle(s) archived" in capsys.readouterr().out and ArchivedCycle.objects.count() == 1


def test_a_workflow_move_checks_the_archive_it_locked_the_document_with(cycle):
    """A plan or sheet is locked with its cycle's archive record (`select_related`), and the guard
    decides from that row instead of asking again: no archive query on a live cycle's save, and
    the same refusal as ever once the cycle is archived."""
    plan = IndividualWorkPlan.objects.filter(cycle=cycle).first()
    assert plan is not None

    def save_locked() -> list[str]:
        with transaction.atomic():
            doc = lock(IndividualWorkPlan, cycle.body, plan.pk)
            with CaptureQueriesContext(connection) as queries:
                doc.save()
        return [q["sql"] for q in queries.captured_queries]

    live = save_locked()
    assert live and not any("accounts_archivedcycle" in sql for sql in live), live
    _pin(cycle, "typical-g2023")
    archive_expired(today=dt.date(2040, 1, 1))
    with pytest.raises(ValidationError, match="read-only"):
        save_locked()
    # Read without its archive, the same document still asks, and is refused.
    loose = IndividualWorkPlan.objects.get(pk=plan.pk)
    with pytest.raises(ValidationError, match="read-only"):
        loose.save()
