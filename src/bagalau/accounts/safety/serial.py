"""Serialising rows so they come back exactly.

Django's JSON encoder cuts datetimes to milliseconds; the audit hash covers microseconds, so a
restored trail would no longer verify. `ExactEncoder` keeps the full ISO form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

CHUNK = 64 * 1024


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_models(exclude: Iterable[str] = ()) -> list[type[models.Model]]:
    """Every concrete, managed model of every installed app (what dumpdata would dump)."""
    skipped = set(exclude)
    found = []
    for config in apps.get_app_configs():
        for model in config.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or meta.label in skipped or meta.app_label in skipped:
                continue
            found.append(model)
    return found


def file_hash_pairs(model: type[models.Model]) -> list[tuple[str, str]]:
    """(file field, sha256 field) pairs a model keeps: `<file>_sha256`, or `sha256` beside the only
    FileField. These are the stored hashes a restore checks the files against."""
    names = {f.name for f in model._meta.concrete_fields}
    file_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
    pairs = []
    for name in file_fields:
        if f"{name}_sha256" in names:
            pairs.append((name, f"{name}_sha256"))
        elif len(file_fields) == 1 and "sha256" in names:
            pairs.append((name, "sha256"))
    return pairs
