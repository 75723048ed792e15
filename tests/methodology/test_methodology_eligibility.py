"""Who is evaluated and how (S1-p.4, S1-p.6), uses of results (S1-p.9), familiarization (S1-p.12,
S1-p.69, S0-p.40)."""

from __future__ import annotations

import datetime as dt

import pytest

from bagalau.methodology import eligibility, familiarization, uses
from bagalau.methodology.eligibility import Absence
from bagalau.methodology.errors import InvalidInput, ParameterNotSet
from bagalau.methodology.resolution import clause_for

D = dt.date
YEAR_2023 = (D(2023, 1, 1), D(2023, 12, 31))


# -- methods by group (S1-p.4) -------------------------------------------------------------------


def test_methods_depend_on_the_group_S1_p4(koksu):
    head, specialist = eligibility.methods_for(koksu, True), eligibility.methods_for(koksu, False)
    assert (head.value, specialist.value) == (("kpi", "method_360"), ("ranking",))
    assert head.clause == "S1-p.4"
    assert head.verified is False  # the split itself is [BK-M]


def test_g2018_methods_are_quarterly_annual_and_360(kentau):
    assert eligibility.methods_for(kentau, False).value == ("quarterly", "annual", "method_360")


# -- less than one month in the position (S1-p.6) ------------------------------------------------


def test_appointed_5_december_is_not_evaluated_for_the_year_S1_p6(koksu):
    d = eligibility.is_evaluable(koksu, D(2023, 12, 5), *YEAR_2023)
    assert (d.value, d.clause) == (False, "S1-p.6")
    assert d.details["minimum_reached_on"] == D(2024, 1, 4)


def test_appointed_1_december_is_evaluated_for_the_year_S1_p6(koksu):
    assert eligibility.is_evaluable(koksu, D(2023, 12, 1), *YEAR_2023).value is True


def test_leaving_early_counts_to_the_last_day_in_position_S1_p6(koksu):
    assert eligibility.is_evaluable(koksu, D(2022, 3, 1), *YEAR_2023, left_on=D(2023, 1, 30)).value is False
    assert eligibility.is_evaluable(koksu, D(2022, 3, 1), *YEAR_2023, left_on=D(2023, 1, 31)).value is True


def test_a_month_from_31_january_ends_with_february_S1_p6(koksu):
    # 31.01 + 1 month = 28.02 (no 31.02), minus one day: the minimum is reached on 27.02.2023.
    d = eligibility.is_evaluable(koksu, D(2023, 1, 31), D(2023, 1, 1), D(2023, 2, 27))
    assert (d.value, d.details["minimum_reached_on"]) == (True, D(2023, 2, 27))


def test_month_rule_not_retrieved_for_kentau(kentau):
    with pytest.raises(ParameterNotSet):
        eligibility.is_evaluable(kentau, D(2021, 12, 5), D(2021, 1, 1), D(2021, 12, 31))


# -- absences: evaluated without participation, never postponed (S1-p.6) ---------------------------


@pytest.mark.parametrize("kind", [
    "annual_leave", "social_leave", "temporary_incapacity", "business_trip", "internship", "retraining",
    "professional_development",
])
def test_absent_servant_is_evaluated_without_participation_S1_p6(koksu, kind):
    absence = Absence(kind, D(2023, 12, 10), D(2024, 1, 20))
    d = eligibility.participation(koksu, [absence], D(2024, 1, 15), D(2024, 1, 19))
    assert (d.value, d.clause) == (eligibility.WITHOUT_PARTICIPATION, "S1-p.6")
    assert d.warnings  # not postponed; remote familiarization


def test_absence_outside_the_evaluation_changes_nothing_S1_p6(koksu):
    absence = Absence("annual_leave", D(2023, 7, 1), D(2023, 7, 20))
    d = eligibility.participation(koksu, [absence], D(2024, 1, 15), D(2024, 1, 19))
    assert d.value == eligibility.WITH_PARTICIPATION


def test_unknown_absence_kind_is_refused():
    with pytest.raises(InvalidInput, match="absence.kind"):
        Absence("vacation", D(2024, 1, 1), D(2024, 1, 2))


# -- the transitional route (S1-p.6 para 2, S1-dec.2) ----------------------------------------------


def test_social_leave_in_2022_goes_to_chapter_6_while_it_is_in_force_S1_p6_para2(koksu):
    leave = [Absence("social_leave", D(2022, 3, 1), D(2022, 9, 30))]
    d = eligibility.transitional_route(koksu, leave, on=D(2023, 8, 15))
    assert (d.value, d.clause) == (eligibility.TRANSITIONAL_ROUTE, "S1-p.6-para2")
    assert d.details["route_clause"] == "S1-p.44"


