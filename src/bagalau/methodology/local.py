"""A body's own values for what its methodology version leaves open (spec 5.2, 5.3, Q-01, Q-21).

Typical versions ship no ranking scale or quotas and no competency annex: those come from the
body's own act. A body fills them once per adoption, each value citing the clause of its act, and
the rules then read the *effective* version: the shipped one with the body's values applied.

Why the rules are strict:

* Only what the version leaves open may be filled: a parameter whose value is null, the null
  settings inside a mapping parameter (the ranking block), or an absent competency matrix. A body
  cannot overwrite a value the version sets (that would be a different methodology).
* Each filled value keeps its own clause, the body's act: a new clause is added to the effective
  version, so a decision resting on the value cites the body's act, not the typical text.
* Values are checked by the same code that checks a version file (`schema.py`, `parameters.py`),
  so a bad quota is refused with the parameter and the setting named, before anything is saved.

The input shape (JSON-ready, as the lawbook stores it)::

    {"ranking": {"value": {"scale": [...], "quotas": {"EFFECTIVE": "1/4"}, ...},
                 "clause": "BODY-ord-12-p.3", "act": "Order No. 12 of 2023-09-01, p.3",
                 "verified": false, "note": "what to check"},
     "competencies": {"value": {"groups": {...}, "items": [...]}, "clause": ..., ...}}

`clause` is a clause id (letters, digits, `.-_()`, no spaces), `act` the act's own reference shown
as the clause's title, `verified` false needs a `note`, as in a version file.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from bagalau.methodology.decision import jsonable
from bagalau.methodology.errors import MethodologyError, VersionFileError
from bagalau.methodology.model import Clause, Localized, MethodologyVersion, Parameter
from bagalau.methodology.parameters import OPTIONAL_PARAMETERS, REQUIRED_PARAMETERS, deadline_rule, freeze
from bagalau.methodology.reader import Reader
from bagalau.methodology.schema import CLAUSE_ID, build_competencies, cross_check_parameters

COMPETENCIES = "competencies"
ENTRY_KEYS = ("value", "clause", "act", "verified", "note")


class LocalParameterError(MethodologyError):
    """A body's local value is refused. `parameter` names it (e.g. "ranking"), `path` the setting."""

    def __init__(self, parameter: str, path: str, problem: str) -> None:
        self.parameter = parameter
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


def open_parameters(version: MethodologyVersion) -> dict[str, tuple[str, ...]]:
    """What a body may fill: parameter -> its open settings (empty tuple = the whole value)."""
    out: dict[str, tuple[str, ...]] = {}
    for key, p in version.parameters.items():
        if p.value is None:
            out[key] = ()
        elif isinstance(p.value, Mapping) and any(v is None for v in p.value.values()):
            out[key] = tuple(k for k, v in p.value.items() if v is None)
    if version.competencies is None:
        out[COMPETENCIES] = ()
    return out


def apply_local_parameters(version: MethodologyVersion, local: Mapping[str, Any] | None) -> MethodologyVersion:
    """The effective version: `version` with the body's values for its open parameters.

    Raises LocalParameterError naming the parameter and the setting when a value is not allowed or
    malformed. An empty `local` returns `version` itself.
    """
    if not local:
        return version
    local_json = json.dumps(jsonable(dict(local)), sort_keys=True, ensure_ascii=False)
    cached = _CACHE.get((id(version), local_json))
    if cached is not None and cached[0] is version:
        return cached[1]
    effective = _apply(version, json.loads(local_json))
    if len(_CACHE) >= 256:  # versions are few; the bound only guards against a leak
        _CACHE.clear()
    _CACHE[(id(version), local_json)] = (version, effective)
    return effective


# (id of the shipped version, the local values as JSON) -> (that version, the effective version).
# Versions are frozen and the registry keeps them alive, so an effective version is built once.
_CACHE: dict[tuple[int, str], tuple[MethodologyVersion, MethodologyVersion]] = {}


