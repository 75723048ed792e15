"""Backup and restore, round trip: a database with an evaluation cycle, an evidence file and an
audit trail is backed up, restored into an empty database, and comes back identical, with the
audit chain verifying (`audit_verify`) and every file matching its hash. A damaged archive, a
non-empty target or a file that no longer matches its stored hash is refused, writing nothing."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from bagalau.accounts.safety.backup import create_backup
from bagalau.accounts.safety.restore import RestoreCheckFailed, RestoreError, restore_backup
from bagalau.accounts.safety.serial import data_models
from bagalau.audit.models import AuditEvent
from bagalau.cycles import services
from bagalau.cycles.models import EvidenceFile
from tests.cycles import flow

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Each case migrates a fresh target database: minutes on PostgreSQL, so the suite runs in the
# slow step of CI (`./dev.sh test -m slow`), not in the default run.
pytestmark = pytest.mark.slow


@pytest.fixture
def evaluated(org, hr, clock):
    cycle = flow.launch(org, hr, clock)
    plan = flow.approved_plan(org, cycle, "head_d", "head_c", "head_b")
    clock.day = dt.date(2024, 12, 20)
    sheet = flow.filled_sheet(org, plan, "head_c")
    services.attach_evidence(org.user("head_c"), org.body, sheet.pk, number=2, name="report.pdf",
                             stream=io.BytesIO(PDF), expected_version=sheet.version)
    return cycle


def _rows(alias: str) -> dict[str, list[dict]]:
    return {m._meta.label: list(m._base_manager.using(alias).order_by("pk").values())
            for m in data_models(("sessions",))}


def test_round_trip_gives_back_every_row_file_and_the_audit_chain(evaluated, target_db, tmp_path, capsys):
    archive = tmp_path / "backup.zip"
    call_command("backup", str(archive))
    assert "audit events" in capsys.readouterr().out
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    call_command("restore", str(archive), database=target_db, media_root=str(restored_media))
    out = capsys.readouterr().out
    assert "restored and verified" in out and "1 stored file hashes match" in out

    call_command("audit_verify", database=target_db)
    assert "audit chain intact" in capsys.readouterr().out
    assert AuditEvent.objects.using(target_db).count() == AuditEvent.objects.count() > 10
    assert _rows(target_db) == _rows("default")  # every field of every row, microseconds included
    evidence = EvidenceFile.objects.using(target_db).get()
    assert (restored_media / evidence.file.name).read_bytes() == PDF


def test_a_damaged_archive_is_refused_before_anything_is_written(evaluated, target_db, tmp_path):
    good = tmp_path / "good.zip"
    create_backup(good)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("data/audit.AuditEvent/"):
                data = data.replace(b'"action": "', b'"action": "x', 1)
            dst.writestr(item, data)
    with pytest.raises(RestoreError, match="does not match its SHA-256"):
        restore_backup(damaged, using=target_db, media_root=tmp_path / "m1")
    assert not get_user_model().objects.using(target_db).exists()

    restore_backup(good, using=target_db, media_root=tmp_path / "m2")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(good), database=target_db, media_root=str(tmp_path / "m2"))


def test_a_file_that_no_longer_matches_its_stored_hash_rolls_the_restore_back(evaluated, target_db, tmp_path,
                                                                               media):
    evidence = EvidenceFile.objects.get()
    (media / evidence.file.name).write_bytes(PDF + b"% altered after upload\n")
    archive = tmp_path / "backup.zip"
    create_backup(archive)
    with pytest.raises(RestoreCheckFailed, match="does not match its stored SHA-256"):
        restore_backup(archive, using=target_db, media_root=tmp_path / "m")
    assert not get_user_model().objects.using(target_db).exists()
    assert not AuditEvent.objects.using(target_db).exists()
