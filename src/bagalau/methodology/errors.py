"""Errors of the rules core.

Each error says which thing is wrong (a file and key, an input field, a parameter, a clause) so
that callers (services, the `methodology` command, the API) can point the user at it without
parsing the message. Nothing here knows about Django.
"""

from __future__ import annotations

import datetime as dt


class MethodologyError(Exception):
    """Base class: anything the rules core refuses."""


class VersionFileError(MethodologyError):
    """A version file is malformed. Raised at load time, never later, naming file, key and problem."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        super().__init__(f"{file}: {key}: {problem}")


class UnknownVersion(MethodologyError):
    def __init__(self, version_id: str, known: tuple[str, ...]) -> None:
        self.version_id = version_id
        super().__init__(f"unknown methodology version {version_id!r}; known: {', '.join(known)}")


class UnknownRule(MethodologyError):
    def __init__(self, rule_id: str, version_id: str, known: tuple[str, ...]) -> None:
        self.rule_id = rule_id
        super().__init__(
            f"unknown deadline rule {rule_id!r} in version {version_id}; known: {', '.join(known)}"
        )


class UnknownClause(MethodologyError):
    def __init__(self, clause_id: str, version_id: str) -> None:
        self.clause_id = clause_id
        super().__init__(f"version {version_id} has no clause {clause_id!r}")


class ClauseNotInForce(MethodologyError):
    """The clause a rule rests on was not in force on the day of the action (spec section 13)."""

    def __init__(self, clause_id: str, version_id: str, on: dt.date, periods: str) -> None:
        self.clause_id = clause_id
        self.on = on
        super().__init__(
            f"clause {clause_id} of version {version_id} is not in force on {on.isoformat()} "
            f"(its wordings: {periods})"
        )


class ParameterNotSet(MethodologyError):
    """The version leaves a parameter unfilled (value null): the rule cannot run on it.

    This is how unverified background values are kept out of decisions: a version whose
    ranking scale is unknown refuses to validate a ranking instead of inventing one.
    """

    def __init__(self, version_id: str, key: str, note: str, missing: tuple[str, ...] = ()) -> None:
        self.version_id = version_id
        self.key = key
        self.missing = missing
        what = f"{key} ({', '.join(missing)})" if missing else key
        super().__init__(f"version {version_id} does not set {what}: {note}")


class InvalidInput(MethodologyError):
    """A value passed to a rule is out of its domain. `field` names the argument."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class NoVersionInForce(MethodologyError):
    def __init__(self, on: dt.date) -> None:
        self.on = on
        super().__init__(f"no methodology version is adopted for {on.isoformat()}")


class OverlappingAdoptions(MethodologyError):
    def __init__(self, first: str, second: str) -> None:
        super().__init__(f"adoptions overlap: {first} and {second}")
