"""Fuzzing the methodology version loader: a shipped version file, mutated at random (a key
dropped, a value replaced by one of another type, an unknown key added, a list emptied, the text
cut or garbled, bytes that are not UTF-8), must either load or be refused with a VersionFileError
naming the file and key. Any other exception would be a crash at start-up with no hint of what
is wrong in the file; a "loaded" version is checked to be the same shape as a real one."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bagalau.methodology.errors import VersionFileError
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import VERSIONS_DIR, load_version_file

SOURCES = sorted(VERSIONS_DIR.glob("*.yaml"))
ORIGINAL = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in SOURCES}
RAW = {p.stem: p.read_bytes() for p in SOURCES}
FUZZ = settings(max_examples=200, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# Values of every YAML type, including the awkward ones.
HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "=cmd|' /C calc'!A0", "9999-99-99", "null",
                     "2023-02-30", "G2023", "typical", "S1-p.50", "ӘҒҚҢӨҰҮҺІ", "\u202e", "x" * 5000]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys/indexes) inside a parsed document."""
    out = [prefix]
    if isinstance(node, dict):
        for k, v in node.items():
            out.extend(_paths(v, prefix + (k,)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_paths(v, prefix + (i,)))
    return out


PATHS = {name: _paths(doc)[1:] for name, doc in ORIGINAL.items()}


def _parent(doc: Any, path: tuple) -> Any:
    for key in path[:-1]:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(ORIGINAL)))
    doc = copy.deepcopy(ORIGINAL[name])
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        op = draw(st.sampled_from(["delete", "replace", "add", "empty", "duplicate"]))
        key = path[-1]
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(HOSTILE)
        elif op == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=12))] = draw(HOSTILE)
        elif op == "empty":
            parent[key] = type(parent[key])() if isinstance(parent[key], (dict, list, str)) else None
        elif op == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return name, doc


def _load(tmp_path: Path, name: str, data: bytes) -> MethodologyVersion | None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(data)
    try:
        return load_version_file(path)
    except VersionFileError as exc:
        # The key is "" only when the document as a whole is not a mapping.
        assert exc.file == path.name and exc.problem and isinstance(exc.key, str)
        return None


def _assert_sound(version: MethodologyVersion | None) -> None:
    if version is not None:
        assert isinstance(version, MethodologyVersion)
        assert version.clauses and version.id


def test_every_shipped_file_loads_unchanged(tmp_path):
    for name, data in RAW.items():
        assert _load(tmp_path, name, data) is not None, name


@FUZZ
@given(case=mutated())
def test_a_mutated_document_loads_or_is_refused_by_name(tmp_path_factory, case):
    name, doc = case
    data = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False).encode("utf-8")
    _assert_sound(_load(tmp_path_factory.mktemp("v"), name, data))


@FUZZ
@given(name=st.sampled_from(sorted(RAW)), cut=st.integers(0, 10**6), junk=st.binary(max_size=12),
       mode=st.sampled_from(["cut", "insert", "replace"]))
def test_garbled_bytes_load_or_are_refused_by_name(tmp_path_factory, name, cut, junk, mode):
    data = RAW[name]
    at = cut % (len(data) + 1)
    if mode == "cut":
        data = data[:at]
    elif mode == "insert":
        data = data[:at] + junk + data[at:]
    else:
        data = data[:at] + junk + data[at + len(junk):]
    _assert_sound(_load(tmp_path_factory.mktemp("v"), name, data))


@pytest.mark.parametrize("text", [
    "",  # an empty file parses to None
    "[]", "42", "'just a string'",
    "a: &a [*a]",  # a self-referencing alias
    "schema_version: 1\nid: &x typical-g2023\n" + "k: " + "[" * 200 + "]" * 200,  # deep nesting
    "schema_version: !!python/object/apply:os.system ['true']",  # the safe loader refuses tags
    "\ufeffschema_version: 1",
])
def test_hand_picked_hostile_documents_are_refused_by_name(tmp_path, text):
    assert _load(tmp_path, "typical-g2023", text.encode("utf-8")) is None


def test_bytes_that_are_not_utf8_are_refused_by_name(tmp_path):
    assert _load(tmp_path, "typical-g2023", b"schema_version: 1\nid: \xff\xfe\n") is None
