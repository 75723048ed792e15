"""Checking an evidence file before anything is stored: size, and type by content.

The type is decided by the bytes, not the name: a PDF starts with "%PDF-", PNG and JPEG with their
signatures, DOCX and XLSX are ZIP packages holding "[Content_Types].xml" and "word/document.xml" or
"xl/workbook.xml". The name's extension must then agree with the content (decision: a real PNG
named ".pdf" is refused too, with a message saying what it really is), so that a file is never
served under a type it is not. An executable renamed ".pdf" is refused as not an allowed type.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

# kind -> (content type, accepted extensions)
ALLOWED: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", ("pdf",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    "jpg": ("image/jpeg", ("jpg", "jpeg")),
    "png": ("image/png", ("png",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "BAGALAU_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    extension: str
    content_type: str
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def sniff(data: bytes) -> str | None:
    """The allowed kind the bytes are, or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" in names:
            if "word/document.xml" in names:
                return "docx"
            if "xl/workbook.xml" in names:
                return "xlsx"
    return None


def _refused(field: str, message: str, code: str) -> ValidationError:
    # The code goes on the field's error (a code given beside a dict of messages is dropped).
    return ValidationError({field: ValidationError(message, code=code)})


def check_upload(name: str, stream: IO[bytes], *, field: str = "file") -> CheckedFile:
    """Read and check one upload; ValidationError({field: ...}) before anything is stored."""
    limit = max_bytes()
    data = stream.read(limit + 1)
    allowed = ", ".join(sorted(ext for _ct, exts in ALLOWED.values() for ext in exts))
    if len(data) > limit:
        raise _refused(field, _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                       "too_large")
    if not data:
        raise _refused(field, _("The file is empty."), "empty")
    kind = sniff(data)
    if kind is None:
        raise _refused(field, _("The file's content is not an allowed type (%(allowed)s), whatever its name says.")
                       % {"allowed": allowed}, "type")
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1].strip() or "evidence"
    extension = base.rsplit(".", 1)[-1].lower() if "." in base else ""
    content_type, extensions = ALLOWED[kind]
    if extension not in extensions:
        raise _refused(field, _("The file is named “.%(ext)s” but its content is %(kind)s; rename it to .%(right)s.")
                       % {"ext": extension, "kind": kind.upper(), "right": extensions[0]}, "type_mismatch")
    return CheckedFile(name=base[:255], kind=kind, extension=extensions[0], content_type=content_type, data=data,
                       sha256=hashlib.sha256(data).hexdigest())
