"""Bytes to rows: decide what the upload is, decode it, map its headers to our columns.

Everything that makes the file as a whole unusable is a `FileError` here, before any row is
looked at: too large, empty, not a spreadsheet at all, the wrong text encoding, missing columns,
too many rows. What kind of file it is comes from its content, not its name, because HR renames
files freely (a PNG called roster.xlsx must get "not a CSV or XLSX", not a parser traceback).

Row numbers are the ones the user sees in Excel: the header is row 1. Entirely blank rows are
skipped (Excel leaves them everywhere) but keep their numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bagalau.orgs.staff_import.columns import IIN_KEYS, REQUIRED_KEYS, column_for_header

# More rows than this is not a body's staff list: refuse rather than run for minutes.
MAX_ROWS = 5000
# Only this many columns of a sheet are read: the roster has 18, the rest is someone's notes.
MAX_COLUMNS = 64
# A run of this many blank rows ends the sheet (Excel "uses" formatted rows down to 1 048 576).
BLANK_RUN_END = 1000
# An XLSX is a zip: a 5 MB file could unpack to gigabytes of XML (a "zip bomb"). A real roster of
# MAX_ROWS rows unpacks to a few megabytes.
MAX_UNPACKED_BYTES = 100 * 1024 * 1024

_BINARY_MAGIC = (
    b"\x89PNG", b"%PDF", b"GIF8", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"\x1f\x8b",
    b"Rar!", b"7z\xbc\xaf", b"RIFF", b"\x00\x00\x01\x00", b"ID3", b"OggS", b"fLaC",
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls / .doc
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


# Records as read: text from a CSV, cell values (numbers, dates...) from an XLSX.
Grid = list[tuple[int, list[object]]]


@dataclass(frozen=True)
class FileError:
    message: str
    rule: str


@dataclass(frozen=True)
class RawRow:
    number: int  # as the user sees it: the header is row 1
    values: dict[str, str]  # canonical column key -> stripped text ("" when empty or column absent)

    def get(self, key: str) -> str:
        return self.values.get(key, "")


@dataclass
class Table:
    kind: str = ""  # "csv" or "xlsx"
    headers: dict[str, str] = field(default_factory=dict)  # canonical key -> header as written
    rows: list[RawRow] = field(default_factory=list)
    errors: list[FileError] = field(default_factory=list)


def max_bytes() -> int:
    return int(getattr(settings, "STAFF_IMPORT_MAX_BYTES", 5 * 1024 * 1024))


def size_error(size: int | None = None) -> FileError:
    """The message for a file over the limit; callers that know the size before reading the file
    (the upload handler, the command) use it to refuse without reading."""
    limit_mb = max_bytes() / (1024 * 1024)
    if size is None:
        message = _("The file is larger than the limit of %(limit).0f MB. Remove other sheets, pictures "
                    "and unused columns, or split the roster into several files.") % {"limit": limit_mb}
    else:
        message = _("The file is %(size).1f MB, larger than the limit of %(limit).0f MB. Remove other "
                    "sheets, pictures and unused columns, or split the roster into several files.") % {
            "size": size / (1024 * 1024), "limit": limit_mb}
    return FileError(message, "too_large")


def _not_a_spreadsheet() -> FileError:
    return FileError(_("This is not a CSV or XLSX file. Upload the roster saved from Excel as .xlsx, or as "
                       "CSV UTF-8 (see the template)."), "not_spreadsheet")


def _encoding_error() -> FileError:
    return FileError(_("The CSV file is not in UTF-8 encoding (it looks like Windows-1251 or UTF-16). Save the "
                       "file as UTF-8: in Excel choose \"CSV UTF-8 (comma delimited)\", or upload the .xlsx "
                       "file instead."), "encoding")


def _empty() -> FileError:
    return FileError(_("The file is empty."), "empty")


def read_table(filename: str, data: bytes) -> Table:
    """Decode an upload into rows with canonical keys, or a table whose `errors` say why not."""
    table = Table()
    if len(data) > max_bytes():
        table.errors.append(size_error(len(data)))
        return table
    if not data.strip():
        table.errors.append(_empty())
        return table
    name = filename.lower()
    if data.startswith(_ZIP_MAGIC):
        table.kind = "xlsx"
        grid = _xlsx_grid(data, table)
    elif data.startswith(_OLE_MAGIC) and name.endswith((".xls", ".xlsx")):
        table.errors.append(FileError(_("This is an old Excel .xls file. Open it in Excel and save it as .xlsx "
                                        "(Excel Workbook) or CSV UTF-8."), "xls"))
        return table
    elif name.endswith((".xlsx", ".xlsm", ".xls")) or _looks_binary(data):
        table.errors.append(_not_a_spreadsheet())
        return table
    else:
        table.kind = "csv"
        grid = _csv_grid(data, table)
    if table.errors:
        return table
    _map_rows(grid, table)
    return table


def _looks_binary(data: bytes) -> bool:
    if data.startswith(_BINARY_MAGIC) or data.startswith(_OLE_MAGIC):
        return True
    head = data[:8192]
    if head.startswith(_UTF16_BOMS):
        return False  # text, in the wrong encoding: the CSV path says so
    return b"\x00" in head


def _looks_like_text(text: str) -> bool:
    """True when text decoded from a legacy code page reads like text rather than noise."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(text) // 100


