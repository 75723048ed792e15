"""Each validation rule on plain values: `validate` is pure (rows, what the body holds, today), so
these tests need no database. Every error names the row as the user sees it and the column."""

from __future__ import annotations

import datetime as dt

import pytest

from bagalau.orgs.identifiers import make_iin
from bagalau.orgs.staff_import.existing import ExistingOrg, ExistingPosition, ExistingUnit
from bagalau.orgs.staff_import.read import RawRow
from bagalau.orgs.staff_import.validate import MAX_FUTURE_DAYS, parse_date, parse_yes_no, validate
from tests.staff_import.roster_data import HEAD, HEAD_B, SPEC_B, SPEC_B2, SPEC_C, person, row, valid_rows

TODAY = dt.date(2025, 6, 1)
NEW = make_iin(dt.date(1991, 7, 8), 300)
NEW2 = make_iin(dt.date(1993, 8, 9), 301)


def raw(rows: list[dict[str, str]]) -> list[RawRow]:
    return [RawRow(number, values) for number, values in enumerate(rows, 2)]


def check(rows, existing: ExistingOrg | None = None):
    return validate(raw(rows), existing or ExistingOrg(), today=TODAY)


def found(rows, existing: ExistingOrg | None = None) -> list[tuple[int, str, str]]:
    _plan, errors = check(rows, existing)
    return [(e.row, e.column, e.rule) for e in errors]


def unit(code="U", **more) -> dict[str, str]:
    return row(unit_code=code, unit_name_kk=f"Бөлім {code}", unit_name_ru=f"Отдел {code}", **more)


def post(code="U", position="U-1", **more) -> dict[str, str]:
    values = {"position_title_kk": "Маман", "position_title_ru": "Специалист", "category": "E-R-4"}
    values.update(more)
    return row(unit_code=code, position_code=position, **values)


def body_with_unit_u() -> ExistingOrg:
    return ExistingOrg(
        units={"U": ExistingUnit("U", "Бөлім U", "Отдел U", "")},
        positions={"U-1": ExistingPosition("U-1", "U", "Басшы", "Руководитель", "E-R-2", True, None, True),
                   "U-2": ExistingPosition("U-2", "U", "Маман", "Специалист", "E-R-4", False, None, False)},
        servants={HEAD: "Ахметов Болат"},
        holder_of={"U-1": HEAD},
    )


def test_the_valid_roster_has_no_errors_and_a_plan_in_dependency_order():
    rows = valid_rows()
    rows.insert(0, rows.pop(6))  # unit D (under B) now comes before B is declared
    plan, errors = check(rows)
    assert errors == []
    order = [u.code for u in plan.units]
    assert order.index("A") < order.index("B") < order.index("D")
    assert plan.counts() == {"units": 5, "positions": 8, "servants": 7, "appointments": 7, "overrides": 1}


# ---- required fields ------------------------------------------------------------------------------

def test_unit_code_is_required_on_every_row():
    assert found([unit(), post(code="")]) == [(3, "unit_code", "required")]


def test_a_new_position_needs_titles_and_category():
    assert found([unit(), post(position_title_kk="", category="")]) == [
        (3, "position_title_kk", "required"), (3, "category", "required")]


def test_position_columns_without_a_position_code_are_an_error():
    assert found([unit(category="E-R-4")]) == [(2, "position_code", "required")]


def test_a_servant_needs_iin_names_date_and_a_position():
    assert found([unit(), post(iin=NEW)]) == [
        (3, "last_name", "required"), (3, "first_name", "required"), (3, "appointed_from", "required")]
    assert found([unit(**person(NEW, "Ахметов", "Болат"))]) == [(2, "position_code", "required")]
    assert found([unit(), post(last_name="Ахметов")]) == [
        (3, "iin", "required"), (3, "first_name", "required"), (3, "appointed_from", "required")]


def test_too_long_values_are_refused_with_the_limit():
    _plan, errors = check([unit(), post(**person(NEW, "Ә" * 101, "Болат"))])
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "last_name", "too_long")]
    assert "100" in errors[0].message


# ---- units ----------------------------------------------------------------------------------------

def test_a_unit_declared_twice_with_different_names_is_an_error():
    rows = [unit("U"), row(unit_code="U", unit_name_kk="Басқа атау", unit_name_ru="Отдел U")]
    _plan, errors = check(rows)
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "unit_name_kk", "unit_conflict")]
    assert "row 2" in errors[0].message and "Бөлім U" in errors[0].message


