"""Parsing the commission pages' forms into the values the services take. Only the shape is
checked here (an id is a number, a date is a date); the rules, with their clauses, are the
services'. Field names are the services' error keys, so an error lands against its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _int(value: Any, field: str, *, required: bool = True) -> int | None:
    text = str(value or "").strip()
    if not text:
        if required:
            raise ValidationError({field: _("Choose a person.")})
        return None
    try:
        return int(text)
    except ValueError:
        raise ValidationError({field: _("An id is expected.")}) from None


def parse_date(value: Any, field: str) -> dt.date:
    text = str(value or "").strip()
    if not text:
        raise ValidationError({field: _("Enter a date.")})
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from None


def parse_version(data: Any) -> int:
    try:
        return int(str(data.get("version", "")))
    except ValueError:
        raise ValidationError({"__all__": _("The form is missing its version; reload the page.")}) from None


def parse_order(data: Any) -> dict[str, Any]:
    """number, order_date, chair, members (other than the chair), secretary, reason: every shape
    error at once, against its field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"number": str(data.get("number", "")).strip(), "reason": str(data.get("reason", ""))}
    for field, call in (("order_date", lambda: parse_date(data.get("order_date"), "order_date")),
                        ("chair", lambda: _int(data.get("chair"), "chair")),
                        ("secretary", lambda: _int(data.get("secretary"), "secretary"))):
        try:
            values[field] = call()
        except ValidationError as exc:
            errors[field] = exc.message_dict[field][0]
    members: list[int] = []
    for raw in data.getlist("members"):
        try:
            member = _int(raw, "members")
        except ValidationError as exc:
            errors["members"] = exc.message_dict["members"][0]
            continue
        if member is not None and member != values.get("chair") and member not in members:
            members.append(member)
    values["members"] = members
    if errors:
        raise ValidationError(errors)
    return values


def order_arguments(values: dict[str, Any]) -> dict[str, Any]:
    return {"number": values["number"], "order_date": values["order_date"], "chair": {"user": values["chair"]},
            "members": [{"user": m} for m in values["members"]], "secretary": {"user": values["secretary"]}}


def order_errors(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """"members-3" (the third member) is shown against the members' field."""
    merged: dict[str, list[str]] = {}
    for key, messages in errors.items():
        target = "members" if key.startswith("members-") else key
        merged.setdefault(target, []).extend(messages)
    return merged


def parse_present(data: Any) -> list[int]:
    present: list[int] = []
    for raw in data.getlist("present"):
        try:
            present.append(int(raw))
        except ValueError:
            raise ValidationError({"present": _("A list of the members present (seat ids) is expected.")}) from None
    return present