def _csv_grid(data: bytes, table: Table) -> Grid:
    if data.startswith(_UTF16_BOMS):
        table.errors.append(_encoding_error())
        return []
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        looks_cp1251 = _looks_like_text(data[:65536].decode("cp1251", errors="replace"))
        table.errors.append(_encoding_error() if looks_cp1251 else _not_a_spreadsheet())
        return []
    if not text.strip():
        table.errors.append(_empty())
        return []
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    grid: Grid = []
    try:
        for number, record in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 1):
            if not _collect(grid, number, list(record[:MAX_COLUMNS]), table):
                break
    except csv.Error as exc:
        table.errors.append(FileError(_("The CSV file cannot be read (%(detail)s). Save it again from Excel as "
                                        "CSV UTF-8.") % {"detail": exc}, "csv"))
    return grid


def _xlsx_grid(data: bytes, table: Table) -> Grid:
    import openpyxl  # imported here: only XLSX uploads pay for it

    grid: Grid = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            table.errors.append(FileError(_("The workbook unpacks to more than %(limit)d MB. Save only the roster "
                                            "sheet, without pictures, as a new .xlsx file.")
                                          % {"limit": MAX_UNPACKED_BYTES // (1024 * 1024)}, "too_large"))
            return grid
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    table.errors.append(_empty())
                    return grid
                sheet = workbook.worksheets[0]
                blank_run = 0
                for number, cells in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), 1):
                    record = list(cells)
                    blank_run = 0 if any(_cell_text(v) for v in record) else blank_run + 1
                    if blank_run >= BLANK_RUN_END:
                        break
                    if not _collect(grid, number, record, table):
                        break
            finally:
                workbook.close()
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, EOFError, zlib.error, struct.error,
            NotImplementedError, RuntimeError):
        # A .docx, a damaged or a foreign zip: openpyxl fails in many ways, all meaning "not XLSX"
        # (a garbled member fails to inflate: zlib.error; a flipped method byte names a compression
        # zipfile lacks: NotImplementedError; an "encrypted" flag: RuntimeError).
        table.errors.append(_not_a_spreadsheet())
    except Exception as exc:
        # openpyxl's InvalidFileException and the XML parsers' errors subclass none of the above.
        if type(exc).__name__ in {"InvalidFileException", "XMLSyntaxError", "ParseError", "ExpatError"}:
            table.errors.append(_not_a_spreadsheet())
        else:
            raise
    if not table.errors and not grid:
        table.errors.append(_empty())
    return grid


def _cell_text(value: object, key: str = "") -> str:
    """A cell as text. Dates become ISO dates; integral numbers lose the ".0" Excel adds; an IIN
    typed into a number cell gets back the leading zeros Excel dropped (people born 2000-2009)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return str(value).zfill(12) if key in IIN_KEYS and 0 < value < 10**12 else str(value)
    return str(value).strip()


def _collect(grid: Grid, number: int, record: list[object], table: Table) -> bool:
    """Append a non-blank record; False (with an error) once the file has too many rows."""
    if not any(_cell_text(v) for v in record):
        return True
    if len(grid) > MAX_ROWS:  # the header plus MAX_ROWS data rows are allowed
        table.errors.append(FileError(_("The file has more than %(max)d rows. Import the roster in parts of "
                                        "at most %(max)d rows.") % {"max": MAX_ROWS}, "too_many_rows"))
        return False
    grid.append((number, record))
    return True


def _map_rows(grid: Grid, table: Table) -> None:
    """Read the header row, check the required columns and turn each record into a RawRow."""
    header_number, header = grid[0]
    index: dict[str, int] = {}
    for position, cell in enumerate(header):
        text = _cell_text(cell)
        key = column_for_header(text)
        if key is None:
            continue
        if key in index:
            table.errors.append(FileError(_("Column %(column)s appears twice in the header (\"%(first)s\" and "
                                            "\"%(second)s\").") % {"column": key, "first": table.headers[key],
                                                                   "second": text}, "duplicate_column"))
            continue
        index[key] = position
        table.headers[key] = text
    missing = [key for key in REQUIRED_KEYS if key not in index]
    if missing:
        message = ngettext(
            "Required column missing: %(columns)s. Row %(row)d must hold the column names of the template.",
            "Required columns missing: %(columns)s. Row %(row)d must hold the column names of the template.",
            len(missing)) % {"columns": ", ".join(missing), "row": header_number}
        table.errors.append(FileError(message, "missing_columns"))
    if table.errors:
        return
    for number, record in grid[1:]:
        values = {}
        for key, position in index.items():
            values[key] = _cell_text(record[position], key) if position < len(record) else ""
        table.rows.append(RawRow(number, values))
    if not table.rows:
        table.errors.append(FileError(_("The file has a header but no data rows."), "no_rows"))