def test_a_unit_repeated_with_the_same_names_or_none_is_fine():
    assert found([unit("U"), unit("U"), row(unit_code="U")]) == []


def test_a_unit_declared_with_two_parents_is_an_error():
    rows = [unit("A"), unit("B"), unit("C", parent_unit_code="A"), unit("C", parent_unit_code="B")]
    assert found(rows) == [(5, "parent_unit_code", "unit_conflict")]


def test_an_unknown_unit_without_names_is_reported():
    _plan, errors = check([post(code="ZZ")])
    assert [(e.row, e.column, e.rule) for e in errors] == [(2, "unit_code", "unknown_unit")]
    assert "ZZ" in errors[0].message


def test_a_new_unit_with_one_name_needs_the_other():
    assert found([row(unit_code="U", unit_name_kk="Бөлім")]) == [(2, "unit_name_ru", "required")]


def test_an_unknown_parent_unit_code_is_reported():
    _plan, errors = check([unit("U", parent_unit_code="NOPE")])
    assert [(e.row, e.column, e.rule, e.value) for e in errors] == [(2, "parent_unit_code", "unknown_parent", "NOPE")]


def test_unit_parent_cycles_are_detected():
    rows = [unit("A", parent_unit_code="B"), unit("B", parent_unit_code="A"), unit("C", parent_unit_code="C")]
    _plan, errors = check(rows)
    assert [(e.row, e.column, e.rule) for e in errors] == [
        (2, "parent_unit_code", "unit_cycle"), (3, "parent_unit_code", "unit_cycle"),
        (4, "parent_unit_code", "unit_cycle")]
    assert "A → B → A" in errors[0].message


def test_a_longer_unit_cycle_is_detected():
    rows = [unit("A", parent_unit_code="C"), unit("B", parent_unit_code="A"), unit("C", parent_unit_code="B"),
            unit("D", parent_unit_code="A")]
    assert found(rows) == [(2, "parent_unit_code", "unit_cycle"), (3, "parent_unit_code", "unit_cycle"),
                                        (4, "parent_unit_code", "unit_cycle")]


def test_existing_units_are_referred_to_by_code_but_never_renamed_or_moved():
    existing = body_with_unit_u()
    assert found([post(code="U", position="U-9")], existing) == []
    assert found([unit("V", parent_unit_code="U")], existing) == []
    assert found([row(unit_code="U", unit_name_kk="Жаңа атау")], existing) == [(2, "unit_name_kk", "unit_conflict")]
    assert found([unit("V"), row(unit_code="U", parent_unit_code="V")], existing) == [
        (3, "parent_unit_code", "unit_conflict")]


# ---- positions ------------------------------------------------------------------------------------

def test_a_position_code_repeated_in_the_file_is_an_error():
    _plan, errors = check([unit(), post(position="P"), post(position="P")])
    assert [(e.row, e.column, e.rule) for e in errors] == [(4, "position_code", "duplicate_position")]
    assert "row 3" in errors[0].message


def test_an_existing_position_described_differently_is_an_error():
    existing = body_with_unit_u()
    assert found([post(code="U", position="U-2", category="E-R-3")], existing) == [
        (2, "category", "position_conflict")]
    assert found([post(code="U", position="U-2", is_head="yes")], existing) == [(2, "is_head", "position_conflict")]
    assert found([unit("V"), post(code="V", position="U-2")], existing) == [(3, "unit_code", "position_conflict")]


def test_appointing_to_a_held_existing_position_is_an_error():
    existing = body_with_unit_u()
    rows = [row(unit_code="U", position_code="U-1", **person(NEW, "Ахметов", "Болат"))]
    assert found(rows, existing) == [(2, "position_code", "position_taken")]
    rows = [row(unit_code="U", position_code="U-2", **person(NEW, "Ахметов", "Болат"))]
    assert found(rows, existing) == []


@pytest.mark.parametrize("category", ["E3", "A-1", "E-X-1", "E-0", "e-3 ", "E-R-100"])
def test_a_bad_category_code_is_refused(category):
    assert found([unit(), post(category=category.strip())]) == [(3, "category", "category")]


@pytest.mark.parametrize("category", ["E-3", "E-R-4", "E-G-1", "E-10"])
def test_good_category_codes_pass(category):
    assert found([unit(), post(category=category)]) == []


