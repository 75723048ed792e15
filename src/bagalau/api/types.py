"""Field types for the API's doors: they refuse what pydantic's lax mode would coerce (`0` is not
1970-01-01) and numbers past what the databases hold; and the base of answers built field by field."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field


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


# A row id given in a query string: within the databases' 64-bit integers, so a number past them is
# refused at the door (422, naming the parameter) instead of overflowing SQLite's driver (500).
RowId = Annotated[int, Field(ge=1, le=2**63 - 1)]
# A list's offset: past any table's rows, yet with the page's limit added still a 64-bit integer.
Offset = Annotated[int, Field(ge=0, le=2**62)]


class Out(BaseModel):
    """An answer's shape that the code builds itself, field by field. pydantic checks the values as
    it builds it; ninja's `Schema` would also route every construction through its getter for
    Django model instances, which is not needed here and cost a saved sheet's answer more than the
    rest of building it."""