def _apply(version: MethodologyVersion, local: dict[str, Any]) -> MethodologyVersion:
    r = Reader("local parameters")
    open_ = open_parameters(version)
    clauses: dict[str, Clause] = {}
    params = dict(version.parameters)
    competencies = version.competencies
    competencies_note = version.competencies_note
    for key in sorted(local):
        try:
            if key not in open_:
                raise r.fail(key, "the version sets this parameter (or has no such parameter); only what it "
                                  f"leaves open may be filled: {', '.join(sorted(open_)) or 'nothing'}")
            entry = r.mapping(local[key], key, required=("value", "clause", "act", "verified"), optional=("note",))
            clause = _clause(r, version, key, entry, clauses)
            if key == COMPETENCIES:
                competencies = build_competencies(
                    r, {"clause": clause.id, "verified": clause.verified, "note": clause.note,
                        **r.mapping(entry["value"], f"{key}.value", required=("groups", "items"))},
                    {c.id for c in version.clauses} | {clause.id},
                )
                competencies_note = clause.note
                continue
            params[key] = _parameter(r, version.param(key), open_[key], entry, clause, version)
        except VersionFileError as exc:
            raise LocalParameterError(key, exc.key, exc.problem) from None
    try:
        cross_check_parameters(r, params, version.clauses + tuple(clauses.values()))
    except VersionFileError as exc:
        # The checks between parameters name the shipped one (rating_labels); blame the filled one.
        blamed = next((k for k in sorted(local) if k in exc.key or k in exc.problem), ", ".join(sorted(local)))
        raise LocalParameterError(blamed, exc.key, exc.problem) from None
    return dataclasses.replace(
        version, clauses=version.clauses + tuple(clauses.values()), parameters=params,
        competencies=competencies, competencies_note=competencies_note,
    )


def _clause(r: Reader, version: MethodologyVersion, key: str, entry: Mapping[str, Any],
            seen: dict[str, Clause]) -> Clause:
    """The clause of the body's act the value rests on, in force for the version's whole validity."""
    cid = r.text(entry["clause"], f"{key}.clause") or ""
    if not CLAUSE_ID.match(cid):
        raise r.fail(f"{key}.clause", f"{cid!r} is not a clause id (letters, digits, . - _ ( ), no spaces)")
    if cid in version.clause_ids():
        raise r.fail(f"{key}.clause", f"{cid} is a clause of version {version.id}; cite the body's own act")
    act = r.text(entry["act"], f"{key}.act") or ""
    verified = r.boolean(entry["verified"], f"{key}.verified")
    note = entry.get("note") or ""
    if not verified and not (isinstance(note, str) and note.strip()):
        raise r.fail(f"{key}.note", "an unverified value needs a note saying what to verify")
    clause = Clause(
        id=cid, title=Localized(act, act, act), kk_ref=act, valid_from=version.valid_from,
        valid_to=version.valid_to, status="in_force", introduced_by=None, verified=verified, note=str(note),
    )
    known = seen.get(cid)
    if known is not None and (known.kk_ref, known.verified) != (act, verified):
        raise r.fail(f"{key}.clause", f"{cid} is cited with another act or verified flag by another parameter")
    seen[cid] = clause
    return clause


def _parameter(r: Reader, shipped: Parameter, open_settings: tuple[str, ...], entry: Mapping[str, Any],
               clause: Clause, version: MethodologyVersion) -> Parameter:
    key = shipped.key
    value = entry["value"]
    if value is None:
        raise r.fail(f"{key}.value", "must be given (leave the parameter out to keep it open)")
    if open_settings:  # a mapping with some settings open: fill those, keep the version's others
        given = r.mapping(value, f"{key}.value")
        fixed = sorted(k for k in given if shipped.value.get(k) is not None)
        if fixed:
            raise r.fail(f"{key}.value", f"the version sets {', '.join(fixed)}; only "
                                         f"{', '.join(open_settings)} may be filled")
        value = {**jsonable(dict(shipped.value)), **given}
    check = REQUIRED_PARAMETERS.get(key) or OPTIONAL_PARAMETERS.get(key)
    if check is None:  # an optional deadlines.* rule
        check = deadline_rule
    raw = {k: {"value": jsonable(p.value)} for k, p in version.parameters.items()}
    checked = check(r, value, f"{key}.value", raw)
    return Parameter(key=key, value=freeze(checked), clause=clause.id, verified=clause.verified,
                     note=clause.note, label=shipped.label)


def local_clause_ids(effective: MethodologyVersion, shipped: MethodologyVersion) -> tuple[str, ...]:
    """The clauses the body's act added (to show which values come from the body, not the version)."""
    known = set(shipped.clause_ids())
    return tuple(c for c in effective.clause_ids() if c not in known)