def test_is_head_must_be_yes_or_no():
    _plan, errors = check([unit(), post(is_head="maybe")])
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "is_head", "yes_no")]
    assert [parse_yes_no(v) for v in ("yes", "Иә", "ДА", "1", "no", "жоқ", "Нет", "0", "")] == [
        True, True, True, True, False, False, False, False, False]


def test_two_head_positions_in_one_unit_are_an_error():
    rows = [unit(), post(position="H1", is_head="yes"), post(position="H2", is_head="yes")]
    _plan, errors = check(rows)
    assert [(e.row, e.column, e.rule) for e in errors] == [(4, "is_head", "two_heads")]
    assert "H1" in errors[0].message and "row 3" in errors[0].message


def test_a_new_head_position_in_a_unit_that_has_one_is_an_error():
    assert found([post(code="U", position="U-9", is_head="yes")], body_with_unit_u()) == [(2, "is_head", "two_heads")]


# ---- servants -------------------------------------------------------------------------------------

def _servant_row(iin: str, **more: str) -> dict[str, str]:
    return post(**person(iin, "Ахметов", "Болат", **more))


def test_iin_shape_is_checked():
    _plan, errors = check([unit(), _servant_row("12345")])
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "iin", "iin_format")]
    _plan, errors = check([unit(), _servant_row(NEW[1:])])  # Excel dropped a leading zero
    assert errors[0].rule == "iin_format" and "format the column as text" in errors[0].message
    assert found([unit(), _servant_row("85010130012A")]) == [(3, "iin", "iin_format")]


def test_iin_check_digit_is_checked():
    wrong = NEW[:11] + str((int(NEW[11]) + 1) % 10)
    _plan, errors = check([unit(), _servant_row(wrong)])
    assert [(e.row, e.column, e.rule, e.value) for e in errors] == [(3, "iin", "iin_check_digit", wrong)]


def test_iin_birth_date_must_be_a_real_past_date():
    from bagalau.orgs.identifiers import check_digit

    def with_digit(head: str) -> str:
        return head + str(check_digit(head))

    bad_date = next(with_digit(f"851340300{n:02d}") for n in range(100) if check_digit(f"851340300{n:02d}") is not None)
    bad_century = next(with_digit(f"850101900{n:02d}") for n in range(100)
                       if check_digit(f"850101900{n:02d}") is not None)
    future = make_iin(TODAY + dt.timedelta(days=400), 5)
    for iin in (bad_date, bad_century, future):
        assert found([unit(), _servant_row(iin)]) == [(3, "iin", "iin_birth_date")], iin


def test_duplicate_iin_in_the_file_is_a_servant_appointed_twice():
    _plan, errors = check([unit(), _servant_row(NEW), post(position="U-2", **person(NEW, "Ахметов", "Болат"))])
    assert [(e.row, e.column, e.rule) for e in errors] == [(4, "iin", "duplicate_iin")]
    assert "row 3" in errors[0].message


def test_an_iin_already_registered_in_the_body_is_an_error():
    _plan, errors = check([unit(), _servant_row(HEAD)], ExistingOrg(servants={HEAD: "Ахметов Болат"}))
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "iin", "iin_exists")]
    assert "Ахметов Болат" in errors[0].message


def test_email_and_phone_are_checked():
    assert found([unit(), _servant_row(NEW, email="not-an-email", phone="12-34")]) == [
        (3, "email", "email"), (3, "phone", "phone")]
    assert found([unit(), _servant_row(NEW, email="a@b.kz", phone="8 (701) 123-45-67")]) == []


@pytest.mark.parametrize("text", ["31.02.2024", "2024/01/05", "5 Jan 2024", "45123", "2024-13-01"])
def test_an_unreadable_date_is_reported(text):
    assert found([unit(), _servant_row(NEW, appointed_from=text)]) == [(3, "appointed_from", "date")]


def test_date_formats():
    assert parse_date("05.12.2023") == parse_date("5.12.2023") == parse_date("2023-12-05") == dt.date(2023, 12, 5)


def test_an_appointment_far_in_the_future_is_refused():
    soon = TODAY + dt.timedelta(days=MAX_FUTURE_DAYS)
    assert found([unit(), _servant_row(NEW, appointed_from=soon.isoformat())]) == []
    later = soon + dt.timedelta(days=1)
    assert found([unit(), _servant_row(NEW, appointed_from=later.isoformat())]) == [
        (3, "appointed_from", "future_date")]


