"""Which law applies on a given day (spec section 13).

Two questions, both by date:

* `version_for(adoptions, on)`: a body adopts methodology versions one after another; the
  version in force on `on` is the adoption whose period covers it. The Django side keeps the
  adoptions in the lawbook app and calls this with them.
* `clause_for(version, clause_id, on)`: inside a version, clauses have their own effective dates
  (an amendment takes effect on its own day; a transitional chapter sunsets). An action is judged
  by the wording in force on the day it happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from bagalau.methodology.errors import ClauseNotInForce, InvalidInput, NoVersionInForce, OverlappingAdoptions
from bagalau.methodology.model import Clause, MethodologyVersion


@dataclass(frozen=True)
class Adoption:
    """A body's use of one version from `valid_from` to `valid_to` (inclusive; None = open)."""

    version_id: str
    valid_from: dt.date
    valid_to: dt.date | None = None

    def __post_init__(self) -> None:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise InvalidInput("valid_to", f"{self.valid_to} is before valid_from {self.valid_from}")

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def overlaps(self, other: Adoption) -> bool:
        end_a = self.valid_to or dt.date.max
        end_b = other.valid_to or dt.date.max
        return self.valid_from <= end_b and other.valid_from <= end_a

    def __str__(self) -> str:
        return f"{self.version_id} {self.valid_from}..{self.valid_to or 'open'}"


def check_adoptions(adoptions: Iterable[Adoption]) -> tuple[Adoption, ...]:
    """The adoptions in date order; refuses two that overlap (one body, one law per day)."""
    ordered = tuple(sorted(adoptions, key=lambda a: a.valid_from))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.overlaps(b):
            raise OverlappingAdoptions(str(a), str(b))
    return ordered


def version_for(adoptions: Iterable[Adoption], on: dt.date) -> str:
    """The id of the version a body had adopted on `on`."""
    for adoption in check_adoptions(adoptions):
        if adoption.covers(on):
            return adoption.version_id
    raise NoVersionInForce(on)


def clause_for(version: MethodologyVersion, clause_id: str, on: dt.date) -> Clause:
    """The wording of `clause_id` in force on `on`; ClauseNotInForce if none is (not yet in force,
    sunset, or deleted)."""
    wordings = version.wordings(clause_id)
    for wording in wordings:
        if wording.covers(on) and wording.in_force:
            return wording
    raise ClauseNotInForce(clause_id, version.id, on, "; ".join(w.period() for w in wordings))


def clauses_in_force(version: MethodologyVersion, on: dt.date) -> tuple[Clause, ...]:
    return tuple(c for c in version.clauses if c.covers(on) and c.in_force)
