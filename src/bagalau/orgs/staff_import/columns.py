"""The roster format: one flat table, the same columns in CSV and in the first sheet of an XLSX.

One row per position (a vacant position leaves the servant columns empty); a row with only the
unit columns declares a unit with no positions. The canonical headers are the English keys below;
Kazakh and Russian aliases are accepted because HR offices keep their spreadsheets in those
languages. Headers are compared after folding case and treating spaces, "_" and "-" alike, so
"Unit code", "unit_code" and "UNIT-CODE" are the same column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    key: str
    required: bool  # the header must be present (the cell may still be empty on some rows)
    help: str | Promise
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("unit_code", True, _("Code of the structural unit. Required on every row. A unit already in "
                                "this body may be referred to by its code alone."), "01",
           ("бөлімше коды", "код подразделения")),
    Column("unit_name_kk", True, _("Name of the unit in Kazakh. Required the first time a new unit appears; "
                                   "if repeated, must be the same."), "Қаржы бөлімі",
           ("бөлімше атауы (қаз)", "бөлімше атауы", "наименование подразделения (каз)")),
    Column("unit_name_ru", True, _("Name of the unit in Russian, as for the Kazakh name."), "Финансовый отдел",
           ("бөлімше атауы (орыс)", "наименование подразделения (рус)", "наименование подразделения")),
    Column("parent_unit_code", False, _("Code of the unit this unit belongs to; empty for a top unit. It must "
                                        "be declared in the file or exist in this body."), "",
           ("жоғары тұрған бөлімше коды", "код вышестоящего подразделения")),
    Column("position_code", True, _("Code of the position in the staff list, unique in the body. Empty on a "
                                    "row that only declares a unit."), "01-01",
           ("лауазым коды", "код должности")),
    Column("position_title_kk", True, _("Title of the position in Kazakh."), "Бөлім басшысы",
           ("лауазым атауы (қаз)", "лауазым атауы", "наименование должности (каз)")),
    Column("position_title_ru", True, _("Title of the position in Russian."), "Руководитель отдела",
           ("лауазым атауы (орыс)", "наименование должности (рус)", "наименование должности")),
    Column("category", True, _("Category of the position, e.g. E-3, E-R-4, E-G-1."), "E-4",
           ("санат", "санаты", "категория")),
    Column("is_head", False, _("Whether the position heads its unit: yes/no, 1/0, иә/жоқ, да/нет. "
                               "Empty means no. At most one head position per unit."), "yes",
           ("бөлімше басшысы", "басшы", "руководитель подразделения", "руководитель")),
    Column("iin", True, _("IIN of the servant holding the position (12 digits). Empty for a vacant "
                          "position. Format the column as text in Excel so leading zeros are kept."),
           "850101300124", ("жсн", "иин")),
    Column("last_name", True, _("Last name. Required when an IIN is given."), "Әбенов", ("тегі", "фамилия")),
    Column("first_name", True, _("First name. Required when an IIN is given."), "Асқар", ("аты", "имя")),
    Column("middle_name", False, _("Patronymic, if any."), "Серікұлы", ("әкесінің аты", "отчество")),
    Column("email", False, _("E-mail address, if any."), "a.abenov@example.kz",
           ("e-mail", "электрондық пошта", "электронная почта", "эл. почта")),
    Column("phone", False, _("Mobile phone, digits with an optional leading +, e.g. +77011234567."),
           "+77011234567", ("телефон", "ұялы телефон", "мобильный телефон")),
    Column("appointed_from", True, _("Date of appointment to the position: dd.mm.yyyy or yyyy-mm-dd. "
                                     "Required when an IIN is given; not more than 31 days ahead."),
           "05.12.2023", ("тағайындалған күні", "дата назначения")),
    Column("order_ref", False, _("Number of the appointment order, if any."), "№ 125-ж",
           ("бұйрық нөмірі", "номер приказа")),
    Column("direct_manager_iin", False, _("Only where the direct manager is not the head of the unit: the "
                                          "manager's IIN (in this file or already in the body)."), "",
           ("тікелей басшының жсн", "иин непосредственного руководителя")),
)

COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS)
REQUIRED_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.required)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}

UNIT_KEYS = ("unit_code", "unit_name_kk", "unit_name_ru", "parent_unit_code")
POSITION_KEYS = ("position_code", "position_title_kk", "position_title_ru", "category", "is_head")
SERVANT_KEYS = ("iin", "last_name", "first_name", "middle_name", "email", "phone", "appointed_from",
                "order_ref", "direct_manager_iin")
IIN_KEYS = ("iin", "direct_manager_iin")
DATE_KEYS = ("appointed_from",)


def normalise_header(text: str) -> str:
    """Fold a header for comparison: case, surrounding space, a BOM, and "_"/"-"/spaces as one."""
    text = text.replace("\ufeff", "").strip().casefold()
    return re.sub(r"[\s_\-]+", " ", text).strip()


_LOOKUP: dict[str, str] = {}
for _column in COLUMNS:
    for _name in (_column.key, *_column.aliases):
        _LOOKUP[normalise_header(_name)] = _column.key


def column_for_header(text: str) -> str | None:
    """The canonical key a header stands for, or None for a column the import does not use."""
    return _LOOKUP.get(normalise_header(text))
