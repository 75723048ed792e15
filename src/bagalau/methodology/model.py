"""The in-memory form of a methodology version, as `schema.py` builds it from a YAML file.

A version is one methodology text (a body's decision, or a typical template) in one wording:
identity of the act and its amendments, the clauses with their own effective dates, the
parameters the rules need (each citing its clause and flagged when unverified), and, where the
text has one, the competency matrix. Everything is frozen: rules read it, nobody edits it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bagalau.methodology.errors import InvalidInput, ParameterNotSet, UnknownClause

LANGUAGES = ("kk", "ru", "en")

# Group ids of the competency matrix and of method applicability. "Head" is the position's
# head-of-structural-unit flag, never a category code: E-3 is in both groups (S0-Annex 4, Q-23).
HEAD = "head"
NON_HEAD = "non_head"


def group_for(is_head: bool) -> str:
    """The position group of a servant, from the head flag alone (spec 4.1, rule 8 of section 17)."""
    return HEAD if is_head else NON_HEAD


@dataclass(frozen=True)
class Localized:
    kk: str
    ru: str
    en: str

    def get(self, lang: str) -> str:
        if lang not in LANGUAGES:
            raise InvalidInput("lang", f"language must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        return getattr(self, lang)

    def as_dict(self) -> dict[str, str]:
        return {"kk": self.kk, "ru": self.ru, "en": self.en}


@dataclass(frozen=True)
class EntryIntoForce:
    """When an act took effect. `date` is data entered from adilet, not computed (spec 13.3 rule 3);
    where the publication date was not available it is the earliest possible date, unverified."""

    rule: str
    date: dt.date
    verified: bool
    note: str = ""


@dataclass(frozen=True)
class LegalAct:
    number: str
    date: dt.date
    entry_into_force: EntryIntoForce
    title: Localized | None = None


@dataclass(frozen=True)
class Identity:
    issuing_body: Localized
    act_kind: str
    number: str
    date: dt.date
    state_registration_number: str | None
    entry_into_force: EntryIntoForce
    amended_by: tuple[LegalAct, ...] = ()
    repealed_by: LegalAct | None = None


@dataclass(frozen=True)
class Clause:
    """One wording of one clause, in force from `valid_from` to `valid_to` (inclusive; None = open).

    The same clause id may have several wordings (original, amended, deleted); their periods never
    overlap (checked at load). `kk_ref` points at the Kazakh text the wording comes from; it is None
    when the text was not retrieved, and then the wording is unverified.
    """

    id: str
    title: Localized
    kk_ref: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    status: str
    introduced_by: str | None
    verified: bool
    note: str = ""

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def in_force(self) -> bool:
        return self.status == "in_force"

    def period(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "open"
        return f"{self.valid_from.isoformat()}..{end} {self.status}"


@dataclass(frozen=True)
class Parameter:
    """A value the law sets, with the clause it comes from. `value` None = the version does not
    set it (the note says why); rules refuse to run on it rather than guess."""

    key: str
    value: Any
    clause: str
    verified: bool = True
    note: str = ""
    label: Localized | None = None


@dataclass(frozen=True)
class Indicator:
    """A behavioural indicator pair. `ineffective` is None where the text has no counterpart
    (Kentau heads, integrity (f))."""

    ordinal: int
    effective: Localized
    ineffective: Localized | None


@dataclass(frozen=True)
class Competency:
    id: str
    name: Localized
    indicators: Mapping[str, tuple[Indicator, ...]]


@dataclass(frozen=True)
class CompetencyGroup:
    id: str
    is_head: bool
    categories: tuple[str, ...]
    label: Localized


@dataclass(frozen=True)
class CompetencyMatrix:
    clause: str
    verified: bool
    note: str
    groups: tuple[CompetencyGroup, ...]
    competencies: tuple[Competency, ...]

    def group(self, is_head: bool) -> CompetencyGroup:
        wanted = group_for(is_head)
        return next(g for g in self.groups if g.id == wanted)

    def indicators(self, group_id: str) -> dict[str, tuple[Indicator, ...]]:
        return {c.id: c.indicators.get(group_id, ()) for c in self.competencies}

    def count(self, group_id: str, kind: str = "effective") -> int:
        return sum(
            1
            for c in self.competencies
            for i in c.indicators.get(group_id, ())
            if (i.effective if kind == "effective" else i.ineffective) is not None
        )


@dataclass(frozen=True)
class MethodologyVersion:
    id: str
    generation: str
    kind: str
    title: Localized
    identity: Identity
    valid_from: dt.date
    valid_to: dt.date | None
    validity_verified: bool
    validity_note: str
    clauses: tuple[Clause, ...]
    parameters: Mapping[str, Parameter]
    competencies: CompetencyMatrix | None
    competencies_note: str
    source: str
    sources: tuple[str, ...] = field(default=())

    def clause_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for c in self.clauses:
            seen.setdefault(c.id, None)
        return tuple(seen)

    def wordings(self, clause_id: str) -> tuple[Clause, ...]:
        found = tuple(c for c in self.clauses if c.id == clause_id)
        if not found:
            raise UnknownClause(clause_id, self.id)
        return found

    def covers(self, on: dt.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def param(self, key: str) -> Parameter:
        try:
            return self.parameters[key]
        except KeyError:
            raise InvalidInput("parameter", f"version {self.id} has no parameter {key!r}") from None

    def value(self, key: str) -> Any:
        """The parameter's value, or ParameterNotSet when the version leaves it unfilled."""
        p = self.param(key)
        if p.value is None:
            raise ParameterNotSet(self.id, key, p.note)
        return p.value

    def deadline_rules(self) -> tuple[str, ...]:
        return tuple(k.removeprefix("deadlines.") for k in self.parameters if k.startswith("deadlines."))
