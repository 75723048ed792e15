"""Kazakhstan working days (spec 6.2 and 14). Expected values are the ones listed in spec 14."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagalau.methodology import calendar as kzcal
from bagalau.methodology.calendar import CalendarOverride, WorkingCalendar
from bagalau.methodology.errors import InvalidInput

D = dt.date
CAL = WorkingCalendar()


@pytest.mark.parametrize("date, working, reason", [
    (D(2023, 7, 1), True, kzcal.TRANSFERRED_WORKDAY),    # Sat, working by transfer
    (D(2024, 5, 4), True, kzcal.TRANSFERRED_WORKDAY),    # Sat
    (D(2025, 1, 5), True, kzcal.TRANSFERRED_WORKDAY),    # Sun
    (D(2023, 7, 7), False, kzcal.TRANSFERRED_DAY_OFF),   # Fri, the day off in exchange
    (D(2024, 5, 8), False, kzcal.TRANSFERRED_DAY_OFF),
    (D(2025, 1, 3), False, kzcal.TRANSFERRED_DAY_OFF),
    (D(2024, 3, 25), False, kzcal.CARRIED_OVER),         # Nauryz 23.03 (Sat) carried to Monday
    (D(2024, 6, 16), False, kzcal.PUBLIC_HOLIDAY),       # Kurban Ait on a Sunday...
    (D(2024, 6, 17), True, kzcal.WORKDAY),               # ...is not carried over
    (D(2024, 5, 7), False, kzcal.PUBLIC_HOLIDAY),
    (D(2024, 5, 11), False, kzcal.WEEKEND),
    (D(2024, 5, 13), True, kzcal.WORKDAY),
])
def test_calendar_facts_of_spec_14(date, working, reason):
    answer = kzcal.is_working_day(date)
    assert answer.value is working
    assert answer.days[0].reason == reason


def test_add_working_days_examples_of_spec_14():
    assert kzcal.add_working_days(D(2024, 5, 3), 5).value == D(2024, 5, 14)
    assert kzcal.add_working_days(D(2025, 1, 2), 1).value == D(2025, 1, 5)  # a working Sunday


def test_counting_back_skips_holidays_and_uses_the_working_saturday():
    # From Mon 13.05.2024 back: Fri 10 (1); 9, 8, 7 off; Mon 6 (2); Sun 5 off; Sat 4 working (3).
    assert kzcal.add_working_days(D(2024, 5, 13), -3).value == D(2024, 5, 4)


def test_day_zero_is_not_counted():
    answer = kzcal.add_working_days(D(2024, 5, 3), 1)
    assert answer.value == D(2024, 5, 4)
    assert [d.date for d in answer.days] == [D(2024, 5, 3), D(2024, 5, 4)]
    assert kzcal.add_working_days(D(2024, 5, 5), 0).value == D(2024, 5, 5)


def test_working_days_in_may_2024_is_20():
    assert kzcal.working_days_between(D(2024, 4, 30), D(2024, 5, 31)).value == 20
    assert kzcal.working_days_between(D(2024, 5, 31), D(2024, 4, 30)).value == -20


def test_answers_say_which_calendar_data_they_used():
    answer = kzcal.add_working_days(D(2024, 5, 3), 5)
    assert answer.calendar.holidays_version == holidays.__version__ == "0.109"
    assert answer.calendar.last_transfer_year == 2025
    assert answer.calendar.overrides_applied == ()
    assert answer.calendar.warnings == ()


def test_warns_when_a_year_has_no_transfer_data():
    answer = kzcal.add_working_days(D(2025, 12, 25), 10)
    assert answer.calendar.years_without_transfers == (2026,)
    assert any("no transfer data for 2026" in w for w in answer.calendar.warnings)


def test_no_warning_once_the_year_has_overrides():
    decree = CalendarOverride(D(2026, 1, 3), True, "Government decree (test) transferring 02.01")
    answer = kzcal.add_working_days(D(2025, 12, 25), 10, overrides=[decree])
    assert answer.calendar.years_without_transfers == ()


def test_warns_about_estimated_lunar_holidays():
    answer = kzcal.add_working_days(D(2026, 5, 22), 10)
    assert answer.calendar.estimated_holidays == (D(2026, 5, 27),)


def test_override_day_off_moves_the_count_and_is_reported():
    # 31.08.2026 announced as a day off; the package (0.109) has no Constitution Day in 2026.
    assert kzcal.is_working_day(D(2026, 8, 31)).value is True
    day_off = CalendarOverride(D(2026, 8, 31), False, "Government decree of 2026 (test)", note_ru="День Конституции")
    answer = kzcal.add_working_days(D(2026, 8, 28), 1, overrides=[day_off])
    assert answer.value == D(2026, 9, 1)
    assert answer.calendar.overrides_applied == (day_off,)
    assert [d.reason for d in answer.days][1:4] == [kzcal.WEEKEND, kzcal.WEEKEND, kzcal.OVERRIDE_DAY_OFF]


def test_override_working_day_wins_over_the_package():
    saturday = CalendarOverride(D(2026, 1, 3), True, "Government decree (test)")
    assert kzcal.add_working_days(D(2026, 1, 2), 1, overrides=[saturday]).value == D(2026, 1, 3)


def test_override_needs_its_legal_act():
    with pytest.raises(InvalidInput, match="legal_act"):
        CalendarOverride(D(2026, 1, 3), True, "  ")


def test_two_overrides_for_one_day_are_refused():
    with pytest.raises(InvalidInput, match="two calendar overrides"):
        WorkingCalendar([CalendarOverride(D(2026, 1, 3), True, "a"), CalendarOverride(D(2026, 1, 3), False, "b")])


days = st.dates(min_value=D(2018, 1, 1), max_value=D(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(start=days, n=st.integers(min_value=1, max_value=40))
def test_adding_working_days_lands_on_a_working_day_and_counts_back(start, n):
    end = CAL.add_working_days(start, n).value
    assert CAL.day(end).working
    assert CAL.working_days_between(start, end).value == n
    back = CAL.add_working_days(start, -n).value
    assert CAL.day(back).working and back < start


@settings(max_examples=60, deadline=None)
@given(start=days, a=st.integers(min_value=-30, max_value=30), b=st.integers(min_value=-30, max_value=30))
def test_adding_working_days_is_monotonic(start, a, b):
    if a < b:
        assert CAL.add_working_days(start, a).value < CAL.add_working_days(start, b).value
