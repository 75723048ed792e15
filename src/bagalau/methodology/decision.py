"""The decision object every rule returns.

The design rule is "the rules core decides, Django records" (DESIGN.md section 2): a decision
carries its value *and* the clause it rests on, the version it was taken under, whether every
parameter it used is verified against an official text, and the inputs, so that the caller can
store the whole trace with the result (spec section 13.3 rule 1).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One reason a check failed: which field, which clause, in plain words (English; the UI maps
    the `code` to kk/ru)."""

    field: str
    code: str
    message: str
    clause: str | None = None


def _frozen(mapping: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Decision:
    """An immutable result: `Decision(value="PROPER", clause="S1-p.50", version_id="koksu-3-24")`.

    `clauses` lists every clause used (the first is `clause`); `verified` is False as soon as one
    parameter used is unverified ([BK]/[INF]/[REC] values), which forbids approving results on it
    (spec 13.3 rule 7). `details` holds the facts behind the value (e.g. the quorum needed),
    `problems` the reasons a validation failed, `warnings` what the user must see but does not
    block, `trace` a step-by-step account (e.g. the days of a deadline count).
    """

    value: Any
    clause: str
    version_id: str
    clauses: tuple[str, ...] = ()
    verified: bool = True
    inputs: Mapping[str, Any] = field(default_factory=dict)
    details: Mapping[str, Any] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()
    trace: tuple[Any, ...] = ()

    def __post_init__(self) -> None:
        # Read-only views: a decision cannot be edited after the rule returned it.
        object.__setattr__(self, "inputs", _frozen(self.inputs))
        object.__setattr__(self, "details", _frozen(self.details))
        if not self.clauses:
            object.__setattr__(self, "clauses", (self.clause,))
        elif self.clauses[0] != self.clause:
            object.__setattr__(self, "clauses", (self.clause, *[c for c in self.clauses if c != self.clause]))

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (dates as ISO strings) for the audit log, the API and the command."""
        return {
            "value": jsonable(self.value),
            "clause": self.clause,
            "clauses": list(self.clauses),
            "version": self.version_id,
            "verified": self.verified,
            "inputs": jsonable(dict(self.inputs)),
            "details": jsonable(dict(self.details)),
            "problems": [
                {"field": p.field, "code": p.code, "message": p.message, "clause": p.clause}
                for p in self.problems
            ],
            "warnings": list(self.warnings),
            "trace": jsonable(list(self.trace)),
        }


def jsonable(value: Any) -> Any:
    """Plain JSON values: dates as ISO strings, fractions as "2/3", frozen mappings as dicts."""
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if hasattr(value, "as_dict"):
        return jsonable(value.as_dict())
    return value
