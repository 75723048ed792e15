"""Typed reading of a parsed version file, with errors that name the file and the dotted key.

Every check of the schema goes through a `Reader`, so that every refusal has the same shape:
`<file>: <key>: <problem>` (VersionFileError).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from bagalau.methodology.errors import VersionFileError
from bagalau.methodology.model import LANGUAGES, Localized


class Reader:
    """Typed access to the raw YAML with errors that name the file and the dotted key."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, key: str, problem: str) -> VersionFileError:
        return VersionFileError(self.file, key, problem)

    def mapping(self, value: Any, key: str, required: tuple[str, ...] = (),
                optional: tuple[str, ...] = ()) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(key, f"must be a mapping, got {type(value).__name__}")
        for k in required:
            if k not in value:
                raise self.fail(f"{key}.{k}" if key else k, "missing")
        if required or optional:
            unknown = sorted(str(k) for k in value if k not in required and k not in optional)
            if unknown:
                raise self.fail(key or "(top level)", f"unknown key(s): {', '.join(unknown)}")
        return value

    def text(self, value: Any, key: str, nullable: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def integer(self, value: Any, key: str, minimum: int | None = None, maximum: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer, got {value!r}")
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be >= {minimum}, got {value}")
        if maximum is not None and value > maximum:
            raise self.fail(key, f"must be <= {maximum}, got {value}")
        return value

    def boolean(self, value: Any, key: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, got {value!r}")
        return value

    def date(self, value: Any, key: str, nullable: bool = False) -> dt.date | None:
        if value is None and nullable:
            return None
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise self.fail(key, f"must be a date YYYY-MM-DD, got {value!r}")
        return value

    def choice(self, value: Any, key: str, allowed: tuple[str, ...]) -> str:
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}, got {value!r}")
        return value

    def choices(self, value: Any, key: str, allowed: tuple[str, ...], empty_ok: bool = True) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(key, "must be a list")
        if not value and not empty_ok:
            raise self.fail(key, "must not be empty")
        for i, v in enumerate(value):
            self.choice(v, f"{key}[{i}]", allowed)
        if len(set(value)) != len(value):
            raise self.fail(key, "has duplicates")
        return tuple(value)

    def fraction(self, value: Any, key: str) -> Fraction:
        if not isinstance(value, str) or not re.fullmatch(r"\d+/\d+", value):
            raise self.fail(key, f"must be a fraction written like \"2/3\", got {value!r}")
        num, den = (int(x) for x in value.split("/"))
        if den == 0 or not 0 < num <= den:
            raise self.fail(key, f"must be a fraction in (0, 1], got {value}")
        return Fraction(num, den)

    def localized(self, value: Any, key: str) -> Localized:
        m = self.mapping(value, key, required=LANGUAGES)
        return Localized(*(self.text(m[lang], f"{key}.{lang}") for lang in LANGUAGES))  # type: ignore[arg-type]
