"""Deadlines (spec 6.1), with every expected date worked out by hand from the calendar in spec 14.

Counting rule (spec 6.2): the event is day 0 and is not counted. Each test's comment shows the
count, so a reader can check it against a paper calendar.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bagalau.methodology import appeal, deadlines
from bagalau.methodology.calendar import CalendarOverride, WorkingCalendar
from bagalau.methodology.errors import ClauseNotInForce, InvalidInput, ParameterNotSet, UnknownRule
from bagalau.methodology.versions import load_version_file

D = dt.date


def test_kpis_set_within_10_working_days_of_the_period_start_S1_p44(koksu):
    # Tue 01.08.2023: 2,3,4 (1-3), 7-11 (4-8), 14 (9), 15 (10).
    d = deadlines.iwp_due(koksu, D(2023, 8, 1))
    assert (d.value, d.clause, d.verified) == (D(2023, 8, 15), "S1-p.44", True)


def test_kpis_set_across_new_year_holidays_S1_p44(typical23):
    # Mon 01.01.2024 (holiday, day 0); 02.01 holiday; 3,4,5 (1-3); Sun 07.01 Christmas not moved;
    # 8-12 (4-8); 15 (9); 16 (10).
    assert deadlines.iwp_due(typical23, D(2024, 1, 1)).value == D(2024, 1, 16)


def test_returned_sheet_back_within_2_working_days_S1_p55(koksu):
    # Thu 24.08.2023: Fri 25 (1), weekend, Mon 28 (2).
    d = deadlines.sheet_resubmission_due(koksu, D(2023, 8, 24))
    assert (d.value, d.clause) == (D(2023, 8, 28), "S1-p.55")


def test_signed_sheet_to_the_commission_within_2_working_days_S1_p56(koksu):
    # Tue 29.08.2023: Wed 30 Constitution Day, Thu 31 (1), Fri 01.09 (2).
    d = deadlines.hr_to_commission_due(koksu, D(2023, 8, 29))
    assert (d.value, d.clause) == (D(2023, 9, 1), "S1-p.56")


def test_evaluators_notified_3_working_days_before_S1_p57(koksu):
    # Meeting Mon 21.08.2023, counting back: Fri 18 (1), Thu 17 (2), Wed 16 (3).
    d = deadlines.commission_notice_by(koksu, D(2023, 8, 21))
    assert (d.value, d.clause) == (D(2023, 8, 16), "S1-p.57")
    assert d.details["direction"] == "before"


def test_notice_counted_back_over_the_may_2024_holidays_S1_p57(typical23):
    # Meeting Fri 10.05.2024 back: 9 Victory Day, 8 day off (transfer), 7 Defender's Day,
    # Mon 6 (1), Sun 5, Sat 4 working by transfer (2), Fri 3 (3).
    assert deadlines.commission_notice_by(typical23, D(2024, 5, 10)).value == D(2024, 5, 3)


def test_familiarization_within_2_working_days_S1_p12(koksu):
    # p.12 is permanent. Approved Wed 20.03.2024: 21, 22 Nauryz, Sat 23 Nauryz carried to Mon 25,
    # Tue 26 (1), Wed 27 (2).
    d = deadlines.familiarization_due(koksu, D(2024, 3, 20))
    assert (d.value, d.clause) == (D(2024, 3, 27), "S1-p.12")


def test_familiarization_in_chapter_6_S1_p68(koksu):
    # Approved Tue 29.08.2023: 30 holiday, 31 (1), 01.09 (2).
    d = deadlines.compute_deadline(koksu, "transitional_familiarization_due", D(2023, 8, 29))
    assert (d.value, d.clause) == (D(2023, 9, 1), "S1-p.68")


def test_g2018_familiarization_term_of_p39_is_unverified_S0_p40(kentau):
    # Thu 05.05.2022: Fri 6 (1); Sat 7 Defender's Day, Mon 9 Victory Day, Tue 10 carried over; Wed 11 (2).
    d = deadlines.familiarization_due(kentau, D(2022, 5, 5))
    assert (d.value, d.clause, d.verified) == (D(2022, 5, 11), "S0-p.39", False)


def test_appeal_within_10_working_days_of_the_decision_S1_p70(koksu):
    # Fri 25.08.2023: Mon 28 (1), Tue 29 (2), Wed 30 holiday, Thu 31 (3), Fri 01.09 (4), 4-8.09 (5-9), Mon 11 (10).
    d = deadlines.appeal_last_day(koksu, D(2023, 8, 25))
    assert (d.value, d.clause) == (D(2023, 9, 11), "S1-p.70")


def test_appeal_spanning_the_2024_working_saturday_and_may_holidays_S1_p70(typical23):
    # Thu 02.05.2024: Fri 3 (1), Sat 4 working (2), Mon 6 (3), 7-9 off, Fri 10 (4), 13-17 (5-9), Mon 20 (10).
    d = deadlines.appeal_last_day(typical23, D(2024, 5, 2))
    assert d.value == D(2024, 5, 20)
    counted = [day.status.date for day in d.trace if day.counted]
    assert counted[:4] == [D(2024, 5, 3), D(2024, 5, 4), D(2024, 5, 6), D(2024, 5, 10)]
    assert d.trace[0].is_anchor and d.trace[0].counted is None


def test_appeal_spanning_the_2023_working_saturday_S1_p70(typical23):
    # Thu 29.06.2023: Fri 30 (1), Sat 01.07 working (2), Mon 3-Wed 5 (3-5), Thu 6 Capital Day,
    # Fri 7 day off (transfer), Mon 10-Fri 14 (6-10).
    assert deadlines.appeal_last_day(typical23, D(2023, 6, 29)).value == D(2023, 7, 14)


def test_appeal_spanning_the_2025_working_sunday_S1_p70(typical23):
    # Tue 31.12.2024: 1-2 Jan holidays, Fri 3 day off (transfer), Sat 4, Sun 5 working (1), Mon 6 (2),
    # Tue 7 Christmas, Wed 8-Fri 10 (3-5), 13-17 (6-10).
    assert deadlines.appeal_last_day(typical23, D(2024, 12, 31)).value == D(2025, 1, 17)


def test_appeal_clock_runs_only_while_its_clause_is_in_force_S1_p70(koksu):
    with pytest.raises(ClauseNotInForce, match="S1-p.70"):
        deadlines.appeal_last_day(koksu, D(2024, 5, 2))


def test_override_from_the_database_shifts_the_deadline(typical23):
    # Thu 27.08.2026 +2: Fri 28 (1), Mon 31 made a day off by the override, Tue 01.09 (2).
    day_off = CalendarOverride(D(2026, 8, 31), False, "Government decree (test)")
    plain = deadlines.sheet_resubmission_due(typical23, D(2026, 8, 27))
    shifted = deadlines.sheet_resubmission_due(typical23, D(2026, 8, 27), WorkingCalendar([day_off]))
    assert (plain.value, shifted.value) == (D(2026, 8, 31), D(2026, 9, 1))
    assert shifted.details["calendar"]["overrides_applied"][0]["legal_act"] == "Government decree (test)"
    assert any("no transfer data for 2026" in w for w in plain.warnings)


def test_g2025_quarterly_evaluation_by_the_20th_of_the_next_month(typical25):
    d = deadlines.compute_deadline(typical25, "quarterly_due", D(2026, 3, 31))
    assert (d.value, d.clause, d.verified) == (D(2026, 4, 20), "G25-quarterly", True)


def test_g2025_annual_by_30_january_not_shifted_on_a_weekend(typical25):
    on_friday = deadlines.compute_deadline(typical25, "annual_due", D(2025, 12, 31))
    assert on_friday.value == D(2026, 1, 30)
    on_saturday = deadlines.compute_deadline(typical25, "annual_due", D(2026, 12, 31))
    assert on_saturday.value == D(2027, 1, 30)  # a Saturday: kept, with a warning
    assert any("not shifted" in w for w in on_saturday.warnings)


def test_calendar_day_rules_count_every_day(altered):
    def calendar_days(raw):
        raw["parameters"]["deadlines.appeal_last_day"]["value"]["unit"] = "calendar_days"

    version = load_version_file(altered("typical-g2023", calendar_days))
    d = deadlines.appeal_last_day(version, D(2024, 5, 2))
    assert d.value == D(2024, 5, 12)  # a Sunday: calendar days are not shifted, a warning says so
    assert [day.counted for day in d.trace] == [None, *range(1, 11)]
    assert d.warnings


def test_unknown_rule_is_refused(koksu):
    with pytest.raises(UnknownRule, match="appeal_last_day"):
        deadlines.compute_deadline(koksu, "appeal_due", D(2023, 8, 25))


def test_rule_the_version_does_not_set_is_refused(kentau):
    with pytest.raises(ParameterNotSet, match="deadlines.appeal_last_day"):
        deadlines.appeal_last_day(kentau, D(2022, 5, 5))


# -- filing an appeal: recorded, never judged (spec 9) --------------------------------------------


def test_appeal_on_the_last_day_is_on_time_and_the_next_day_late_S1_p70(koksu):
    on_time = appeal.appeal_timeliness(koksu, D(2023, 8, 25), D(2023, 9, 11))
    late = appeal.appeal_timeliness(koksu, D(2023, 8, 25), D(2023, 9, 12))
    assert (on_time.value, late.value, late.clause) == (appeal.ON_TIME, appeal.LATE, "S1-p.70")
    assert late.details["last_day"] == D(2023, 9, 11)
    assert late.details["admissibility"].startswith("recorded only")


def test_appeal_window_runs_from_the_decision_not_familiarization_Q08_S1_p70(koksu):
    d = appeal.appeal_timeliness(koksu, D(2023, 8, 25), D(2023, 9, 14), familiarized_on=D(2023, 9, 6))
    assert d.value == appeal.LATE
    assert any("had 3 working day(s) left" in w for w in d.warnings)  # 7, 8, 11 September


def test_appeal_filed_before_the_decision_is_refused(koksu):
    with pytest.raises(InvalidInput, match="filed_on"):
        appeal.appeal_timeliness(koksu, D(2023, 8, 25), D(2023, 8, 24))


def test_appeal_goes_to_the_agency_or_its_department_S1_p70_and_to_court_S1_p71(koksu):
    d = appeal.venues(koksu)
    assert d.value == ("authorized_body", "territorial_department", "court")
    assert d.clauses == ("S1-p.70", "S1-p.71")


def test_appeal_outcomes_are_a_recommendation_or_no_revision_S1_p70(koksu):
    d = appeal.check_outcome(koksu, "recommend_cancel_and_revise")
    assert (d.value, d.clause) == ("recommend_cancel_and_revise", "S1-p.70")
    with pytest.raises(InvalidInput, match="outcome"):
        appeal.check_outcome(koksu, "cancel_result")
