"""The downloadable roster templates, generated from `columns.COLUMNS` so they can never disagree
with what the import reads. Both hold the header and three example rows (a unit with its head,
a specialist, a sub-unit with a vacant head position) that HR replaces with the real roster; the
examples import cleanly, which a test checks.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from bagalau.orgs.staff_import.columns import COLUMN_KEYS, COLUMNS, IIN_KEYS

EXAMPLE_ROWS: tuple[dict[str, str], ...] = (
    {"unit_code": "01", "unit_name_kk": "Қаржы бөлімі", "unit_name_ru": "Финансовый отдел",
     "position_code": "01-01", "position_title_kk": "Бөлім басшысы", "position_title_ru": "Руководитель отдела",
     "category": "E-4", "is_head": "yes", "iin": "850101300124", "last_name": "Әбенов", "first_name": "Асқар",
     "middle_name": "Серікұлы", "email": "a.abenov@example.kz", "phone": "+77011234567",
     "appointed_from": "05.12.2023", "order_ref": "№ 125-ж"},
    {"unit_code": "01", "position_code": "01-02", "position_title_kk": "Бас маман",
     "position_title_ru": "Главный специалист", "category": "E-5", "is_head": "no", "iin": "900517403456",
     "last_name": "Серікова", "first_name": "Айгүл", "middle_name": "Маратқызы", "appointed_from": "10.01.2024",
     "order_ref": "№ 7-ж"},
    {"unit_code": "01-1", "unit_name_kk": "Бюджет секторы", "unit_name_ru": "Сектор бюджета",
     "parent_unit_code": "01", "position_code": "01-1-01", "position_title_kk": "Сектор меңгерушісі",
     "position_title_ru": "Заведующий сектором", "category": "E-5", "is_head": "yes"},
)


def template_csv() -> bytes:
    """UTF-8 with a BOM, so that Excel opens the Kazakh and Russian letters correctly."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_KEYS)
    for example in EXAMPLE_ROWS:
        writer.writerow([example.get(key, "") for key in COLUMN_KEYS])
    return out.getvalue().encode("utf-8-sig")


def template_xlsx() -> bytes:
    """The roster on the first sheet (IIN columns formatted as text so Excel keeps leading zeros),
    and the meaning of each column on a second sheet, in the user's language."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "roster"
    sheet.append(list(COLUMN_KEYS))
    for example in EXAMPLE_ROWS:
        sheet.append([example.get(key, "") for key in COLUMN_KEYS])
    for index, key in enumerate(COLUMN_KEYS, 1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(key) + 4)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        if key in IIN_KEYS:
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, len(EXAMPLE_ROWS) + 2):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"

    help_sheet = workbook.create_sheet("columns")
    help_sheet.append([_("Column"), _("Required column"), _("Meaning")])
    for column in COLUMNS:
        help_sheet.append([column.key, _("yes") if column.required else _("no"), str(column.help)])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 16
    help_sheet.column_dimensions["C"].width = 100
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