def test_an_appointment_before_the_18th_birthday_is_refused():
    born = dt.date(1991, 7, 8)  # NEW's birth date
    assert found([unit(), _servant_row(NEW, appointed_from="07.07.2009")]) == [(3, "appointed_from", "too_young")]
    assert found([unit(), _servant_row(NEW, appointed_from=born.replace(year=2009).isoformat())]) == []


# ---- direct managers ------------------------------------------------------------------------------

def test_direct_manager_must_be_known():
    rows = [unit(), _servant_row(NEW, direct_manager_iin=NEW2)]
    assert found(rows) == [(3, "direct_manager_iin", "unknown_manager")]
    assert found(rows, ExistingOrg(servants={NEW2: "Бекова Гүлнар"})) == []


def test_direct_manager_iin_is_checked_like_any_iin():
    assert found([unit(), _servant_row(NEW, direct_manager_iin="123")]) == [(3, "direct_manager_iin", "iin_format")]


def test_a_servant_cannot_manage_himself():
    assert found([unit(), _servant_row(NEW, direct_manager_iin=NEW)]) == [(3, "direct_manager_iin", "self_manager")]


def test_a_manager_cycle_through_two_overrides_is_detected():
    rows = [unit(), _servant_row(NEW, direct_manager_iin=NEW2),
            post(position="U-2", **person(NEW2, "Бекова", "Гүлнар", direct_manager_iin=NEW))]
    _plan, errors = check(rows)
    assert [(e.row, e.column, e.rule) for e in errors] == [
        (3, "direct_manager_iin", "manager_cycle"), (4, "direct_manager_iin", "manager_cycle")]
    assert "Ахметов Болат" in errors[0].message and "→" in errors[0].message


def test_a_manager_cycle_through_the_unit_tree_is_detected():
    # SPEC_B reports to the head of B by the tree; making the head of B report to SPEC_B closes a loop.
    rows = valid_rows()
    rows[1]["direct_manager_iin"] = SPEC_B  # row 3, HEAD_B
    _plan, errors = check(rows)
    assert [(e.row, e.column, e.rule) for e in errors] == [(3, "direct_manager_iin", "manager_cycle")]
    assert HEAD_B in errors[0].message and SPEC_B in errors[0].message


def test_a_longer_manager_cycle_through_the_tree_is_detected():
    rows = valid_rows()
    rows[0]["direct_manager_iin"] = SPEC_C  # HEAD -> SPEC_C -> (C has no head) -> HEAD
    assert found(rows) == [(2, "direct_manager_iin", "manager_cycle")]


def test_a_manager_cycle_closed_by_a_new_head_position_holder_is_detected():
    # In the body: HEAD heads U; X works in W (under U, head vacant) and HEAD reports to X by override.
    # Appointing NEW to W's head position makes X report to NEW, and NEW to HEAD: a new loop.
    x = make_iin(dt.date(1970, 1, 1), 400)
    existing = ExistingOrg(
        units={"U": ExistingUnit("U", "U", "U", ""), "W": ExistingUnit("W", "W", "W", "U")},
        positions={"U-1": ExistingPosition("U-1", "U", "t", "t", "E-R-2", True, None, True),
                   "W-1": ExistingPosition("W-1", "W", "t", "t", "E-R-3", True, None, False),
                   "W-2": ExistingPosition("W-2", "W", "t", "t", "E-R-4", False, None, True)},
        servants={HEAD: "Ахметов Болат", x: "Икс"}, holder_of={"U-1": HEAD, "W-2": x}, overrides={HEAD: x})
    rows = [row(unit_code="W", position_code="W-1", **person(NEW, "Жаңа", "Басшы"))]
    _plan, errors = check(rows, existing)
    assert [(e.row, e.column, e.rule) for e in errors] == [(2, "iin", "manager_cycle")]
    assert "Жаңа Басшы" in errors[0].message


def test_overrides_that_do_not_loop_are_fine():
    rows = valid_rows()
    rows[2]["direct_manager_iin"] = HEAD  # SPEC_B -> HEAD, HEAD has no manager
    rows[4]["direct_manager_iin"] = SPEC_B2  # SPEC_C -> SPEC_B2 -> HEAD
    assert found(rows) == []


def test_all_errors_are_collected_in_row_and_column_order():
    rows = [unit(), post(position="P1", category="X", **person("1", "", "Болат", appointed_from="soon")),
            post(position="P1")]
    assert found(rows) == [
        (3, "category", "category"), (3, "iin", "iin_format"), (3, "last_name", "required"),
        (3, "appointed_from", "date"), (4, "position_code", "duplicate_position")]
