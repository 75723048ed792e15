"""`create_backup`: the whole database and the media files in one ZIP archive.

Layout: `manifest.json`; `data/<app.model>/<n>.json`, the rows of each model in primary-key
order, in chunks, in Django's JSON serialisation (all fields, primary keys kept, datetimes to the
microsecond); `media/<path>`, every file under MEDIA_ROOT. The manifest lists every entry with its
SHA-256 and row count, the applied migrations, and the audit head (event count, last hash), so a
restore can prove it gave back exactly this.

The rows are read in one transaction: on PostgreSQL at REPEATABLE READ (one snapshot for every
table), on SQLite under the connection's IMMEDIATE transaction (writers wait). Engine-neutral on
purpose: a SQLite backup restores into PostgreSQL and back. Sessions are not saved: a restored
system starts with everyone signed out.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from django.conf import settings
from django.core import serializers
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from bagalau.accounts import clock
from bagalau.accounts.safety.serial import ExactEncoder, data_models, sha256_bytes, sha256_file
from bagalau.audit.models import HEAD_PK, AuditHead

FORMAT = "bagalau-backup/1"
ROWS_PER_CHUNK = 2000
EXCLUDED_APPS = ("sessions",)
MANIFEST = "manifest.json"


def applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _dump_model(archive: ZipFile, model: type[models.Model], using: str) -> dict[str, Any]:
    label = model._meta.label
    rows = model._base_manager.using(using).order_by("pk")
    chunks: list[dict[str, Any]] = []
    batch: list[models.Model] = []
    total = 0

    def flush() -> None:
        name = f"data/{label}/{len(chunks):05d}.json"
        data = serializers.serialize("json", batch, cls=ExactEncoder).encode("utf-8")
        archive.writestr(name, data)
        chunks.append({"file": name, "rows": len(batch), "sha256": sha256_bytes(data)})
        batch.clear()

    for obj in rows.iterator(chunk_size=ROWS_PER_CHUNK):
        batch.append(obj)
        total += 1
        if len(batch) >= ROWS_PER_CHUNK:
            flush()
    if batch:
        flush()
    return {"model": label, "table": model._meta.db_table, "rows": total, "chunks": chunks}


def _dump_media(archive: ZipFile, media_root: Path) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    if not media_root.is_dir():
        return entries
    for path in sorted(p for p in media_root.rglob("*") if p.is_file()):
        relative = path.relative_to(media_root).as_posix()
        archive.write(path, f"media/{relative}")
        entries.append({"path": relative, "size": path.stat().st_size, "sha256": sha256_file(path)})
    return entries


def create_backup(target: Path | str, *, using: str = "default",
                  media_root: Path | str | None = None) -> dict[str, Any]:
    """Write the archive to `target` (via a temporary file, so a failed run leaves no half archive);
    return its manifest."""
    target = Path(target)
    media = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    connection = connections[using]
    partial = target.with_name(target.name + ".partial")
    try:
        with ZipFile(partial, "w", compression=ZIP_DEFLATED, allowZip64=True) as archive:
            outer = connection.in_atomic_block
            with transaction.atomic(using=using):
                if connection.vendor == "postgresql" and not outer:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                tables = [_dump_model(archive, model, using) for model in data_models(EXCLUDED_APPS)]
                head = AuditHead.objects.using(using).filter(pk=HEAD_PK).first()
                migrations = applied_migrations(using)
            manifest = {
                "format": FORMAT,
                "created_at": clock.now().isoformat(),
                "engine": connection.vendor,
                "migrations": migrations,
                "audit": {"event_count": head.event_count if head else 0,
                          "last_hash": head.last_hash if head else "",
                          "last_event_id": head.last_event_id if head else None},
                "models": tables,
                "media": _dump_media(archive, media),
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        os.replace(partial, target)
    finally:
        if partial.exists():
            partial.unlink()
    return manifest
