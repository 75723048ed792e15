"""Ranking (spec 5.2, S1-p.4) and the 360 method (spec 5.3, S1-p.4, S1-p.6), and G2025 averaging."""

from __future__ import annotations

import datetime as dt

import pytest

from bagalau.methodology import quarterly, ranking, survey360
from bagalau.methodology.errors import ClauseNotInForce, InvalidInput, ParameterNotSet, VersionFileError
from bagalau.methodology.survey360 import Response360
from bagalau.methodology.versions import load_version_file

# -- ranking: no invented numbers ----------------------------------------------------------------


def test_ranking_refused_when_the_version_leaves_it_unset_S1_p4(koksu):
    with pytest.raises(ParameterNotSet) as err:
        ranking.validate_ranking(koksu, {"A": "EFFECTIVE"})
    assert err.value.key == "ranking" and "Q-01" in str(err.value)


def test_ranking_refused_naming_every_unfilled_setting(typical23):
    with pytest.raises(ParameterNotSet) as err:
        ranking.validate_ranking(typical23, {"A": "EFFECTIVE"})
    assert err.value.missing == ("scale", "quotas", "rater_role", "group", "input_type", "min_group_size",
                                 "tie_rule")


@pytest.fixture
def filled(altered):
    """The template with ranking settings filled in as a body would (spec 5.2 worked example)."""

    def fill(raw):
        raw["parameters"]["ranking"]["value"] = {
            "scale": ["EFFECTIVE", "PROPER", "SATISFACTORY", "UNSATISFACTORY"],
            "quotas": {"EFFECTIVE": "1/4", "PROPER": None},
            "rater_role": "direct_manager", "group": "unit", "input_type": "direct_grade",
            "min_group_size": 2, "tie_rule": "not_allowed",
        }

    return load_version_file(altered("typical-g2023", fill))


def test_ranking_quota_allows_one_effective_of_four_S1_p4(filled):
    grades = {"A": "EFFECTIVE", "B": "PROPER", "C": "PROPER", "D": "SATISFACTORY"}
    d = ranking.validate_ranking(filled, grades)
    assert (d.value, d.clause, d.details["allowed"]) == ("VALID", "G23-methods", {"EFFECTIVE": 1})


def test_ranking_quota_refuses_a_second_effective_S1_p4(filled):
    d = ranking.validate_ranking(filled, {"A": "EFFECTIVE", "B": "EFFECTIVE", "C": "PROPER", "D": "PROPER"})
    assert d.value == "INVALID"
    assert [(p.code, p.clause) for p in d.problems] == [("ranking_quota", "G23-methods")]


def test_ranking_label_off_the_scale_and_small_group_are_refused(filled):
    d = ranking.validate_ranking(filled, {"A": "EXCELLENT"})
    assert [p.code for p in d.problems] == ["ranking_label", "ranking_group_size"]


def test_ranking_quota_must_name_a_label_of_the_scale(altered):
    def fill(raw):
        raw["parameters"]["ranking"]["value"].update(scale=["PROPER"], quotas={"TOP": "1/4"})

    with pytest.raises(VersionFileError, match=r"ranking\.value\.quotas\.TOP: is not a label"):
        load_version_file(altered("typical-g2023", fill))


# -- 360 on the Annex 4 matrix ---------------------------------------------------------------------


def answers(value: str, competencies=("responsibility",)) -> dict:
    return {(c, 1): value for c in competencies}


def test_360_competency_score_is_the_share_of_effective_answers_S0_annex4(kentau):
    """Spec 5.3 worked example: 5 respondents, 4 "effective" on Responsibility -> 0.8."""
    responses = [Response360("peer", answers("effective")) for _ in range(4)]
    responses.append(Response360("subordinate", answers("ineffective")))
    d = survey360.score_360(kentau, True, responses)
    assert d.details["competencies"] == {"responsibility": 0.8}
    assert d.value == 0.8
    assert d.clause == "S0-main-text" and "S0-annex-4" in d.clauses
    assert d.verified is False  # the 360 mechanics are background defaults


