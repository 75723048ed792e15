"""`manage.py import_staff`: counts on success, errors on stderr and a non-zero exit (CommandError)
on a bad file, nothing written by --check or by a refused import."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bagalau.audit.models import AuditEvent
from bagalau.orgs.models import Role, Servant
from bagalau.orgs.staff_import import IMPORT_ACTION
from tests import factories
from tests.staff_import.roster_data import EXPECTED, csv_bytes, table_counts, valid_rows, xlsx_bytes


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_staff", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def roster(tmp_path):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(xlsx_bytes(valid_rows()))
    return path


def test_a_valid_file_is_imported_and_the_counts_printed(body, hr, roster):
    out, _err = run(str(roster), "--body", body.bin, "--actor", hr.username)
    assert "Imported 9 rows" in out
    assert "units: 5, positions: 8, servants: 7, appointments: 7, overrides: 1" in out
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]


def test_the_body_may_be_given_by_id(body, hr, roster):
    run(str(roster), "--body", str(body.pk), "--actor", hr.username)
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]


def test_check_writes_nothing(body, hr, roster):
    before = table_counts()
    out, _err = run(str(roster), "--body", body.bin, "--actor", hr.username, "--check")
    assert "Check passed for 9 rows" in out and "servants: 7" in out
    assert table_counts() == before


def test_a_bad_file_exits_non_zero_with_the_errors_printed(body, hr, tmp_path):
    rows = valid_rows()
    rows[5]["iin"] = rows[5]["iin"][:11] + str((int(rows[5]["iin"][11]) + 1) % 10)
    rows[3]["parent_unit_code"] = "NOPE"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    before = table_counts()
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_staff", str(path), "--body", body.bin, "--actor", hr.username, stderr=err)
    printed = err.getvalue()
    assert "row 5, column parent_unit_code" in printed and "[unknown_parent]" in printed
    assert "row 7, column iin" in printed and "[iin_check_digit]" in printed
    assert table_counts() == before


def test_a_file_error_is_printed(body, hr, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes("unit_code;iin\nА;1\n".encode("cp1251"))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_staff", str(path), "--body", body.bin, "--actor", hr.username, stderr=err)
    assert "[encoding]" in err.getvalue()


def test_an_oversized_file_is_refused_before_it_is_read(body, hr, tmp_path, settings):
    settings.STAFF_IMPORT_MAX_BYTES = 100
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(valid_rows()))
    with pytest.raises(CommandError, match="larger than the limit"):
        run(str(path), "--body", body.bin, "--actor", hr.username)


def test_an_actor_without_a_staff_role_is_refused(body, other_hr, roster):
    before = table_counts()
    with pytest.raises(CommandError, match="Not allowed"):
        run(str(roster), "--body", body.bin, "--actor", other_hr.username)
    assert table_counts() == before


def test_without_actor_the_only_superuser_acts(body, roster):
    admin = factories.user("root", superuser=True)
    _out, err = run(str(roster), "--body", body.bin)
    assert "acting as superuser root" in err
    assert Servant.objects.filter(body=body).count() == EXPECTED["servants"]
    summary = AuditEvent.objects.get(action=IMPORT_ACTION)
    assert (summary.actor_id, summary.role) == (admin.pk, Role.ADMIN)


@pytest.mark.parametrize("args, message", [
    (("--body", "999999"), "no state body"),
    (("--body", "000000000000"), "no state body"),
    (("--actor", "nobody"), "no active user"),
    ((), "give --actor"),
])
def test_bad_arguments_are_explained(body, roster, args, message):
    options = {"--body": body.bin}
    options.update(dict(zip(args[::2], args[1::2], strict=True)))
    argv = [str(roster)] + [item for pair in options.items() for item in pair]
    with pytest.raises(CommandError, match=message):
        run(*argv)


def test_a_missing_file_is_explained(body, hr, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        run(str(tmp_path / "missing.csv"), "--body", body.bin, "--actor", hr.username)
