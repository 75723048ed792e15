"""A body fills what its methodology version leaves open, from its own act (spec 5.2, Q-01, Q-21).

The core (`methodology.local`) builds the effective version; the lawbook stores the values on the
adoption, refuses bad ones on save naming the parameter, and `version_for` returns the effective
version so every rule reads the body's values with the body's clause.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from bagalau.lawbook import selectors
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.methodology import ranking
from bagalau.methodology.errors import ParameterNotSet
from bagalau.methodology.local import LocalParameterError, apply_local_parameters, open_parameters
from bagalau.methodology.resolution import clause_for
from bagalau.methodology.versions import get_version
from bagalau.orgs.demo import DEMO_LOCAL_PARAMETERS

D = dt.date
RANKING = {
    "value": {
        "scale": ["EFFECTIVE", "PROPER", "SATISFACTORY", "UNSATISFACTORY"],
        "quotas": {"EFFECTIVE": "1/4"},
        "rater_role": "direct_manager", "group": "unit", "input_type": "direct_grade",
        "min_group_size": 2, "tie_rule": "shared_rank",
    },
    "clause": "B-ord-12-p.3",
    "act": "Order No. 12 of 2023-09-01, p.3",
    "verified": True,
}


def local(**changes):
    entry = copy.deepcopy(RANKING)
    for key, value in changes.items():
        if key in entry["value"]:
            entry["value"][key] = value
        else:
            entry[key] = value
    return {"ranking": entry}


# -- the core ---------------------------------------------------------------------------------------


def test_typical_g2023_leaves_ranking_settings_and_competencies_open():
    opened = open_parameters(get_version("typical-g2023"))
    assert opened["ranking"] == ("scale", "quotas", "rater_role", "group", "input_type", "min_group_size",
                                 "tie_rule")
    assert opened["competencies"] == ()
    assert "kpi.count" not in opened


def test_filled_ranking_cites_the_bodys_act_and_the_quota_refusal_names_it():
    shipped = get_version("typical-g2023")
    effective = apply_local_parameters(shipped, local())
    assert effective.id == shipped.id and effective.param("ranking").clause == "B-ord-12-p.3"
    assert clause_for(effective, "B-ord-12-p.3", D(2024, 1, 10)).kk_ref == "Order No. 12 of 2023-09-01, p.3"
    grades = {"A": "EFFECTIVE", "B": "EFFECTIVE", "C": "PROPER", "D": "PROPER"}
    d = ranking.validate_ranking(effective, grades, on=D(2024, 1, 10))
    assert d.value == "INVALID" and [(p.code, p.clause) for p in d.problems] == [("ranking_quota", "B-ord-12-p.3")]
    assert d.verified is True
    # The shipped version is untouched: still refuses, naming what is unfilled.
    with pytest.raises(ParameterNotSet):
        ranking.validate_ranking(shipped, grades)


def test_unverified_local_value_makes_decisions_unverified_and_needs_a_note():
    shipped = get_version("typical-g2023")
    with pytest.raises(LocalParameterError, match="ranking.note: an unverified value needs a note"):
        apply_local_parameters(shipped, local(verified=False))
    effective = apply_local_parameters(shipped, local(verified=False, note="check against the order"))
    d = ranking.validate_ranking(effective, {"A": "PROPER", "B": "PROPER"})
    assert (d.value, d.verified) == ("VALID", False)


@pytest.mark.parametrize(("changes", "path"), [
    ({"quotas": {"EFFECTIVE": "2/1"}}, "ranking.value.quotas.EFFECTIVE"),
    ({"quotas": {"TOP": "1/4"}}, "ranking.value.quotas.TOP"),
    ({"scale": ["EFFECTIVE", "EXCELLENT"]}, "parameters.rating_labels"),
    ({"tie_rule": "coin_toss"}, "ranking.value.tie_rule"),
    ({"min_group_size": 0}, "ranking.value.min_group_size"),
    ({"clause": "G23-methods"}, "ranking.clause"),
    ({"clause": "order 12 p 3"}, "ranking.clause"),
])
def test_bad_local_values_are_refused_naming_parameter_and_setting(changes, path):
    with pytest.raises(LocalParameterError) as err:
        apply_local_parameters(get_version("typical-g2023"), local(**changes))
    assert (err.value.parameter, err.value.path) == ("ranking", path)


def test_a_value_the_version_sets_cannot_be_overwritten():
    with pytest.raises(LocalParameterError) as err:
        apply_local_parameters(get_version("typical-g2023"), {"kpi.count": {**RANKING, "value": 3}})
    assert err.value.parameter == "kpi.count" and "only what it leaves open" in err.value.problem


def test_competency_annex_is_filled_with_the_bodys_clause():
    koksu = get_version("kentau-161")  # ships the Annex 4 matrix: its shape is the annex a body gives
    assert koksu.competencies is not None
    annex = {
        "groups": {g.id: {"is_head": g.is_head, "categories": list(g.categories), "label": g.label.as_dict()}
                   for g in koksu.competencies.groups},
        "items": [{"id": c.id, "name": c.name.as_dict(),
                   "indicators": {gid: [{"effective": i.effective.as_dict(),
                                         "ineffective": i.ineffective.as_dict() if i.ineffective else None}
                                        for i in rows] for gid, rows in c.indicators.items()}}
                  for c in koksu.competencies.competencies],
    }
    effective = apply_local_parameters(get_version("typical-g2023"), {
        "competencies": {"value": annex, "clause": "B-ord-12-annex", "act": "Order No. 12, annex 2",
                         "verified": False, "note": "typed from the order"}})
    assert effective.competencies is not None
    assert (effective.competencies.clause, effective.competencies.verified) == ("B-ord-12-annex", False)
    assert effective.competencies.count("head") == koksu.competencies.count("head")


# -- the lawbook ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_adoption_refuses_bad_local_parameters_on_save_naming_the_parameter(body):
    adoption = MethodologyAdoption(body=body, version_id="typical-g2023", valid_from=D(2023, 9, 1),
                                   local_parameters=local(quotas={"EFFECTIVE": "0.25"}))
    with pytest.raises(ValidationError) as err:
        adoption.save()
    assert [e.code for e in err.value.error_dict["local_parameters"]] == ["invalid_local_parameter"]
    assert err.value.error_dict["local_parameters"][0].params["parameter"] == "ranking"
    assert not MethodologyAdoption.objects.exists()


@pytest.mark.django_db
def test_version_for_returns_the_effective_version_of_the_body_only(body, other_body):
    MethodologyAdoption.objects.create(body=body, version_id="typical-g2023", valid_from=D(2023, 9, 1),
                                       local_parameters=local())
    MethodologyAdoption.objects.create(body=other_body, version_id="typical-g2023", valid_from=D(2023, 9, 1))
    mine = selectors.version_for(body, D(2024, 3, 1))
    theirs = selectors.version_for(other_body, D(2024, 3, 1))
    assert mine.param("ranking").value["quotas"]["EFFECTIVE"].denominator == 4
    assert theirs.param("ranking").value["scale"] is None
    assert selectors.version_named(body, "typical-g2023").param("ranking").clause == "B-ord-12-p.3"
    # Other rules keep working on the effective version.
    assert mine.value("kpi.count") == 5


def test_demo_parameters_are_valid_unverified_and_quota_the_top_grade():
    effective = apply_local_parameters(get_version("typical-g2023"), DEMO_LOCAL_PARAMETERS)
    p = effective.param("ranking")
    assert p.verified is False and "fictional" in p.note.lower()
    assert set(p.value["quotas"]) == {p.value["scale"][0]}


@pytest.mark.django_db
def test_the_demo_body_adopts_its_ranking_block_and_a_second_load_changes_nothing():
    from bagalau.orgs.demo import load_demo

    demo = load_demo(today=D(2024, 5, 6))
    assert selectors.version_for(demo.body, D(2024, 5, 6)).param("ranking").clause == "DEMO-ord-7-p.3"
    assert demo.second_body is not None
    assert selectors.version_for(demo.second_body, D(2024, 5, 6)).param("ranking").value["scale"] is None
    before = MethodologyAdoption.objects.get(body=demo.body).local_parameters
    load_demo(today=D(2024, 5, 6))
    assert MethodologyAdoption.objects.get(body=demo.body).local_parameters == before
    # A demo loaded before the block existed gets it on the next load, once.
    MethodologyAdoption.objects.filter(body=demo.body).update(local_parameters={})
    load_demo(today=D(2024, 5, 6))
    assert MethodologyAdoption.objects.get(body=demo.body).local_parameters == before
