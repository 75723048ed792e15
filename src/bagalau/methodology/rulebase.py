"""What every rule does before it decides: fetch its parameters and check their clauses.

A rule never reads a number without the clause behind it. `use()` returns the parameter, refuses
an unfilled one (ParameterNotSet) and, when the caller says on which day the action happens,
refuses a clause not in force that day (ClauseNotInForce): a KPI sheet graded after the Koksu
transitional chapter expired is not graded under it (spec 13.3). `decide()` then builds the
decision with every clause used and the combined verified flag.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import ParameterNotSet
from bagalau.methodology.model import MethodologyVersion, Parameter
from bagalau.methodology.resolution import clause_for


class Used:
    """The parameters a rule has read, and whether their clause wordings are verified."""

    def __init__(self, version: MethodologyVersion, on: dt.date | None) -> None:
        self.version = version
        self.on = on
        self.params: list[Parameter] = []
        self.extra_clauses: list[str] = []
        self.wordings_verified = True

    def __call__(self, key: str) -> Any:
        """The value of parameter `key`, checked; records it for the decision."""
        p = self.version.param(key)
        if p.value is None:
            raise ParameterNotSet(self.version.id, key, p.note)
        self.clause(p.clause)
        self.params.append(p)
        return p.value

    def param(self, key: str) -> Parameter:
        self(key)
        return self.params[-1]

    def clause(self, clause_id: str) -> None:
        """Record a clause the rule rests on; checked to be in force on `on` when given."""
        if self.on is not None:
            wording = clause_for(self.version, clause_id, self.on)
            self.wordings_verified &= wording.verified
        else:
            self.version.wordings(clause_id)  # at least it exists
        if clause_id not in self.extra_clauses:
            self.extra_clauses.append(clause_id)

    def decide(self, value: Any, clause: str | None = None, **kwargs: Any) -> Decision:
        clauses = [clause] if clause else []
        for c in [p.clause for p in self.params] + self.extra_clauses:
            if c not in clauses:
                clauses.append(c)
        verified = all(p.verified for p in self.params) and self.wordings_verified
        inputs = dict(kwargs.pop("inputs", {}))
        if self.on is not None:
            inputs.setdefault("on", self.on)
        return Decision(
            value=value, clause=clauses[0], clauses=tuple(clauses), version_id=self.version.id,
            verified=verified, inputs=inputs, **kwargs,
        )


def use(version: MethodologyVersion, on: dt.date | None = None) -> Used:
    return Used(version, on)


def problem(field: str, code: str, message: str, clause: str | None = None) -> Problem:
    return Problem(field=field, code=code, message=message, clause=clause)
