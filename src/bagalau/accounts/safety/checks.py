"""What a restore must prove: the audit chain verifies and ends where the backup's did, every
table has the rows it had, every file matches its SHA-256 in the manifest, and every stored hash
of a file (evidence, generated documents, court documents...) matches the file itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps

from bagalau.accounts.safety.serial import file_hash_pairs, sha256_file
from bagalau.audit.models import HEAD_PK, AuditHead
from bagalau.audit.verify import verify_chain

MAX_LISTED = 20


@dataclass
class Report:
    audit_events: int = 0
    rows: int = 0
    files: int = 0
    stored_hashes: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if len(self.problems) < MAX_LISTED:
            self.problems.append(problem)
        elif len(self.problems) == MAX_LISTED:
            self.problems.append("... further problems not listed")

    def summary(self) -> str:
        return (f"audit chain intact: {self.audit_events} events; {self.rows} rows; {self.files} files match "
                f"the manifest; {self.stored_hashes} stored file hashes match")


def check_audit(report: Report, using: str, expected: dict[str, Any]) -> None:
    result = verify_chain(using=using)
    report.audit_events = result.checked
    if not result.ok:
        report.add(f"audit chain broken at event {result.first_broken_id}: {result.reason}")
    head = AuditHead.objects.using(using).filter(pk=HEAD_PK).first()
    found = (head.event_count, head.last_hash) if head else (0, "")
    if found != (expected["event_count"], expected["last_hash"]):
        report.add(f"audit head is {found}, the backup's was {(expected['event_count'], expected['last_hash'])}")


def check_rows(report: Report, using: str, tables: list[dict[str, Any]]) -> None:
    for entry in tables:
        model = apps.get_model(entry["model"])
        count = model._base_manager.using(using).count()
        report.rows += count
        if count != entry["rows"]:
            report.add(f"{entry['model']}: {count} rows, the backup has {entry['rows']}")


def check_media(report: Report, media_root: Path, media: list[dict[str, Any]]) -> None:
    for entry in media:
        path = media_root / entry["path"]
        if not path.is_file():
            report.add(f"file missing: {entry['path']}")
        elif sha256_file(path) != entry["sha256"]:
            report.add(f"file differs from the manifest: {entry['path']}")
        else:
            report.files += 1


def check_stored_hashes(report: Report, using: str, media_root: Path) -> None:
    for model in apps.get_models():
        for file_field, hash_field in file_hash_pairs(model):
            rows = (model._base_manager.using(using).exclude(**{file_field: ""})
                    .exclude(**{f"{file_field}__isnull": True}))
            for pk, name, stored in rows.values_list("pk", file_field, hash_field).iterator():
                path = media_root / name
                where = f"{model._meta.label} #{pk} {file_field}"
                if not path.is_file():
                    report.add(f"{where}: file {name} is missing")
                elif sha256_file(path) != stored:
                    report.add(f"{where}: file {name} does not match its stored SHA-256")
                else:
                    report.stored_hashes += 1


def check_restored(using: str, manifest: dict[str, Any], media_root: Path) -> Report:
    report = Report()
    check_audit(report, using, manifest["audit"])
    check_rows(report, using, manifest["models"])
    check_media(report, media_root, manifest["media"])
    check_stored_hashes(report, using, media_root)
    return report