def test_360_mean_over_competencies_and_training_needs(kentau):
    good = {("responsibility", 1): "effective", ("initiative", 1): "ineffective"}
    d = survey360.score_360(kentau, False, [Response360("peer", good) for _ in range(3)])
    assert d.details["competencies"] == {"responsibility": 1.0, "initiative": 0.0}
    assert d.value == 0.5
    assert d.details["training_needs"] == ["initiative"]


def test_360_shows_nothing_below_the_anonymity_threshold(kentau):
    d = survey360.score_360(kentau, True, [Response360("peer", answers("effective"))] * 2)
    assert d.value is None and d.details["status"] == survey360.INSUFFICIENT
    assert "competencies" not in d.details


def test_360_withholds_the_per_role_breakdown_of_a_small_group(kentau):
    manager = Response360("direct_manager", answers("ineffective"))
    responses = [Response360("peer", answers("effective"))] * 3 + [manager]
    d = survey360.score_360(kentau, True, responses)
    assert d.value == 0.75 and d.details["by_role"] is None and d.warnings
    enough = [Response360("peer", answers("effective"))] * 3 + [Response360("subordinate", answers("ineffective"))] * 3
    assert survey360.score_360(kentau, True, enough).details["by_role"] == {
        "peer": {"responsibility": 1.0}, "subordinate": {"responsibility": 0.0}}


def test_360_group_by_head_flag_decides_which_indicators_exist_S0_annex4(kentau):
    head_only = {("decision_making", 5): "effective"}  # heads have 5 decision indicators, specialists 3
    assert survey360.score_360(kentau, True, [Response360("peer", head_only)] * 3).value == 1.0
    with pytest.raises(InvalidInput, match="no indicator decision_making/5 for group non_head"):
        survey360.score_360(kentau, False, [Response360("peer", head_only)] * 3)


def test_360_refuses_self_rating_and_roles_outside_the_group(kentau):
    with pytest.raises(InvalidInput, match="self-rating"):
        survey360.score_360(kentau, True, [Response360("self", answers("effective"))] * 3)
    with pytest.raises(InvalidInput, match="subordinate"):
        survey360.score_360(kentau, False, [Response360("subordinate", answers("effective"))] * 3)


def test_360_refuses_answers_off_the_scale(kentau):
    with pytest.raises(InvalidInput, match="effective/ineffective"):
        survey360.score_360(kentau, True, [Response360("peer", answers("4"))] * 3)


def test_360_without_a_competency_matrix_is_refused(koksu):
    with pytest.raises(ParameterNotSet, match="competencies"):
        survey360.score_360(koksu, True, [Response360("peer", answers("effective"))] * 3)


# -- G2025: the annual result is the mean of the quarters ------------------------------------------


def test_g2025_annual_is_the_mean_of_four_quarters(typical25):
    d = quarterly.annual_from_quarters(typical25, [4, 5, 4, 3])
    assert (d.value, d.clause, d.verified) == (4.0, "G25-annual", True)
    with pytest.raises(InvalidInput, match="4 quarterly scores"):
        quarterly.annual_from_quarters(typical25, [4, 5, 4])


def test_g2025_seconded_servant_is_evaluated_by_the_host_body(typical25):
    d = quarterly.evaluating_party(typical25, seconded=True, evaluator_absent=True)
    assert (d.value, d.clause) == ("host_body", "G25-secondment")


def test_g2025_absent_evaluator_is_replaced_by_the_substitute(typical25):
    d = quarterly.evaluating_party(typical25, seconded=False, evaluator_absent=True)
    assert (d.value, d.clause) == ("substitute", "G25-substitute")
    assert quarterly.evaluating_party(typical25, False, False).value == "evaluator"


def test_g2025_documents_kept_three_years_from_2026(typical25):
    d = quarterly.retention_until(typical25, dt.date(2026, 4, 20), on=dt.date(2026, 4, 20))
    assert (d.value, d.verified) == (dt.date(2029, 4, 20), False)
    with pytest.raises(ClauseNotInForce):  # a 2026 addition, not in force in 2025
        quarterly.retention_until(typical25, dt.date(2025, 10, 20), on=dt.date(2025, 10, 20))
