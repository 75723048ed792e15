"""The import end to end through `import_staff`: what a valid file creates (objects, audit events,
reporting lines), and that a bad file, a refused write or a wrong actor leaves every table as it was."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bagalau.audit.models import AuditEvent
from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.models import (
    Appointment,
    Position,
    ReportingOverride,
    Role,
    Servant,
    StructuralUnit,
)
from bagalau.orgs.reporting import reporting_line
from bagalau.orgs.staff_import import IMPORT_ACTION, import_staff
from bagalau.orgs.staff_import import apply as apply_module
from bagalau.orgs.staff_import.template import template_csv, template_xlsx
from tests import factories
from tests.staff_import.roster_data import (
    EXPECTED,
    HEAD,
    HEAD_B,
    HEAD_D,
    SPEC_B,
    SPEC_B2,
    SPEC_C,
    SPEC_D,
    csv_bytes,
    person,
    row,
    table_counts,
    valid_rows,
    xlsx_bytes,
)

DAY = dt.date(2024, 6, 1)


def _servant(body, iin: str) -> Servant:
    return Servant.objects.get(body=body, iin=iin)


def _manager(body, iin: str) -> str | None:
    line = reporting_line(_servant(body, iin), DAY)
    return line.direct_manager.iin if line.direct_manager else None


def _assert_roster_created(body) -> None:
    assert StructuralUnit.objects.filter(body=body).count() == EXPECTED["units"]
    assert Position.objects.filter(body=body).count() == EXPECTED["positions"]
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]
    assert Appointment.objects.filter(body=body).count() == EXPECTED["appointments"]
    assert ReportingOverride.objects.filter(body=body).count() == EXPECTED["overrides"]
    units = {u.code: u for u in StructuralUnit.objects.filter(body=body).select_related("parent")}
    assert {code: (u.parent.code if u.parent else None) for code, u in units.items()} == {
        "A": None, "B": "A", "C": "A", "D": "B", "E": "A"}
    assert units["B"].name_ru == "Финансовый отдел"
    heads = set(Position.objects.filter(body=body, is_head_of_unit=True).values_list("code", flat=True))
    assert heads == {"A-1", "B-1", "C-1", "D-1"}
    head = _servant(body, HEAD)
    assert (head.middle_name, head.email, head.phone) == ("Серікұлы", "b.akhmetov@example.kz", "+7 701 123-45-67")
    first = Appointment.objects.get(servant=head)
    assert (first.position.code, first.start, first.order_ref) == ("A-1", dt.date(2019, 1, 10), "№ 1-ж")
    assert not Appointment.objects.filter(position__code="C-1").exists()  # vacant


def _assert_reporting_lines(body) -> None:
    assert _manager(body, HEAD) is None  # top unit, no first head set
    assert _manager(body, HEAD_B) == HEAD  # head of B reports to the head of A
    assert _manager(body, SPEC_B) == HEAD_B
    assert _manager(body, SPEC_C) == HEAD  # C's head position is vacant: the line goes up
    assert _manager(body, HEAD_D) == HEAD_B
    assert _manager(body, SPEC_D) == HEAD_D
    override_line = reporting_line(_servant(body, SPEC_B2), DAY)
    assert override_line.direct_manager.iin == HEAD and override_line.direct_source == "override"
    assert reporting_line(_servant(body, SPEC_D), DAY).superior_manager.iin == HEAD_B


def _assert_audited(body, hr, data: bytes, filename: str) -> None:
    events = AuditEvent.objects.filter(body_id=body.pk)
    per_object = sum(EXPECTED.values())
    assert events.count() == per_object + 1
    by_action = {action: events.filter(action=action).count() for action in (
        "orgs.unit.create", "orgs.position.create", "orgs.servant.create", "orgs.appointment.create",
        "orgs.reporting_override.set", IMPORT_ACTION)}
    assert by_action == {"orgs.unit.create": 5, "orgs.position.create": 8, "orgs.servant.create": 7,
                         "orgs.appointment.create": 7, "orgs.reporting_override.set": 1, IMPORT_ACTION: 1}
    summary = events.get(action=IMPORT_ACTION)
    assert summary.actor_id == hr.pk and summary.role == Role.HR
    assert summary.payload == {"file": filename, "sha256": hashlib.sha256(data).hexdigest(), "rows": 9,
                               **EXPECTED}
    assert events.last() == summary  # the summary closes the import


def test_valid_csv_creates_the_roster_with_audit_events_and_reporting_lines(body, hr):
    data = csv_bytes(valid_rows())
    result = import_staff(actor=hr, body=body, filename="roster.csv", data=data)
    assert result.ok and result.applied, (result.file_errors, result.row_errors)
    assert result.created == EXPECTED and result.rows == 9
    _assert_roster_created(body)
    _assert_reporting_lines(body)
    _assert_audited(body, hr, data, "roster.csv")


def test_valid_xlsx_creates_the_same_roster(body, hr):
    # Number cells for IINs (SPEC_B2 was born in 2001: her IIN starts with 0) and real date cells.
    data = xlsx_bytes(valid_rows(), numeric_iins=True, date_cells=True)
    result = import_staff(actor=hr, body=body, filename="roster.xlsx", data=data)
    assert result.ok, (result.file_errors, result.row_errors)
    assert result.created == EXPECTED
    assert SPEC_B2.startswith("0") and _servant(body, SPEC_B2).last_name == "Жұмабаева"
    _assert_roster_created(body)
    _assert_reporting_lines(body)
    _assert_audited(body, hr, data, "roster.xlsx")


def test_semicolon_bom_and_russian_headers_are_read(body, hr):
    headers = ["Код подразделения", "Наименование подразделения (каз)", "Наименование подразделения (рус)",
               "Код вышестоящего подразделения", "Код должности", "Наименование должности (каз)",
               "Наименование должности (рус)", "Категория", "Руководитель подразделения", "ИИН", "Фамилия",
               "Имя", "Отчество", "E-mail", "Телефон", "Дата назначения", "Номер приказа",
               "ИИН непосредственного руководителя"]
    data = csv_bytes(valid_rows(), delimiter=";", bom=True, headers=headers)
    result = import_staff(actor=hr, body=body, filename="штат.csv", data=data)
    assert result.ok, (result.file_errors, result.row_errors)
    _assert_reporting_lines(body)


def test_one_bad_row_writes_nothing_and_names_the_row_and_field(body, hr):
    rows = valid_rows()
    iin = rows[5]["iin"]  # sheet row 7
    rows[5]["iin"] = iin[:11] + str((int(iin[11]) + 1) % 10)
    before = table_counts()
    result = import_staff(actor=hr, body=body, filename="roster.csv", data=csv_bytes(rows))
    assert not result.ok and not result.applied
    assert [(e.row, e.column, e.rule) for e in result.row_errors] == [(7, "iin", "iin_check_digit")]
    assert result.row_errors[0].value == rows[5]["iin"]
    assert result.created == {k: 0 for k in EXPECTED}
    assert table_counts() == before


def test_check_only_reports_what_would_be_created_and_writes_nothing(body, hr):
    before = table_counts()
    result = import_staff(actor=hr, body=body, filename="roster.csv", data=csv_bytes(valid_rows()),
                          check_only=True)
    assert result.ok and not result.applied
    assert result.planned == EXPECTED and result.created == {k: 0 for k in EXPECTED}
    assert table_counts() == before


def test_a_service_refusing_during_apply_rolls_everything_back(body, hr, monkeypatch):
    real_appoint = apply_module.appoint
    calls = []

    def refuse_the_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise ValidationError({"start": "The servant already holds a position in these dates."})
        return real_appoint(**kwargs)

    monkeypatch.setattr(apply_module, "appoint", refuse_the_third)
    before = table_counts()
    result = import_staff(actor=hr, body=body, filename="roster.csv", data=csv_bytes(valid_rows()))
    assert len(calls) == 3
    assert not result.ok and not result.applied
    [error] = result.row_errors
    assert (error.row, error.column, error.rule) == (4, "appointed_from", "refused")  # SPEC_B, the third person
    assert "already holds a position" in error.message
    assert table_counts() == before


def test_a_second_import_adds_people_to_existing_units_and_vacant_positions(body, hr):
    assert import_staff(actor=hr, body=body, filename="first.csv", data=csv_bytes(valid_rows())).ok
    new_head_c = make_iin(dt.date(1979, 7, 7), 200)
    second = [
        row(unit_code="C", position_code="C-1", **person(new_head_c, "Қасымов", "Дархан", "01.02.2024")),
        row(unit_code="C", position_code="C-3", position_title_kk="Маман", position_title_ru="Специалист",
            category="E-R-5"),
        row(unit_code="F", unit_name_kk="Кадр қызметі", unit_name_ru="Служба управления персоналом",
            parent_unit_code="A"),
    ]
    result = import_staff(actor=hr, body=body, filename="second.csv", data=csv_bytes(second))
    assert result.ok, result.row_errors
    assert result.created == {"units": 1, "positions": 1, "servants": 1, "appointments": 1, "overrides": 0}
    assert _manager(body, SPEC_C) == new_head_c  # C now has a head
    assert _manager(body, new_head_c) == HEAD


def test_an_actor_without_a_staff_role_in_the_body_is_refused(body, other_body, hr, other_hr,
                                                              plain_servant_user):
    before = table_counts()
    for actor in (other_hr, plain_servant_user, None):
        with pytest.raises(PermissionDenied):
            import_staff(actor=actor, body=body, filename="roster.csv", data=csv_bytes(valid_rows()))
    # Checked before the file is even read: a broken file gets the same answer.
    with pytest.raises(PermissionDenied):
        import_staff(actor=other_hr, body=body, filename="x.csv", data=b"\x89PNG")
    assert table_counts() == before


def test_hr_of_one_body_imports_only_into_it(body, other_body, hr, other_hr):
    assert import_staff(actor=other_hr, body=other_body, filename="r.csv", data=csv_bytes(valid_rows())).ok
    assert Servant.objects.filter(body=other_body).count() == EXPECTED["servants"]
    assert not Servant.objects.filter(body=body).exists()
    # The same people may serve in another body: IINs are unique per body, not globally.
    assert import_staff(actor=hr, body=body, filename="r.csv", data=csv_bytes(valid_rows())).ok
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]


def test_administrator_may_import(body):
    admin = factories.user("admin_" + str(body.pk))
    factories.grant(admin, body, Role.ADMIN)
    result = import_staff(actor=admin, body=body, filename="r.csv", data=csv_bytes(valid_rows()))
    assert result.ok
    assert AuditEvent.objects.get(action=IMPORT_ACTION).role == Role.ADMIN


@pytest.mark.parametrize("make, name", [(template_csv, "template.csv"), (template_xlsx, "template.xlsx")])
def test_the_downloadable_templates_import_cleanly(body, hr, make, name):
    result = import_staff(actor=hr, body=body, filename=name, data=make(), check_only=True)
    assert result.ok, (result.file_errors, result.row_errors)
    assert result.planned == {"units": 2, "positions": 3, "servants": 2, "appointments": 2, "overrides": 0}


def test_a_database_conflict_during_apply_rolls_everything_back(body, hr, monkeypatch):
    from django.db import IntegrityError

    def collide(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: orgs_servant.body_id, orgs_servant.iin")

    monkeypatch.setattr(apply_module, "create_servant", collide)
    before = table_counts()
    result = import_staff(actor=hr, body=body, filename="roster.csv", data=csv_bytes(valid_rows()))
    [error] = result.row_errors
    assert (error.row, error.column, error.rule) == (2, "iin", "conflict")
    assert "run the import again" in error.message
    assert table_counts() == before