def test_chapter_6_route_is_closed_after_31_august_2023_S1_dec2(koksu):
    leave = [Absence("temporary_incapacity", D(2021, 7, 1), D(2021, 8, 1))]
    assert eligibility.transitional_route(koksu, leave, on=D(2023, 8, 31)).value == eligibility.TRANSITIONAL_ROUTE
    d = eligibility.transitional_route(koksu, leave, on=D(2023, 9, 1))
    assert d.value == eligibility.CLOSED and "2023-08-31" in d.warnings[0]


def test_chapter_6_is_only_for_social_leave_or_incapacity_in_the_window_S1_p6_para2(koksu):
    on = D(2023, 8, 15)
    assert eligibility.transitional_route(
        koksu, [Absence("annual_leave", D(2022, 3, 1), D(2022, 3, 30))], on).value == eligibility.NOT_APPLICABLE
    assert eligibility.transitional_route(
        koksu, [Absence("social_leave", D(2023, 1, 1), D(2023, 3, 30))], on).value == eligibility.NOT_APPLICABLE


def test_template_has_no_transitional_route(typical23):
    with pytest.raises(ParameterNotSet, match="eligibility.transitional"):
        eligibility.transitional_route(typical23, [], on=D(2023, 8, 15))


# -- uses of results (S1-p.9) --------------------------------------------------------------------


@pytest.mark.parametrize("purpose", ["bonus", "incentive", "training", "rotation", "promotion", "demotion",
                                     "dismissal"])
def test_kpi_and_ranking_results_are_bases_for_decisions_S1_p9(koksu, purpose):
    for result_type in ("kpi", "ranking"):
        d = uses.may_use(koksu, result_type, purpose)
        assert (d.value, d.clause, d.verified) == (True, "S1-p.9", True)


@pytest.mark.parametrize("purpose", ["bonus", "incentive", "training", "rotation", "promotion", "demotion",
                                     "dismissal"])
def test_360_results_are_never_a_basis_for_decisions_in_g2023_S1_p9(koksu, typical23, purpose):
    d = uses.may_use(koksu, "method_360", purpose)
    assert (d.value, d.clause) == (False, "S1-p.9")
    assert uses.may_use(typical23, "method_360", purpose).value is False


def test_uses_refuse_unknown_names(koksu):
    with pytest.raises(InvalidInput, match="purpose"):
        uses.may_use(koksu, "kpi", "pay_rise")
    with pytest.raises(InvalidInput, match="result_type"):
        uses.may_use(koksu, "interview", "bonus")


# -- familiarization (S1-p.12, S1-p.69, S0-p.40) -------------------------------------------------


def test_remote_familiarization_channels_S1_p12_para2(koksu):
    d = familiarization.channels(koksu)
    assert d.value == ("registered_letter", "telephonogram", "telegram", "sms", "email", "other_recorded_means")
    assert d.clause == "S1-p.12"


def test_chapter_6_lists_the_same_channels_S1_p69(koksu):
    wording = clause_for(koksu, "S1-p.69", D(2023, 8, 15))
    for word in ("тапсырыс хатты", "телефонограмманы", "жеделхатты", "мәтіндік"):
        assert word in wording.kk_ref


def test_g2018_familiarization_is_in_writing_S0_p40(kentau):
    d = familiarization.channels(kentau)
    assert (d.value, d.clause, d.verified) == (("written",), "S0-p.40", True)


def test_refusal_act_signed_by_hr_and_two_other_servants_S0_p40(kentau):
    assert familiarization.check_refusal_act(kentau, 1, 2).value == "VALID"
    d = familiarization.check_refusal_act(kentau, 1, 1)
    assert d.value == "INVALID" and d.problems[0].clause == "S0-p.40"
    assert familiarization.check_refusal_act(kentau, 0, 2).problems[0].code == "refusal_act_hr"


def test_results_sent_to_a_refuser_through_the_intranet_hr_database_or_edms_S0_p40_para2(kentau):
    d = familiarization.channels(kentau, refused=True)
    assert d.value == ("intranet_portal", "unified_hr_database", "edms")


def test_g2023_refusal_act_not_retrieved(koksu):
    with pytest.raises(ParameterNotSet, match="refusal_act"):
        familiarization.check_refusal_act(koksu, 1, 2)
