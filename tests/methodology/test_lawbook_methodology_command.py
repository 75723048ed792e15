"""`manage.py methodology`: output, --json, and a clear error naming the argument on bad input."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bagalau.lawbook.models import CalendarOverride

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("methodology", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict:
    return json.loads(run(*args, "--json"))


def test_list_prints_the_version_ids():
    lines = run("list").splitlines()
    assert [line.split(" ")[0] for line in lines] == ["kentau-161", "koksu-3-24", "typical-g2023", "typical-g2025"]
    data = run_json("list")
    assert data["value"] == ["kentau-161", "koksu-3-24", "typical-g2023", "typical-g2025"]
    assert "clause" in data and data["clause"] is None


def test_show_prints_the_clauses_in_force_on_the_date():
    text = run("show", "--version", "kentau-161", "--date", "2022-06-01", "--lang", "en")
    assert "No. 161 of 2018-05-24, reg. No. 4631" in text
    assert "Amended by No. 131 of 2022-03-30" in text
    assert "S0-p.40: Familiarization and refusal (2022-04-10..2023-08-18 in_force)" in text
    assert "S0-p.41" not in text  # deleted by No. 131
    assert "commission.min_members = 5 (S0-p.5)" in text


def test_show_json_lists_clauses_and_parameters():
    data = run_json("show", "--version", "koksu-3-24", "--date", "2023-09-01")
    assert "S1-p.50" not in data["clauses"] and "S1-p.9" in data["clauses"]  # chapter 6 has sunset
    assert data["value"]["in_force"] is True and "clause" in data
    keys = {p["key"] for p in data["value"]["parameters"]}
    assert "result_uses.method_360" in keys and "kpi.count" not in keys


def test_deadline_explains_the_count_day_by_day_in_english():
    text = run("deadline", "--version", "typical-g2023", "--rule", "appeal_last_day", "--from", "2024-05-02",
               "--lang", "en")
    assert "Rule: within 10 working days after “day the Commission decision was issued”" in text
    assert "Sat 04.05.2024 — working day 2 — weekend day made a working day by a transfer" in text
    assert "Wed 08.05.2024 — not counted — day off transferred by government decree" in text
    assert "Due: Mon 20.05.2024" in text
    assert "Calendar: holidays 0.109 package (transfers up to 2025); overrides: none" in text


@pytest.mark.parametrize("lang, due, counted", [
    ("kk", "Мерзім: Дс 20.05.2024", "Сб 04.05.2024 — 2-жұмыс күні"),
    ("ru", "Срок: Пн 20.05.2024", "Сб 04.05.2024 — 2-й рабочий день"),
])
def test_deadline_explains_in_kazakh_and_russian(lang, due, counted):
    text = run("deadline", "--version", "typical-g2023", "--rule", "appeal_last_day", "--from", "2024-05-02",
               "--lang", lang)
    assert due in text and counted in text


@pytest.mark.parametrize("rule, start, due, clause", [
    ("iwp_due", "2023-08-01", "2023-08-15", "S1-p.44"),
    ("sheet_resubmission_due", "2023-08-24", "2023-08-28", "S1-p.55"),
    ("hr_to_commission_due", "2023-08-29", "2023-09-01", "S1-p.56"),
    ("commission_notice_by", "2023-08-21", "2023-08-16", "S1-p.57"),
    ("familiarization_due", "2023-08-29", "2023-09-01", "S1-p.12"),
    ("appeal_last_day", "2023-08-25", "2023-09-11", "S1-p.70"),
])
def test_deadline_json_for_each_rule(rule, start, due, clause):
    data = run_json("deadline", "--version", "koksu-3-24", "--rule", rule, "--from", start)
    assert (data["value"], data["clause"], data["version"]) == (due, clause, "koksu-3-24")
    assert data["trace"][0]["is_anchor"] and data["explanation"]


def test_deadline_uses_the_calendar_overrides_of_the_database():
    CalendarOverride.objects.create(date=dt.date(2026, 8, 31), is_working=False,
                                    legal_act="Government decree (test)", note_ru="День Конституции")
    data = run_json("deadline", "--version", "typical-g2023", "--rule", "sheet_resubmission_due",
                    "--from", "2026-08-27")
    assert data["value"] == "2026-09-01"
    assert data["details"]["calendar"]["overrides_applied"][0]["legal_act"] == "Government decree (test)"


def test_quorum_text_and_json():
    assert run("quorum", "--version", "koksu-3-24", "--members", "7", "--present", "5", "--lang", "en") == (
        "Quorum met: 5 of 7 present, 5 required (S1-p.58, koksu-3-24)\n")
    data = run_json("quorum", "--version", "koksu-3-24", "--members", "7", "--present", "4")
    assert (data["value"], data["clause"], data["details"]["required"]) == (False, "S1-p.58", 5)


def test_grade_text_and_json():
    text = run("grade", "--version", "koksu-3-24", "--achieved", "4", "--total", "5", "--lang", "ru")
    assert "Надлежащим образом выполняет функциональные обязанности" in text and "S1-p.50" in text
    data = run_json("grade", "--version", "koksu-3-24", "--achieved", "4", "--total", "5")
    assert (data["value"], data["clause"], data["verified"]) == ("PROPER", "S1-p.50", True)


BAD_INPUT = [
    ("deadline --version nope --rule iwp_due --from 2023-08-01",
     "--version: unknown methodology version 'nope'"),
    ("deadline --version koksu-3-24 --rule nope --from 2023-08-01",
     "--rule: unknown deadline rule 'nope'"),
    ("deadline --version koksu-3-24 --rule iwp_due --from 01.08.2023",
     "--from: '01.08.2023' is not a date"),
    ("deadline --version koksu-3-24 --rule appeal_last_day --from 2024-05-02",
     "--from: clause S1-p.70 of version koksu-3-24 is not in force on 2024-05-02"),
    ("deadline --version kentau-161 --rule appeal_last_day --from 2022-05-02",
     "--version: version kentau-161 does not set deadlines.appeal_last_day"),
    ("deadline --version koksu-3-24 --rule iwp_due --from 2023-08-01 --lang de",
     "--lang: must be one of kk, ru, en"),
    ("show --version koksu-3-24 --date yesterday", "--date: 'yesterday' is not a date"),
    ("quorum --version koksu-3-24 --members -5 --present 4", "--members: must not be negative"),
    ("quorum --version koksu-3-24 --members 5 --present -1", "--present: must not be negative"),
    ("quorum --version koksu-3-24 --members 5 --present 6", "--present: 6 present is more than the 5 members"),
    ("quorum --version koksu-3-24 --members five --present 4", "argument --members: invalid int value"),
    ("quorum --version koksu-3-24 --members 5 --present 4 --date 2023-09-01", "--date: clause S1-p.58"),
    ("grade --version koksu-3-24 --achieved -1", "--achieved: must not be negative"),
    ("grade --version koksu-3-24 --achieved 6 --total 5", "--achieved: must be a whole number 0..5"),
    ("grade --version koksu-3-24 --achieved 3 --total 4", "--total: version koksu-3-24 requires exactly 5 KPIs"),
    ("grade --version koksu-3-24 --achieved 3 --total -5", "--total: must not be negative"),
    ("grade --version kentau-161 --achieved 3", "--version: version kentau-161 does not set kpi.grading"),
    ("grade --version koksu-3-24", "the following arguments are required: --achieved"),
    ("teach", "invalid choice: 'teach'"),
]


@pytest.mark.parametrize("args, message", BAD_INPUT)
def test_bad_input_is_a_clear_error_naming_the_argument(args, message):
    with pytest.raises(CommandError) as err:
        run(*args.split())
    assert message in str(err.value)


def test_bad_input_with_json_is_still_an_error():
    with pytest.raises(CommandError, match="--rule"):
        run("deadline", "--version", "koksu-3-24", "--rule", "nope", "--from", "2023-08-01", "--json")
