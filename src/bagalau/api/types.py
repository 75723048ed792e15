"""Field types that refuse what pydantic's lax mode would coerce: `0` is not 1970-01-01."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BeforeValidator


def _iso_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("a date must be a string in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError("a date must be a real date in the form YYYY-MM-DD") from None


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    if "\x00" in value:
        # PostgreSQL cannot store or compare NUL characters; refuse them at the door.
        raise ValueError("must not contain NUL characters")
    return value


SafeText = Annotated[str, BeforeValidator(_text)]
