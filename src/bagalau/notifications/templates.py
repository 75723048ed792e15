"""The kk/ru texts of workflow notifications, by code.

An app registers its templates once (English msgids, translated in the kk and ru catalogs) and
asks `render(code, language, values)`: the subject and text come out in that language, with the
dates already formatted by the caller. Keeping the texts in one registry means every message a
workflow sends has a code that the delivery log and the admin can name, and a missing
translation is one catalog entry, not a hunt through services.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Template:
    code: str
    subject: str  # an English msgid with %(name)s placeholders
    text: str


_REGISTRY: dict[str, Template] = {}


def register(code: str, subject: str, text: str) -> Template:
    """Add a template (subject and text are gettext_noop'ed English msgids)."""
    if not code:
        raise ValueError("a notification template needs a code")
    template = Template(code, subject, text)
    existing = _REGISTRY.get(code)
    if existing is not None and existing != template:
        raise ValueError(f"notification template {code!r} is already registered with other texts")
    _REGISTRY[code] = template
    return template


def get(code: str) -> Template:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"no notification template {code!r}; known: {', '.join(sorted(_REGISTRY))}") from None


def codes() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def render(code: str, language: str, values: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, text) of template `code` in `language` (kk or ru). Date values are formatted in
    that language (dd.mm.yyyy in both)."""
    template = get(code)
    with translation.override(language):
        shown = {k: formats.date_format(v, "SHORT_DATE_FORMAT") if isinstance(v, dt.date) else v
                 for k, v in values.items()}
        return _(template.subject) % shown, _(template.text) % shown
