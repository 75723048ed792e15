"""Renderers of a form's data dict: PDF (HTML through WeasyPrint) and DOCX (python-docx). Both are
deterministic: the same dict gives the same bytes (fixed metadata, fixed archive timestamps)."""

from __future__ import annotations

from typing import Any

from bagalau.documents.registry import Form
from bagalau.documents.render import docx, pdf

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def render(form: Form, data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "pdf":
        return pdf.render(form, data)
    if fmt == "docx":
        return docx.render(form, data)
    raise ValueError(f"unknown format {fmt!r}")
