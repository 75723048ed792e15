"""The fixed wording of the official forms (forms/texts.yaml), per language.

Loaded once, checked on load: every key must have kk, ru and en, and the placeholders must be the
same in the three, so a form never prints a missing label or a broken `%(name)s`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEXTS_FILE = Path(__file__).parent / "forms" / "texts.yaml"
LANGS = ("kk", "ru", "en")
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class TextsError(ValueError):
    pass


@lru_cache(maxsize=1)
def texts() -> dict[str, dict[str, str]]:
    raw = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        key = str(key)
        if not isinstance(value, dict) or set(value) != set(LANGS):
            raise TextsError(f"{TEXTS_FILE.name}: {key!r} must have exactly {', '.join(LANGS)}")
        holders = {lang: sorted(_PLACEHOLDER.findall(str(value[lang]))) for lang in LANGS}
        if len({tuple(h) for h in holders.values()}) != 1:
            raise TextsError(f"{TEXTS_FILE.name}: {key!r} has different placeholders per language: {holders}")
        out[key] = {lang: str(value[lang]) for lang in LANGS}
    return out


def text(key: str, lang: str, **params: Any) -> str:
    """The form wording `key` in `lang`, with `params` filled in."""
    try:
        value = texts()[key][lang]
    except KeyError:
        raise TextsError(f"no form text {key!r} in {lang!r}") from None
    return value % params if params else value


class Labels:
    """`labels.iwp_title` in templates: the texts of one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(key, self.lang)

    def as_dict(self) -> dict[str, str]:
        return {k: v[self.lang] for k, v in texts().items()}
