"""Roster files for the staff import tests: a valid roster of a small body, writers for CSV and
XLSX, and a count of every table an import could touch (to prove that nothing was written)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from bagalau.audit.models import AuditEvent
from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.models import (
    Appointment,
    Position,
    ReportingOverride,
    RoleGrant,
    Servant,
    StateBody,
    StructuralUnit,
)
from bagalau.orgs.staff_import.columns import COLUMN_KEYS

HEAD = make_iin(dt.date(1975, 3, 14), 101)  # head of the top unit A
HEAD_B = make_iin(dt.date(1980, 6, 2), 102)  # head of unit B (under A)
SPEC_B = make_iin(dt.date(1990, 9, 30), 103, female=True)  # specialist in B
SPEC_C = make_iin(dt.date(1988, 1, 15), 104)  # specialist in C, whose head position is vacant
SPEC_B2 = make_iin(dt.date(2001, 2, 2), 105, female=True)  # in B, reports to HEAD by override
HEAD_D = make_iin(dt.date(1983, 12, 1), 106)  # head of D (under B)
SPEC_D = make_iin(dt.date(1992, 4, 20), 107)  # specialist in D


def row(**values: str) -> dict[str, str]:
    return {key: values.get(key, "") for key in COLUMN_KEYS}


def person(iin: str, last: str, first: str, start: str = "05.12.2023", **more: str) -> dict[str, str]:
    return {"iin": iin, "last_name": last, "first_name": first, "appointed_from": start, **more}


def valid_rows() -> list[dict[str, str]]:
    """Rows 2-10 as the user sees them (the header is row 1). Row 7 is SPEC_B2's."""
    return [
        row(unit_code="A", unit_name_kk="Аппарат", unit_name_ru="Аппарат", position_code="A-1",
            position_title_kk="Аппарат басшысы", position_title_ru="Руководитель аппарата", category="E-R-1",
            is_head="иә", **person(HEAD, "Ахметов", "Болат", "2019-01-10", middle_name="Серікұлы",
                                  email="b.akhmetov@example.kz", phone="+7 701 123-45-67", order_ref="№ 1-ж")),
        row(unit_code="B", unit_name_kk="Қаржы бөлімі", unit_name_ru="Финансовый отдел", parent_unit_code="A",
            position_code="B-1", position_title_kk="Бөлім басшысы", position_title_ru="Руководитель отдела",
            category="E-R-2", is_head="yes", **person(HEAD_B, "Бекова", "Гүлнар")),
        row(unit_code="B", position_code="B-2", position_title_kk="Бас маман", position_title_ru="Главный специалист",
            category="E-R-4", is_head="no", **person(SPEC_B, "Серікова", "Айгүл", "10.01.2024")),
        row(unit_code="C", unit_name_kk="Заң бөлімі", unit_name_ru="Юридический отдел", parent_unit_code="A",
            position_code="C-1", position_title_kk="Бөлім басшысы", position_title_ru="Руководитель отдела",
            category="E-R-2", is_head="1"),
        row(unit_code="C", position_code="C-2", position_title_kk="Бас маман", position_title_ru="Главный специалист",
            category="E-R-4", is_head="0", **person(SPEC_C, "Дәулетов", "Ерлан")),
        row(unit_code="B", position_code="B-3", position_title_kk="Жетекші маман",
            position_title_ru="Ведущий специалист", category="E-R-5",
            **person(SPEC_B2, "Жұмабаева", "Әйгерім", direct_manager_iin=HEAD)),
        row(unit_code="D", unit_name_kk="Бюджет секторы", unit_name_ru="Сектор бюджета", parent_unit_code="B",
            position_code="D-1", position_title_kk="Сектор меңгерушісі", position_title_ru="Заведующий сектором",
            category="E-R-3", is_head="да", **person(HEAD_D, "Ермеков", "Нұрлан")),
        row(unit_code="D", position_code="D-2", position_title_kk="Маман", position_title_ru="Специалист",
            category="E-R-5", is_head="нет", **person(SPEC_D, "Жақсылықов", "Марат")),
        row(unit_code="E", unit_name_kk="Архив", unit_name_ru="Архив", parent_unit_code="A"),
    ]


EXPECTED = {"units": 5, "positions": 8, "servants": 7, "appointments": 7, "overrides": 1}


def csv_bytes(rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False,
              headers: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers or list(COLUMN_KEYS))
    keys = list(COLUMN_KEYS)
    for r in rows:
        writer.writerow([r.get(k, "") for k in keys])
    return (("\ufeff" if bom else "") + out.getvalue()).encode(encoding)


def cp1251_roster() -> bytes:
    """The valid roster as Excel's "CSV (comma delimited)" saves it on a Russian Windows: cp1251 with
    ";" between columns, the Kazakh letters it cannot encode turned into "?"."""
    text = csv_bytes(valid_rows(), delimiter=";").decode("utf-8")
    return text.encode("cp1251", errors="replace")


def xlsx_bytes(rows: list[dict[str, object]], *, numeric_iins: bool = False, date_cells: bool = False,
               extra_sheet_first: bool = False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMN_KEYS))
    for r in rows:
        values: list[object] = []
        for key in COLUMN_KEYS:
            value: object = r.get(key, "")
            if numeric_iins and key in ("iin", "direct_manager_iin") and value:
                value = int(str(value))
            if date_cells and key == "appointed_from" and value:
                text = str(value)
                value = (dt.datetime.strptime(text, "%d.%m.%Y") if "." in text
                         else dt.datetime.strptime(text, "%Y-%m-%d"))
            values.append(value if value != "" else None)
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_counts() -> dict[str, int]:
    """Rows in every table an import writes to, across all bodies."""
    return {model.__name__: model.objects.count() for model in (
        StateBody, StructuralUnit, Position, Servant, Appointment, ReportingOverride, RoleGrant, AuditEvent)}
