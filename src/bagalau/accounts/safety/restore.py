"""`restore_backup`: load an archive of `create_backup` into an empty, migrated database.

Steps, each refusing with a clear message before anything is written when it fails:
1. the archive: every entry matches its SHA-256 in the manifest;
2. the target: migrated to exactly the backup's migrations, no audit event and no user yet;
3. the files: written under MEDIA_ROOT (an existing file with other content is refused);
4. the rows, in one transaction: the rows migrations created (content types, permissions) are
   emptied, every row is inserted as saved (raw: no auto_now, no signals, primary keys kept),
   sequences are moved past the restored keys, foreign keys are checked;
5. the proof (`checks.check_restored`), still inside the transaction: if the audit chain, a row
   count or a file hash does not match, everything is rolled back.

The audit tables refuse UPDATE and DELETE, so they are never emptied: the events are only
inserted (the target has none) and the head row, which migrations create, is updated, which its
trigger allows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from zipfile import BadZipFile, ZipFile

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management.color import no_style
from django.db import connections, models, transaction

from bagalau.accounts.safety.backup import FORMAT, MANIFEST, applied_migrations
from bagalau.accounts.safety.checks import Report, check_restored
from bagalau.accounts.safety.serial import sha256_bytes, sha256_file
from bagalau.audit.models import AuditEvent, AuditHead

KEPT_TABLES = {AuditEvent._meta.db_table, AuditHead._meta.db_table}


class RestoreError(Exception):
    """The archive or the target is not fit for a restore; nothing was written."""


class RestoreCheckFailed(RestoreError):
    def __init__(self, report: Report) -> None:
        super().__init__("the restored database does not match the backup: " + "; ".join(report.problems))
        self.report = report


def read_manifest(archive: ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise RestoreError(f"not a bagalau backup: {MANIFEST} is missing") from None
    if manifest.get("format") != FORMAT:
        raise RestoreError(f"unknown backup format {manifest.get('format')!r}; this version reads {FORMAT}")
    return manifest


def check_archive(archive: ZipFile, manifest: dict[str, Any]) -> None:
    for table in manifest["models"]:
        for chunk in table["chunks"]:
            if sha256_bytes(archive.read(chunk["file"])) != chunk["sha256"]:
                raise RestoreError(f"archive entry {chunk['file']} does not match its SHA-256: the archive is damaged")
    for entry in manifest["media"]:
        if sha256_bytes(archive.read(f"media/{entry['path']}")) != entry["sha256"]:
            raise RestoreError(f"archive file media/{entry['path']} does not match its SHA-256")


def check_target(using: str, manifest: dict[str, Any]) -> None:
    found = applied_migrations(using)
    if found != manifest["migrations"]:
        missing = sorted(set(manifest["migrations"]) - set(found))
        extra = sorted(set(found) - set(manifest["migrations"]))
        raise RestoreError(f"the target database is not migrated like the backup (missing {missing[:5]}, "
                           f"extra {extra[:5]}): run `manage.py migrate` to the same code version first")
    events = AuditEvent.objects.using(using).count()
    users = get_user_model()._base_manager.using(using).count()
    if events or users:
        raise RestoreError(f"the target database is not empty ({events} audit events, {users} users): "
                           "restore into a new, migrated database")


def _restore_media(archive: ZipFile, manifest: dict[str, Any], media_root: Path) -> None:
    root = media_root.resolve()
    for entry in manifest["media"]:
        path = (root / entry["path"]).resolve()
        if root not in path.parents:
            raise RestoreError(f"archive file {entry['path']!r} points outside MEDIA_ROOT")
        if path.exists():
            if sha256_file(path) != entry["sha256"]:
                raise RestoreError(f"{path} exists with other content; restore into an empty MEDIA_ROOT")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(archive.read(f"media/{entry['path']}"))


def _empty_tables(using: str) -> None:
    connection = connections[using]
    tables = [t for t in connection.introspection.django_table_names(only_existing=True, include_views=False)
              if t not in KEPT_TABLES]
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True))


def _insert(model: type[models.Model], objects: list[Any], using: str) -> None:
    """Insert deserialised rows as they were saved. The audit head already exists (migrations
    create it) and is updated instead; multi-table children go through the raw save."""
    plain = [d.object for d in objects]
    if model is AuditHead or model._meta.parents:
        for d in objects:
            d.save(using=using)
        return
    fields = model._meta.local_concrete_fields
    batch = max(1, connections[using].ops.bulk_batch_size(fields, plain) or len(plain))
    for start in range(0, len(plain), batch):
        # QuerySet._insert is what save_base(raw=True) uses; called in batches here to skip its UPDATE try.
        model._base_manager.using(using)._insert(  # type: ignore[attr-defined]
            plain[start:start + batch], fields=fields, using=using, raw=True)
    for d in objects:
        for accessor, values in (d.m2m_data or {}).items():
            getattr(d.object, accessor).set(values)


def restore_backup(source: Path | str, *, using: str = "default", media_root: Path | str | None = None) -> Report:
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    try:
        archive = ZipFile(source)
    except (OSError, BadZipFile) as exc:
        raise RestoreError(f"cannot read the archive {source}: {exc}") from exc
    with archive:
        manifest = read_manifest(archive)
        check_archive(archive, manifest)
        check_target(using, manifest)
        _restore_media(archive, manifest, media)
        connection = connections[using]
        with transaction.atomic(using=using):
            _empty_tables(using)
            restored = []
            with connection.constraint_checks_disabled():
                for table in manifest["models"]:
                    model = apps.get_model(table["model"])
                    restored.append(model)
                    for chunk in table["chunks"]:
                        objects = list(serializers.deserialize("json", archive.read(chunk["file"]), using=using))
                        _insert(model, objects, using)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                    cursor.execute(sql)
            connection.check_constraints(table_names=[m._meta.db_table for m in restored])
            report = check_restored(using, manifest, media)
            if not report.ok:
                raise RestoreCheckFailed(report)
    # Content types got the backup's ids; the per-process cache still holds the migrated ones.
    ContentType.objects.clear_cache()
    return report
