"""Fuzzing the staff import: a valid roster with hostile cells (formula injection, NUL, control
and bidi characters, huge text, odd dates and IINs), rows dropped or duplicated, in CSV or XLSX,
and raw bytes cut or garbled. Whatever comes in, `import_staff` returns a clean report (file or
row errors) or a success, never raises, and writes all of the file or nothing: the tables grow by
exactly what the result says it created, or not at all."""

from __future__ import annotations

import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from bagalau.orgs.models import Servant, StructuralUnit
from bagalau.orgs.staff_import import import_staff
from bagalau.orgs.staff_import.columns import COLUMN_KEYS
from tests import factories
from tests.staff_import.roster_data import csv_bytes, table_counts, valid_rows, xlsx_bytes

FUZZ = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

HOSTILE = st.one_of(
    st.sampled_from([
        "=HYPERLINK(\"http://evil.example\",\"click\")", "=1+1", "+7 701", "-2+3", "@SUM(A1:A9)", "\t=cmd",
        "=cmd|' /C calc'!A0", "<script>alert(1)</script>", "\x00", "a\x00b", "\u202eevil", "\ufeff", "😀",
        "x" * 10_000, "", " ", "\r\n", "\"", "'", ";", ",", "31.02.2024", "0000-00-00", "99999999999999999999",
        "000000000000", "иә", "нет", "E-R-1", "A", "Ә" * 300,
    ]),
    st.text(max_size=60),
)
COUNT_KEYS = ("units", "positions", "servants", "appointments", "overrides")


@st.composite
def rosters(draw: st.DrawFn) -> list[dict[str, str]]:
    rows = valid_rows()
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["cell", "cell", "cell", "drop", "duplicate", "swap"]))
        i = draw(st.integers(0, len(rows) - 1)) if rows else 0
        if op == "cell" and rows:
            rows[i][draw(st.sampled_from(list(COLUMN_KEYS)))] = draw(HOSTILE)
        elif op == "drop" and rows:
            rows.pop(i)
        elif op == "duplicate" and rows:
            rows.append(dict(rows[i]))
        elif op == "swap" and len(rows) > 1:
            j = draw(st.integers(0, len(rows) - 1))
            rows[i], rows[j] = rows[j], rows[i]
    return rows


def _check(actor, body, filename: str, data: bytes) -> None:
    """One import in a savepoint rolled back afterwards, so every case starts from the empty body."""
    with transaction.atomic():
        _check_one(actor, body, filename, data)
        transaction.set_rollback(True)


def _check_one(actor, body, filename: str, data: bytes) -> None:
    before = table_counts()
    result = import_staff(actor=actor, body=body, filename=filename, data=data)
    after = table_counts()
    event("applied" if result.applied else "refused")
    if result.applied:
        assert after["Servant"] - before["Servant"] == result.created["servants"]
        assert after["StructuralUnit"] - before["StructuralUnit"] == result.created["units"]
        assert after["Appointment"] - before["Appointment"] == result.created["appointments"]
        # Nothing written may be read as a formula by the spreadsheet an HR officer exports it to.
        for name in Servant.objects.filter(body=body).values_list("last_name", "first_name", "middle_name"):
            assert not any(part[:1] in "=+-@\t\r" for part in name if part), name
        for name in StructuralUnit.objects.filter(body=body).values_list("name_kk", "name_ru"):
            assert not any(part[:1] in "=+-@\t\r" for part in name if part), name
    else:
        assert after == before, "a refused import wrote something"
        assert result.file_errors or result.row_errors
        assert all(v == 0 for v in result.created.values())
    for error in [*result.file_errors, *result.row_errors]:
        assert str(getattr(error, "message", "")), error


@pytest.fixture
def importer(db):
    body = factories.body("Fuzz body")
    hr = factories.user(f"fuzz_hr_{body.pk}")
    factories.grant(hr, body)
    return hr, body


@FUZZ
@given(rows=rosters(), fmt=st.sampled_from(["csv", "csv;", "xlsx"]))
def test_hostile_rosters_are_imported_whole_or_refused_whole(importer, rows, fmt):
    hr, body = importer
    if fmt == "xlsx":
        # A cell of a real workbook cannot hold control characters: what Excel could save.
        rows = [{k: ILLEGAL_CHARACTERS_RE.sub("", v) for k, v in r.items()} for r in rows]
        _check(hr, body, "roster.xlsx", xlsx_bytes(rows))
    else:
        _check(hr, body, "roster.csv", csv_bytes(rows, delimiter=";" if fmt == "csv;" else ","))


@FUZZ
@given(seed=st.integers(0, 2**32), fmt=st.sampled_from(["csv", "xlsx"]),
       mode=st.sampled_from(["cut", "flip", "insert", "random"]))
def test_garbled_files_are_refused_with_a_report(importer, seed, fmt, mode):
    hr, body = importer
    rng = random.Random(seed)
    data = bytearray(xlsx_bytes(valid_rows()) if fmt == "xlsx" else csv_bytes(valid_rows()))
    if mode == "cut":
        data = data[: rng.randrange(len(data))]
    elif mode == "flip":
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    elif mode == "insert":
        at = rng.randrange(len(data))
        data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 64)))
    else:
        data = bytearray(rng.randbytes(rng.randint(0, 4096)))
    _check(hr, body, f"roster.{fmt}", bytes(data))
