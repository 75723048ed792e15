"""File-level checks of `read_table`: what the upload is, its encoding, its header, its size. Each
failure is one clear message with a rule, and no row is looked at."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from bagalau.orgs.staff_import import read as read_module
from bagalau.orgs.staff_import.columns import COLUMN_KEYS, column_for_header
from bagalau.orgs.staff_import.read import MAX_ROWS, read_table
from tests.staff_import.roster_data import SPEC_B2, cp1251_roster, csv_bytes, valid_rows, xlsx_bytes

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def rules(table) -> list[str]:
    return [e.rule for e in table.errors]


def test_a_valid_csv_gives_rows_numbered_as_in_excel():
    table = read_table("roster.csv", csv_bytes(valid_rows()))
    assert table.errors == [] and table.kind == "csv"
    assert [r.number for r in table.rows] == list(range(2, 11))
    assert table.rows[0].get("unit_code") == "A"


def test_blank_rows_are_skipped_but_keep_their_numbers():
    lines = csv_bytes(valid_rows()[:2]).decode().splitlines()
    data = "\n".join([lines[0], ",,,", lines[1], "", lines[2]]).encode()
    table = read_table("roster.csv", data)
    assert [r.number for r in table.rows] == [3, 5]


def test_cp1251_csv_is_asked_to_be_saved_as_utf8():
    table = read_table("roster.csv", cp1251_roster())
    assert rules(table) == ["encoding"]
    assert "UTF-8" in table.errors[0].message


def test_utf16_csv_is_asked_to_be_saved_as_utf8():
    assert rules(read_table("roster.csv", "unit_code\tiin\n".encode("utf-16"))) == ["encoding"]


@pytest.mark.parametrize("name, data", [
    ("roster.xlsx", PNG),
    ("roster.csv", PNG),
    ("roster.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
    ("roster.xlsx", b"unit_code,iin\n01,850101300124\n"),  # text renamed .xlsx
    ("roster.csv", bytes(range(256)) * 8),  # random bytes
])
def test_something_that_is_not_a_spreadsheet_is_named_as_such(name, data):
    table = read_table(name, data)
    assert rules(table) == ["not_spreadsheet"]
    assert "not a CSV or XLSX" in table.errors[0].message


def test_a_zip_that_is_not_a_workbook_is_not_a_spreadsheet():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    assert rules(read_table("roster.xlsx", out.getvalue())) == ["not_spreadsheet"]
    assert rules(read_table("roster.xlsx", out.getvalue()[:30])) == ["not_spreadsheet"]  # truncated


def test_an_old_xls_file_is_asked_to_be_saved_as_xlsx():
    table = read_table("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert rules(table) == ["xls"] and ".xlsx" in table.errors[0].message


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_an_empty_file_is_reported(data):
    assert rules(read_table("roster.csv", data)) == ["empty"]


def test_an_empty_workbook_is_reported():
    assert rules(read_table("roster.xlsx", _empty_xlsx())) == ["empty"]


def _empty_xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_a_header_without_data_rows_is_reported():
    assert rules(read_table("roster.csv", csv_bytes([]))) == ["no_rows"]


def test_missing_required_columns_are_named():
    headers = [k for k in COLUMN_KEYS if k not in ("iin", "category")]
    data = csv_bytes([{"unit_code": "A"}], headers=headers)
    table = read_table("roster.csv", data)
    assert rules(table) == ["missing_columns"]
    assert "category" in table.errors[0].message and "iin" in table.errors[0].message


def test_optional_columns_may_be_left_out_and_unknown_ones_are_ignored():
    from bagalau.orgs.staff_import.columns import REQUIRED_KEYS

    headers = [*REQUIRED_KEYS, "notes"]
    data = ",".join(headers).encode() + b"\nA,,,,,,,,,,,,x\n"
    table = read_table("roster.csv", data)
    assert table.errors == []
    assert table.rows[0].get("unit_code") == "A" and table.rows[0].get("direct_manager_iin") == ""


def test_a_column_given_twice_is_reported():
    headers = [*COLUMN_KEYS, "IIN"]
    assert rules(read_table("roster.csv", ",".join(headers).encode() + b"\nA\n")) == ["duplicate_column"]


def test_header_aliases_in_kazakh_russian_and_english_spellings():
    assert column_for_header("ЖСН") == column_for_header("ИИН") == column_for_header(" IIN ") == "iin"
    assert column_for_header("Unit code") == column_for_header("UNIT-CODE") == column_for_header("\ufeffunit_code")
    assert column_for_header("Лауазым коды") == "position_code"
    assert column_for_header("something else") is None


def test_more_rows_than_the_limit_are_refused():
    line = "A,,,,,,,,,,,,,,,,,\n"
    data = (",".join(COLUMN_KEYS) + "\n").encode() + (line * (MAX_ROWS + 1)).encode()
    table = read_table("roster.csv", data)
    assert rules(table) == ["too_many_rows"] and str(MAX_ROWS) in table.errors[0].message
    at_limit = (",".join(COLUMN_KEYS) + "\n").encode() + (line * MAX_ROWS).encode()
    assert read_table("roster.csv", at_limit).errors == []


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.STAFF_IMPORT_MAX_BYTES = 1000
    table = read_table("roster.csv", csv_bytes(valid_rows()))
    assert rules(table) == ["too_large"] and "MB" in table.errors[0].message


def test_xlsx_cells_become_text_with_iin_zeros_and_dates_restored():
    table = read_table("roster.xlsx", xlsx_bytes(valid_rows(), numeric_iins=True, date_cells=True))
    assert table.errors == [] and table.kind == "xlsx"
    row7 = next(r for r in table.rows if r.number == 7)
    assert row7.get("iin") == SPEC_B2 and SPEC_B2.startswith("0")
    assert row7.get("appointed_from") == dt.date(2023, 12, 5).isoformat()


def test_only_the_first_sheet_of_a_workbook_is_read():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(list(COLUMN_KEYS))
    workbook.active.append(["A"])
    workbook.create_sheet("notes").append(["anything", "at all"])
    out = io.BytesIO()
    workbook.save(out)
    table = read_table("roster.xlsx", out.getvalue())
    assert table.errors == [] and [r.get("unit_code") for r in table.rows] == ["A"]


def test_a_long_run_of_blank_rows_ends_the_sheet(monkeypatch):
    from openpyxl import Workbook

    monkeypatch.setattr(read_module, "BLANK_RUN_END", 5)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMN_KEYS))
    sheet.append(["A"])
    sheet.cell(row=20, column=1, value="B")  # after 17 blank rows
    out = io.BytesIO()
    workbook.save(out)
    assert [r.get("unit_code") for r in read_table("roster.xlsx", out.getvalue()).rows] == ["A"]


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch):
    monkeypatch.setattr(read_module, "MAX_UNPACKED_BYTES", 1000)
    table = read_table("roster.xlsx", xlsx_bytes(valid_rows()))
    assert rules(table) == ["too_large"] and "unpacks" in table.errors[0].message
