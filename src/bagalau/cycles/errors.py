"""Errors of the cycle services that callers handle specially.

Both are ValidationErrors, so a form or the API's generic handler shows them with no extra code;
the API may map `Conflict` to 409 by registering a handler for it (Ninja picks the most specific
class). `IllegalTransition` lives in bagalau.workflow, the engine of every app's transition tables.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bagalau.methodology.errors import MethodologyError


class Conflict(ValidationError):
    """The document moved on since the caller read it (optimistic locking on the row `version`)."""

    def __init__(self, *, who: str, when: dt.datetime | None, current_version: int) -> None:
        self.who, self.when, self.current_version = who, when, current_version
        stamp = formats.date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else "?"
        super().__init__(
            {"version": _("This document was changed by %(who)s at %(when)s; reload it and try again.")
                        % {"who": who or _("someone"), "when": stamp}},
        )


def core_error(exc: MethodologyError, field: str = "__all__") -> ValidationError:
    """A refusal of the rules core, as a ValidationError naming the field it concerns."""
    return ValidationError({field: _("Methodology: %(problem)s") % {"problem": str(exc)}})


def run_core(call: Any, *args: Any, field: str = "__all__", **kwargs: Any) -> Any:
    """Run a rule of the core; its refusal becomes a ValidationError naming `field`."""
    try:
        return call(*args, **kwargs)
    except MethodologyError as exc:
        raise core_error(exc, field) from exc
