"""KPIs: the plan (S1-p.47, S1-p.48), the grade (S1-p.50) and the review chain (S1-p.45-54)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bagalau.methodology import kpi, review
from bagalau.methodology.errors import ClauseNotInForce, InvalidInput, ParameterNotSet
from bagalau.methodology.kpi import KpiDraft, KpiResult
from bagalau.methodology.versions import get_version

D = dt.date


def good_kpi(n: int = 1, **changes) -> KpiDraft:
    values = dict(
        text_kk=f"{n}-НМИ", expected_change="азаматтардың өтініштерін қарау мерзімі қысқарады",
        measure="орташа қарау мерзімі", target="10", unit="жұмыс күні", deadline=D(2023, 11, 30),
        strategic_goal_ref="Стратегиялық жоспар 1.2",
    )
    values.update(changes)
    return KpiDraft(**values)


# -- grading (S1-p.50) ---------------------------------------------------------------------------


def test_kpi_grade_five_of_five_is_effective_S1_p50(koksu):
    d = kpi.grade(koksu, 5, 5)
    assert (d.value, d.clause, d.version_id, d.verified) == ("EFFECTIVE", "S1-p.50", "koksu-3-24", True)


def test_kpi_grade_four_of_five_is_proper_S1_p50(koksu):
    assert kpi.grade(koksu, 4, 5).value == "PROPER"


def test_kpi_grade_three_of_five_is_satisfactory_S1_p50(koksu):
    assert kpi.grade(koksu, 3, 5).value == "SATISFACTORY"


@pytest.mark.parametrize("achieved", [0, 1, 2])
def test_kpi_grade_fewer_than_three_is_unsatisfactory_S1_p50(koksu, achieved):
    assert kpi.grade(koksu, achieved, 5).value == "UNSATISFACTORY"


def test_kpi_grade_labels_are_the_kk_words_of_the_text_S1_p50(koksu):
    labels = {n: kpi.grade(koksu, n).details["label"]["kk"] for n in (5, 4, 3, 2)}
    assert labels == {
        5: "Функционалдық міндеттерді тиімді орындайды",
        4: "Функционалдық міндеттерді тиісті түрде орындайды",
        3: "Функционалдық міндеттерін қанағаттанарлық орындайды",
        2: "Функционалдық міндеттерін қанағаттанарлықсыз орындайды",
    }


def test_kpi_partly_met_counts_as_not_achieved_S1_p50(koksu):
    """Spec worked example: KPIs 1-4 fully met, KPI 5 met at 90 % -> 4 -> PROPER."""
    results = [KpiResult(3, 3), KpiResult(2, 2), KpiResult(1, 1), KpiResult(4, 4), KpiResult(9, 10)]
    d = kpi.grade_results(koksu, results)
    assert (d.value, d.details["achieved"], d.clause) == ("PROPER", 4, "S1-p.50")
    assert d.warnings == ("KPI 5 was partly met and counts as not achieved",)
    assert kpi.is_achieved(koksu, KpiResult(9, 10)).value is False


def test_kpi_grade_needs_the_plan_count_S1_p48(koksu):
    with pytest.raises(InvalidInput) as err:
        kpi.grade(koksu, 3, 4)
    assert err.value.field == "total" and "S1-p.48" in err.value.problem


@pytest.mark.parametrize("achieved", [-1, 6, True, 2.5])
def test_kpi_grade_refuses_counts_outside_the_plan(koksu, achieved):
    with pytest.raises(InvalidInput, match="achieved"):
        kpi.grade(koksu, achieved, 5)


def test_kpi_grade_refused_where_the_version_sets_no_kpi_rule(kentau):
    with pytest.raises(ParameterNotSet, match="kentau-161 does not set kpi"):
        kpi.grade(kentau, 4, 5)


def test_template_grade_is_flagged_unverified(typical23):
    d = kpi.grade(typical23, 4)
    assert (d.value, d.clause, d.verified) == ("PROPER", "G23-kpi-grading", False)


@settings(max_examples=30, deadline=None)
@given(achieved=st.integers(min_value=0, max_value=5), version_id=st.sampled_from(["koksu-3-24", "typical-g2023"]))
def test_grading_table_is_total_over_0_to_5(achieved, version_id):
    version = get_version(version_id)
    d = kpi.grade(version, achieved, 5)
    assert d.value in version.value("rating_labels")
    # and monotonic: one more KPI achieved never lowers the rating
    order = ["UNSATISFACTORY", "SATISFACTORY", "PROPER", "EFFECTIVE"]
    if achieved < 5:
        assert order.index(kpi.grade(version, achieved + 1, 5).value) >= order.index(d.value)


# -- the plan (S1-p.47, S1-p.48) -----------------------------------------------------------------


def test_plan_of_five_smart_kpis_is_valid_S1_p48(koksu):
    d = kpi.validate_plan(koksu, [good_kpi(i) for i in range(1, 6)], D(2023, 1, 1), D(2023, 12, 31))
    assert (d.value, d.problems) == ("VALID", ())


@pytest.mark.parametrize("count", [4, 6])
def test_plan_must_hold_exactly_five_kpis_S1_p48(koksu, count):
    d = kpi.validate_plan(koksu, [good_kpi(i) for i in range(count)])
    assert d.value == "INVALID" and d.clause == "S1-p.48"
    assert d.problems[0].code == "kpi_count" and d.problems[0].clause == "S1-p.48"


@pytest.mark.parametrize("field, code", [
    ("expected_change", "smart_specific"),
    ("measure", "smart_measurable"),
    ("target", "smart_measurable"),
    ("deadline", "smart_time_bound"),
    ("strategic_goal_ref", "smart_strategic"),
])
def test_plan_kpis_must_be_smart_S1_p47(koksu, field, code):
    kpis = [good_kpi(i) for i in range(1, 5)] + [good_kpi(5, **{field: None if field == "deadline" else ""})]
    d = kpi.validate_plan(koksu, kpis)
    assert d.value == "INVALID" and d.clause == "S1-p.47"
    assert [(p.field, p.code, p.clause) for p in d.problems] == [(f"kpis[5].{field}", code, "S1-p.47")]


def test_plan_kpi_text_may_be_in_either_language_S1_p47(koksu):
    kpis = [good_kpi(i) for i in range(1, 5)] + [good_kpi(5, text_kk="", text_ru="КЦИ 5")]
    assert kpi.validate_plan(koksu, kpis).value == "VALID"
    kpis[-1] = good_kpi(5, text_kk="", text_ru=" ")
    assert kpi.validate_plan(koksu, kpis).problems[0].code == "smart_specific"


def test_plan_kpi_deadline_inside_the_period_S1_p47(koksu):
    kpis = [good_kpi(i) for i in range(1, 5)] + [good_kpi(5, deadline=D(2024, 2, 1))]
    d = kpi.validate_plan(koksu, kpis, D(2023, 1, 1), D(2023, 12, 31))
    assert d.problems[0].code == "smart_time_bound"


# -- the review chain (S1-p.45, 46, 49, 51-54) ---------------------------------------------------


def test_superior_manager_approves_the_plan_S1_p45(koksu):
    d = review.plan_approver(koksu, direct_manager_is_first_head=False)
    assert (d.value, d.clause) == ("superior_manager", "S1-p.45")


def test_first_head_approves_the_plan_when_direct_manager_S1_p46(koksu):
    d = review.plan_approver(koksu, direct_manager_is_first_head=True)
    assert (d.value, d.clause) == ("first_head", "S1-p.46")


def test_direct_manager_fills_and_signs_the_sheet_S1_p49(koksu):
    assert (review.sheet_signer(koksu).value, review.sheet_signer(koksu).clause) == ("direct_manager", "S1-p.49")


def test_sheet_goes_to_the_superior_manager_S1_p51(koksu):
    d = review.sheet_reviewer(koksu, direct_manager_is_first_head=False)
    assert (d.value, d.clause) == ("superior_manager", "S1-p.51")


def test_sheet_goes_to_the_first_head_when_direct_manager_S1_p52(koksu):
    d = review.sheet_reviewer(koksu, direct_manager_is_first_head=True)
    assert (d.value, d.clause) == ("first_head", "S1-p.52")


def test_superior_manager_only_agrees_or_returns_S1_p53(koksu):
    assert review.check_superior_review(koksu, "agree").value == "VALID"
    d = review.check_superior_review(koksu, "change_rating")
    assert d.value == "INVALID" and d.problems[0].clause == "S1-p.53"


def test_return_for_correction_needs_its_ground_S1_p54(koksu):
    ok = review.check_superior_review(koksu, "return_for_correction", ["insufficient_evidence"])
    assert ok.value == "VALID"
    for grounds in ([], ["dislike"]):
        d = review.check_superior_review(koksu, "return_for_correction", grounds)
        assert d.value == "INVALID" and d.problems[0].clause == "S1-p.54"


def test_review_clauses_sunset_with_chapter_6_S1_dec2(koksu):
    assert review.plan_approver(koksu, False, on=D(2023, 8, 31)).value == "superior_manager"
    with pytest.raises(ClauseNotInForce):
        review.plan_approver(koksu, False, on=D(2023, 9, 1))
