"""Refusals specific to documents."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class SignedDocumentChanged(ValidationError):
    """Regenerating a signed document would give other bytes than the stored file: refused, and the
    stored file stays the one of record. The API and the pages answer it with 409."""

    def __init__(self, message: str) -> None:
        super().__init__({"regenerate": [message]})
