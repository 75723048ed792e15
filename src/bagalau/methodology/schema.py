"""The schema of a version file, checked when the file is loaded.

A version file is law turned into data; a typo in it would silently change a deadline or a
rating. So the loader refuses, at load time and with file, key and problem named, anything it
does not understand: a missing or unknown key, a parameter that cites a clause the file does not
define, two wordings of one clause in force on the same day, a grading table with a gap, an
unverified value without a note. The checks are structural; no legal number is written here.
This module checks the file's structure; `parameters.py` checks each parameter's value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from bagalau.methodology.model import (
    HEAD,
    NON_HEAD,
    Clause,
    Competency,
    CompetencyGroup,
    CompetencyMatrix,
    EntryIntoForce,
    Identity,
    Indicator,
    LegalAct,
    MethodologyVersion,
    Parameter,
)
from bagalau.methodology.parameters import OPTIONAL_PARAMETERS, REQUIRED_PARAMETERS, deadline_rule, freeze
from bagalau.methodology.reader import Reader

SCHEMA_VERSION = 1
GENERATIONS = ("G2016", "G2018", "G2021/22", "G2023", "G2025")
KINDS = ("local", "typical")
ENTRY_RULES = (
    "on_publication", "day_after_publication", "ten_calendar_days_after_publication", "unknown",
)
_CLAUSE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.()\-]*$")
CLAUSE_ID = _CLAUSE_ID  # also the shape of a body's own clause id (methodology.local)
_RULE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


# -- whole file -----------------------------------------------------------------------------------


def build_version(raw: Any, file: str, expected_id: str | None = None) -> MethodologyVersion:
    """Validate one parsed YAML document and build the frozen version, or raise VersionFileError."""
    r = Reader(file)
    top = r.mapping(raw, "", required=(
        "schema_version", "id", "generation", "kind", "title", "identity", "validity", "clauses",
        "parameters", "competencies",
    ), optional=("sources",))
    if top["schema_version"] != SCHEMA_VERSION:
        raise r.fail("schema_version", f"must be {SCHEMA_VERSION}, got {top['schema_version']!r}")
    version_id = r.text(top["id"], "id") or ""
    if expected_id is not None and version_id != expected_id:
        raise r.fail("id", f"{version_id!r} does not match the file name {expected_id!r}")
    generation = r.choice(top["generation"], "generation", GENERATIONS)
    kind = r.choice(top["kind"], "kind", KINDS)
    title = r.localized(top["title"], "title")
    identity = _identity(r, top["identity"])
    validity = r.mapping(top["validity"], "validity", required=("from", "to", "verified"), optional=("note",))
    valid_from = r.date(validity["from"], "validity.from")
    valid_to = r.date(validity["to"], "validity.to", nullable=True)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise r.fail("validity", f"ends ({valid_to}) before it starts ({valid_from})")
    validity_verified = r.boolean(validity["verified"], "validity.verified")
    validity_note = _note(r, validity, "validity", validity_verified)
    clauses = _clauses(r, top["clauses"], valid_from, valid_to)
    clause_ids = {c.id for c in clauses}
    parameters = _parameters(r, top["parameters"], clause_ids)
    competencies, competencies_note = _competencies(r, top["competencies"], clause_ids)
    _cross_checks(r, parameters, clauses)
    sources = tuple(r.text(s, f"sources[{i}]") for i, s in enumerate(top.get("sources") or []))
    return MethodologyVersion(
        id=version_id, generation=generation, kind=kind, title=title, identity=identity,
        valid_from=valid_from, valid_to=valid_to, validity_verified=validity_verified,
        validity_note=validity_note, clauses=clauses, parameters=parameters,
        competencies=competencies, competencies_note=competencies_note, source=file,
        sources=sources,  # type: ignore[arg-type]
    )


def _note(r: Reader, m: Mapping[str, Any], key: str, verified: bool) -> str:
    note = m.get("note")
    if not verified and not (isinstance(note, str) and note.strip()):
        raise r.fail(f"{key}.note", "an unverified value needs a note saying what to verify")
    if note is not None:
        r.text(note, f"{key}.note")
    return note or ""


def _entry(r: Reader, v: Any, key: str) -> EntryIntoForce:
    m = r.mapping(v, key, required=("rule", "date", "verified"), optional=("note",))
    verified = r.boolean(m["verified"], f"{key}.verified")
    date = r.date(m["date"], f"{key}.date")
    assert date is not None
    return EntryIntoForce(r.choice(m["rule"], f"{key}.rule", ENTRY_RULES), date, verified,
                          _note(r, m, key, verified))


def _act(r: Reader, v: Any, key: str) -> LegalAct:
    m = r.mapping(v, key, required=("number", "date", "entry_into_force"), optional=("title",))
    date = r.date(m["date"], f"{key}.date")
    assert date is not None
    return LegalAct(
        number=str(r.text(m["number"], f"{key}.number")), date=date,
        entry_into_force=_entry(r, m["entry_into_force"], f"{key}.entry_into_force"),
        title=r.localized(m["title"], f"{key}.title") if m.get("title") is not None else None,
    )


def _identity(r: Reader, v: Any) -> Identity:
    m = r.mapping(v, "identity", required=(
        "issuing_body", "act_kind", "number", "date", "state_registration_number", "entry_into_force",
        "amended_by", "repealed_by",
    ))
    date = r.date(m["date"], "identity.date")
    assert date is not None
    reg = m["state_registration_number"]
    if reg is not None:
        reg = str(r.text(str(reg), "identity.state_registration_number"))
    amended = m["amended_by"] or []
    if not isinstance(amended, list):
        raise r.fail("identity.amended_by", "must be a list")
    return Identity(
        issuing_body=r.localized(m["issuing_body"], "identity.issuing_body"),
        act_kind=r.choice(m["act_kind"], "identity.act_kind", ("decision", "order")),
        number=str(r.text(str(m["number"]), "identity.number")),
        date=date,
        state_registration_number=reg,
        entry_into_force=_entry(r, m["entry_into_force"], "identity.entry_into_force"),
        amended_by=tuple(_act(r, a, f"identity.amended_by[{i}]") for i, a in enumerate(amended)),
        repealed_by=_act(r, m["repealed_by"], "identity.repealed_by") if m["repealed_by"] else None,
    )


def _clauses(r: Reader, v: Any, valid_from: dt.date, valid_to: dt.date | None) -> tuple[Clause, ...]:
    if not isinstance(v, list) or not v:
        raise r.fail("clauses", "must be a non-empty list")
    out: list[Clause] = []
    for i, item in enumerate(v):
        key = f"clauses[{i}]"
        m = r.mapping(item, key, required=("id", "title", "kk_ref", "from", "to", "status", "verified"),
                      optional=("introduced_by", "note"))
        cid = r.text(m["id"], f"{key}.id") or ""
        if not _CLAUSE_ID.match(cid):
            raise r.fail(f"{key}.id", f"{cid!r} is not a clause id like S1-p.50")
        key = f"clauses[{cid}]"
        verified = r.boolean(m["verified"], f"{key}.verified")
        kk_ref = r.text(m["kk_ref"], f"{key}.kk_ref", nullable=True)
        if kk_ref is None and verified:
            raise r.fail(f"{key}.kk_ref", "a verified clause needs the reference to its Kazakh text")
        start = r.date(m["from"], f"{key}.from")
        end = r.date(m["to"], f"{key}.to", nullable=True)
        assert start is not None
        if end is not None and end < start:
            raise r.fail(key, f"ends ({end}) before it starts ({start})")
        if start < valid_from or (valid_to is not None and (end is None or end > valid_to)):
            raise r.fail(key, f"period {start}..{end or 'open'} is outside the version's validity "
                              f"{valid_from}..{valid_to or 'open'}")
        out.append(Clause(
            id=cid, title=r.localized(m["title"], f"{key}.title"), kk_ref=kk_ref,
            valid_from=start, valid_to=end,
            status=r.choice(m["status"], f"{key}.status", ("in_force", "deleted")),
            introduced_by=r.text(m.get("introduced_by"), f"{key}.introduced_by", nullable=True),
            verified=verified, note=_note(r, m, key, verified),
        ))
    by_id: dict[str, list[Clause]] = {}
    for c in out:
        by_id.setdefault(c.id, []).append(c)
    for cid, wordings in by_id.items():
        wordings.sort(key=lambda c: c.valid_from)
        for a, b in zip(wordings, wordings[1:], strict=False):
            if a.valid_to is None or a.valid_to >= b.valid_from:
                raise r.fail(f"clauses[{cid}]", f"overlapping effective dates: {a.period()} and {b.period()}")
    return tuple(out)


def _parameters(r: Reader, v: Any, clause_ids: set[str]) -> dict[str, Parameter]:
    raw = r.mapping(v, "parameters")
    for key in REQUIRED_PARAMETERS:
        if key not in raw:
            raise r.fail(f"parameters.{key}", "missing (a parameter the rules need; set value: null "
                                              "with verified: false and a note if the text does not set it)")
    out: dict[str, Parameter] = {}
    for key, node in raw.items():
        path = f"parameters.{key}"
        check = REQUIRED_PARAMETERS.get(key) or OPTIONAL_PARAMETERS.get(key)
        if check is None and isinstance(key, str) and key.startswith("deadlines."):
            if not _RULE_ID.match(key.removeprefix("deadlines.")):
                raise r.fail(path, "deadline rule ids are lower_snake_case")
            check = deadline_rule
        if check is None:
            raise r.fail(path, "unknown parameter")
        m = r.mapping(node, path, required=("value", "clause"), optional=("verified", "note", "label"))
        clause = r.text(m["clause"], f"{path}.clause") or ""
        if clause not in clause_ids:
            raise r.fail(f"{path}.clause", f"unknown clause id {clause!r} (not defined under clauses)")
        verified = r.boolean(m.get("verified", True), f"{path}.verified")
        if m["value"] is None and verified:
            raise r.fail(f"{path}.value", "null (not set) must be marked verified: false with a note")
        note = _note(r, m, path, verified)
        value = None if m["value"] is None else check(r, m["value"], f"{path}.value", raw)
        label = r.localized(m["label"], f"{path}.label") if m.get("label") is not None else None
        if key.startswith("deadlines.") and value is not None and label is None:
            raise r.fail(f"{path}.label", "a deadline rule needs its kk/ru/en label")
        out[key] = Parameter(key=key, value=freeze(value), clause=clause, verified=verified, note=note,
                             label=label)
    return out


def _competencies(r: Reader, v: Any, clause_ids: set[str]) -> tuple[CompetencyMatrix | None, str]:
    m = r.mapping(v, "competencies")
    clause = r.text(m.get("clause"), "competencies.clause") or ""
    if clause not in clause_ids:
        raise r.fail("competencies.clause", f"unknown clause id {clause!r} (not defined under clauses)")
    if "value" in m:  # the text has no matrix, or it was not retrieved
        r.mapping(m, "competencies", required=("value", "clause", "verified", "note"))
        if m["value"] is not None:
            raise r.fail("competencies.value", "only null is allowed here; give groups and items instead")
        if r.boolean(m["verified"], "competencies.verified"):
            raise r.fail("competencies.verified", "an absent matrix must be marked verified: false")
        return None, str(_note(r, m, "competencies", False))
    r.mapping(m, "competencies", required=("clause", "verified", "groups", "items"), optional=("note",))
    verified = r.boolean(m["verified"], "competencies.verified")
    note = _note(r, m, "competencies", verified)
    groups_raw = r.mapping(m["groups"], "competencies.groups", required=(HEAD, NON_HEAD))
    groups = []
    for gid in (HEAD, NON_HEAD):
        g = r.mapping(groups_raw[gid], f"competencies.groups.{gid}", required=("is_head", "categories", "label"))
        is_head = r.boolean(g["is_head"], f"competencies.groups.{gid}.is_head")
        if is_head != (gid == HEAD):
            raise r.fail(f"competencies.groups.{gid}.is_head", "must be true for head and false for non_head")
        cats = g["categories"]
        if not isinstance(cats, list) or not cats:
            raise r.fail(f"competencies.groups.{gid}.categories", "must be a non-empty list")
        groups.append(CompetencyGroup(
            id=gid, is_head=is_head,
            categories=tuple(str(r.text(c, f"competencies.groups.{gid}.categories")) for c in cats),
            label=r.localized(g["label"], f"competencies.groups.{gid}.label"),
        ))
    items = m["items"]
    if not isinstance(items, list) or not items:
        raise r.fail("competencies.items", "must be a non-empty list")
    comps = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        key = f"competencies.items[{i}]"
        c = r.mapping(item, key, required=("id", "name", "indicators"))
        cid = str(r.text(c["id"], f"{key}.id"))
        if cid in seen:
            raise r.fail(f"{key}.id", f"duplicate competency id {cid!r}")
        seen.add(cid)
        key = f"competencies.items[{cid}]"
        ind = r.mapping(c["indicators"], f"{key}.indicators", required=(HEAD, NON_HEAD))
        per_group = {}
        for gid in (HEAD, NON_HEAD):
            rows = ind[gid]
            if not isinstance(rows, list) or not rows:
                raise r.fail(f"{key}.indicators.{gid}", "must be a non-empty list")
            per_group[gid] = tuple(
                _indicator(r, row, f"{key}.indicators.{gid}[{n}]", n + 1) for n, row in enumerate(rows)
            )
        comps.append(Competency(id=cid, name=r.localized(c["name"], f"{key}.name"), indicators=per_group))
    matrix = CompetencyMatrix(clause=clause, verified=verified, note=note, groups=tuple(groups),
                              competencies=tuple(comps))
    return matrix, note


def build_competencies(r: Reader, raw: Any, clause_ids: set[str]) -> CompetencyMatrix | None:
    """The competency matrix from its raw form (a version file's, or a body's own annex)."""
    return _competencies(r, raw, clause_ids)[0]


def cross_check_parameters(r: Reader, params: Mapping[str, Parameter], clauses: tuple[Clause, ...]) -> None:
    """The checks between parameters, run again when a body fills open ones (methodology.local)."""
    _cross_checks(r, params, clauses)


def _indicator(r: Reader, v: Any, key: str, ordinal: int) -> Indicator:
    m = r.mapping(v, key, required=("effective", "ineffective"))
    ineffective = None if m["ineffective"] is None else r.localized(m["ineffective"], f"{key}.ineffective")
    return Indicator(ordinal, r.localized(m["effective"], f"{key}.effective"), ineffective)


def _cross_checks(r: Reader, params: Mapping[str, Parameter], clauses: tuple[Clause, ...]) -> None:
    """Checks between parameters: labels exist for every rating used, the transitional route
    names a clause of the file."""
    labels = params["rating_labels"].value or {}
    grading = params["kpi.grading"].value or ()
    for row in grading:
        if row["rating"] not in labels:
            raise r.fail("parameters.rating_labels", f"no kk/ru/en label for rating {row['rating']}")
    ranking = params["ranking"].value or {}
    for code in ranking.get("scale") or ():
        if code not in labels:
            raise r.fail("parameters.rating_labels", f"no kk/ru/en label for ranking label {code}")
    transitional = params["eligibility.transitional"].value
    if transitional and transitional["route_clause"] not in {c.id for c in clauses}:
        raise r.fail("parameters.eligibility.transitional.value.route_clause",
                     f"unknown clause id {transitional['route_clause']!r}")
