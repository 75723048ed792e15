"""Checking an uploaded proof before it is stored: its size and its type, judged by its content
(the first bytes), never by the name or the browser's word. A registered-letter notice or a
telegram receipt arrives as a scan or a photo: PDF, JPEG or PNG."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Signature bytes -> (content type, extension).
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


def max_bytes() -> int:
    """BAGALAU_PROOF_MAX_BYTES: the largest proof accepted (default 5 MB)."""
    return int(getattr(settings, "BAGALAU_PROOF_MAX_BYTES", 5 * 1024 * 1024))


@dataclass(frozen=True)
class CheckedFile:
    file: Any
    name: str
    content_type: str
    sha256: str
    size: int


def check(upload: Any, field: str = "proof") -> CheckedFile:
    """The upload checked, or ValidationError({field: why})."""
    if upload is None:
        raise ValidationError({field: _("Attach the proof (PDF, JPEG or PNG).")})
    size = int(getattr(upload, "size", 0) or 0)
    limit = max_bytes()
    if size <= 0:
        raise ValidationError({field: _("The file is empty.")})
    if size > limit:
        raise ValidationError({field: _("The file is %(size)s KB; at most %(limit)s KB is accepted.")
                               % {"size": (size + 1023) // 1024, "limit": limit // 1024}})
    upload.seek(0)
    head = upload.read(16)
    kind = next(((ctype, ext) for sig, ctype, ext in SIGNATURES if head.startswith(sig)), None)
    if kind is None:
        raise ValidationError({field: _("Only PDF, JPEG or PNG files are accepted; this file's content is none of "
                                        "them.")})
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        digest.update(chunk)
    upload.seek(0)
    base = (getattr(upload, "name", "") or "proof").rsplit("/", 1)[-1][:150]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return CheckedFile(upload, f"{stem or 'proof'}.{kind[1]}", kind[0], digest.hexdigest(), size)
