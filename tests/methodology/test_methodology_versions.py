"""Version files: what the seeds define, the schema's refusals, and resolution by date (spec 13)."""

from __future__ import annotations

import datetime as dt

import pytest

from bagalau.methodology import kpi
from bagalau.methodology.errors import (
    ClauseNotInForce,
    NoVersionInForce,
    OverlappingAdoptions,
    UnknownClause,
    UnknownVersion,
    VersionFileError,
)
from bagalau.methodology.resolution import Adoption, clause_for, clauses_in_force, version_for
from bagalau.methodology.versions import default_registry, get_version, load_version_file

D = dt.date


# -- the shipped versions -------------------------------------------------------------------------


def test_shipped_versions_are_the_two_seeds_and_two_templates():
    assert default_registry().ids() == ("kentau-161", "koksu-3-24", "typical-g2023", "typical-g2025")


def test_unknown_version_id_is_refused_with_the_known_ids():
    with pytest.raises(UnknownVersion, match="koksu-3-24"):
        get_version("koksu-3-25")


def test_generations_of_the_versions():
    assert [get_version(i).generation for i in ("kentau-161", "koksu-3-24", "typical-g2023", "typical-g2025")] == [
        "G2018", "G2023", "G2023", "G2025"]


def test_kentau_identity_and_its_amendment_S0_dec1_S0_dec2(kentau):
    ident = kentau.identity
    assert (ident.number, ident.date, ident.state_registration_number) == ("161", D(2018, 5, 24), "4631")
    (amendment,) = ident.amended_by
    assert (amendment.number, amendment.date) == ("131", D(2022, 3, 30))
    # "10 calendar days after first official publication": published D -> in force D+11 (spec 13.3).
    assert amendment.entry_into_force.rule == "ten_calendar_days_after_publication"
    assert amendment.entry_into_force.date == D(2022, 3, 30) + dt.timedelta(days=11)
    assert not amendment.entry_into_force.verified  # the publication date is not in the seed
    assert (ident.repealed_by.number, ident.repealed_by.date) == ("33", D(2023, 8, 8))
    assert ident.repealed_by.entry_into_force.date == D(2023, 8, 19)
    assert kentau.valid_to == D(2023, 8, 18)


def test_koksu_identity_amendment_and_repeal_S1_dec4(koksu):
    ident = koksu.identity
    assert (ident.number, ident.date) == ("3-24", D(2023, 4, 25))
    (amendment,) = ident.amended_by
    assert (amendment.number, amendment.date) == ("6-40", D(2023, 7, 31))
    assert amendment.entry_into_force.rule == "day_after_publication"  # the missing "күнінен"
    assert (ident.repealed_by.number, ident.repealed_by.date) == ("47-194", D(2025, 9, 25))
    assert ident.repealed_by.entry_into_force.rule == "ten_calendar_days_after_publication"


def test_every_unverified_value_carries_a_note():
    for version in default_registry():
        for p in version.parameters.values():
            assert p.verified or p.note.strip(), (version.id, p.key)
        for c in version.clauses:
            assert c.verified or c.note.strip(), (version.id, c.id)
            assert c.kk_ref or not c.verified, (version.id, c.id)


def test_every_parameter_cites_a_clause_of_its_own_file():
    for version in default_registry():
        ids = set(version.clause_ids())
        assert {p.clause for p in version.parameters.values()} <= ids, version.id


def test_bk_values_are_flagged_unverified(koksu):
    # [BK] in the spec: the method split, the 360 parameters; ranking unfilled.
    for key in ("methods_by_group", "survey360", "ranking", "commission.min_members"):
        assert not koksu.param(key).verified, key
    assert koksu.param("ranking").value is None


def test_parameters_are_read_only(koksu):
    with pytest.raises(TypeError):
        koksu.param("commission.voting").value["tie_breaker"] = "nobody"


# -- malformed files are refused at load, naming file, key and problem -----------------------------


def test_missing_parameter_is_refused(altered):
    path = altered("koksu-3-24", lambda raw: raw["parameters"].pop("kpi.count"))
    with pytest.raises(VersionFileError) as err:
        load_version_file(path)
    assert (err.value.file, err.value.key) == ("koksu-3-24.yaml", "parameters.kpi.count")
    assert "missing" in err.value.problem


def test_unknown_clause_referenced_by_a_parameter_is_refused(altered):
    path = altered("koksu-3-24", lambda raw: raw["parameters"]["kpi.count"].update(clause="S1-p.480"))
    with pytest.raises(VersionFileError) as err:
        load_version_file(path)
    assert str(err.value) == (
        "koksu-3-24.yaml: parameters.kpi.count.clause: unknown clause id 'S1-p.480' (not defined under clauses)")


def test_overlapping_effective_dates_of_one_clause_are_refused(altered):
    def overlap(raw):
        wordings = [c for c in raw["clauses"] if c["id"] == "S1-p.4"]
        wordings[0]["to"] = D(2023, 8, 5)  # runs into the amended wording that starts 2023-08-01

    with pytest.raises(VersionFileError, match=r"clauses\[S1-p\.4\]: overlapping effective dates"):
        load_version_file(altered("koksu-3-24", overlap))


def test_grading_table_with_a_gap_is_refused(altered):
    def gap(raw):
        raw["parameters"]["kpi.grading"]["value"] = [
            {"min": 5, "max": 5, "rating": "EFFECTIVE"},
            {"min": 4, "max": 4, "rating": "PROPER"},
            {"min": 0, "max": 2, "rating": "UNSATISFACTORY"},
        ]

    with pytest.raises(VersionFileError) as err:
        load_version_file(altered("koksu-3-24", gap))
    assert err.value.key == "parameters.kpi.grading.value"
    assert err.value.problem == "gap: no rating for 3..3 achieved"


def test_grading_table_with_an_overlap_is_refused(altered):
    def overlap(raw):
        raw["parameters"]["kpi.grading"]["value"][3]["max"] = 3  # 0..3 and 3..3

    with pytest.raises(VersionFileError, match="overlap: 3 achieved is rated twice"):
        load_version_file(altered("koksu-3-24", overlap))


def test_grading_table_short_of_the_kpi_count_is_refused(altered):
    def short(raw):
        raw["parameters"]["kpi.grading"]["value"] = raw["parameters"]["kpi.grading"]["value"][1:]

    with pytest.raises(VersionFileError, match=r"gap: no rating for 5\.\.5 achieved"):
        load_version_file(altered("koksu-3-24", short))


def test_rating_without_a_label_is_refused(altered):
    with pytest.raises(VersionFileError, match="no kk/ru/en label for rating PROPER"):
        load_version_file(altered("koksu-3-24", lambda raw: raw["parameters"]["rating_labels"]["value"].pop("PROPER")))


def test_unverified_value_without_a_note_is_refused(altered):
    with pytest.raises(VersionFileError, match=r"parameters\.ranking\.note: an unverified value needs a note"):
        load_version_file(altered("koksu-3-24", lambda raw: raw["parameters"]["ranking"].pop("note")))


def test_null_value_marked_verified_is_refused(altered):
    def null(raw):
        raw["parameters"]["kpi.count"]["value"] = None

    with pytest.raises(VersionFileError, match=r"parameters\.kpi\.count\.value: null"):
        load_version_file(altered("koksu-3-24", null))


def test_unknown_parameter_key_is_refused(altered):
    def typo(raw):
        raw["parameters"]["commision.min_members"] = raw["parameters"]["commission.min_members"]

    with pytest.raises(VersionFileError, match=r"parameters\.commision\.min_members: unknown parameter"):
        load_version_file(altered("koksu-3-24", typo))


def test_bad_value_type_is_refused(altered):
    def bad(raw):
        raw["parameters"]["commission.quorum_fraction"]["value"] = 0.66

    with pytest.raises(VersionFileError, match=r"quorum_fraction\.value: must be a fraction"):
        load_version_file(altered("koksu-3-24", bad))


def test_clause_outside_the_version_validity_is_refused(altered):
    def late(raw):
        raw["clauses"][-1]["to"] = D(2030, 1, 1)

    with pytest.raises(VersionFileError, match="outside the version's validity"):
        load_version_file(altered("koksu-3-24", late))


def test_id_must_match_the_file_name(altered):
    with pytest.raises(VersionFileError, match="does not match the file name"):
        load_version_file(altered("koksu-3-24", lambda raw: raw.update(id="koksu")))


def test_invalid_yaml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(VersionFileError, match=r"broken\.yaml: \(yaml\)"):
        load_version_file(path)


# -- resolution by date (spec 13) ------------------------------------------------------------------


def test_version_for_picks_the_adoption_in_force():
    adoptions = [Adoption("kentau-161", D(2018, 6, 4), D(2023, 8, 18)), Adoption("typical-g2023", D(2023, 8, 19))]
    assert version_for(adoptions, D(2022, 5, 1)) == "kentau-161"
    assert version_for(adoptions, D(2023, 8, 18)) == "kentau-161"  # inclusive end
    assert version_for(adoptions, D(2023, 8, 19)) == "typical-g2023"
    with pytest.raises(NoVersionInForce):
        version_for(adoptions, D(2018, 6, 3))


def test_version_for_refuses_overlapping_adoptions():
    with pytest.raises(OverlappingAdoptions):
        version_for([Adoption("kentau-161", D(2018, 6, 4)), Adoption("typical-g2023", D(2023, 8, 19))], D(2024, 1, 1))


def test_new_p40_in_force_from_the_amendment_S0_p40(kentau):
    before, after = clause_for(kentau, "S0-p.40", D(2022, 4, 9)), clause_for(kentau, "S0-p.40", D(2022, 4, 10))
    assert not before.verified and before.kk_ref is None  # the 2018 wording was not retrieved
    assert after.verified and "жазбаша" in after.kk_ref and after.introduced_by.startswith("No. 131")


def test_p41_deleted_by_the_amendment_S0_p41(kentau):
    assert clause_for(kentau, "S0-p.41", D(2021, 1, 1)).in_force
    with pytest.raises(ClauseNotInForce, match="deleted"):
        clause_for(kentau, "S0-p.41", D(2022, 6, 1))
    assert "S0-p.41" not in {c.id for c in clauses_in_force(kentau, D(2022, 6, 1))}


def test_new_p5_commission_clause_S0_p5(kentau):
    assert "5 адамнан кем болмауы тиіс" in clause_for(kentau, "S0-p.5", D(2022, 5, 1)).kk_ref


def test_kk_only_preamble_amendment_S0_dec1(kentau):
    assert "ШЕШІМ ҚАБЫЛДАДЫ" in clause_for(kentau, "S0-preamble-kk", D(2021, 1, 1)).kk_ref
    amended = clause_for(kentau, "S0-preamble-kk", D(2022, 5, 1))
    assert "ШЕШТІ" in amended.kk_ref and "орыс тіліндегі мәтін өзгермейді" in amended.kk_ref


def test_new_annex4_in_force_from_the_amendment_S0_annex4(kentau):
    assert clause_for(kentau, "S0-annex-4", D(2022, 4, 10)).verified
    assert kentau.competencies.clause == "S0-annex-4"


def test_chapter6_sunsets_on_31_august_2023_inclusive_S1_dec2(koksu):
    for clause in ("S1-p.44", "S1-p.50", "S1-p.58", "S1-p.70", "S1-p.6-para2", "S1-p.3(12)"):
        assert clause_for(koksu, clause, D(2023, 8, 31)).in_force
        with pytest.raises(ClauseNotInForce):
            clause_for(koksu, clause, D(2023, 9, 1))


def test_amended_clauses_start_with_the_amendment_S1_dec4(koksu):
    assert not clause_for(koksu, "S1-p.9", D(2023, 7, 31)).verified  # the original wording
    assert clause_for(koksu, "S1-p.9", D(2023, 8, 1)).verified
    with pytest.raises(ClauseNotInForce):
        clause_for(koksu, "S1-p.44", D(2023, 7, 31))  # chapter 6 did not exist yet


def test_evaluated_period_definition_is_permanent_S1_p3_11(koksu):
    assert "бағалау кезеңі" in clause_for(koksu, "S1-p.3(11)", D(2024, 6, 1)).kk_ref


def test_iwp_definition_is_temporary_S1_p3_12(koksu):
    assert "жеке жұмыс жоспары" in clause_for(koksu, "S1-p.3(12)", D(2023, 8, 15)).kk_ref
    with pytest.raises(ClauseNotInForce):
        clause_for(koksu, "S1-p.3(12)", D(2024, 6, 1))


def test_an_action_is_judged_by_the_clause_in_force_that_day_S1_p50(koksu):
    assert kpi.grade(koksu, 4, on=D(2023, 8, 31)).value == "PROPER"
    with pytest.raises(ClauseNotInForce, match="S1-p.50"):
        kpi.grade(koksu, 4, on=D(2023, 9, 1))


def test_unknown_clause_id_is_refused(koksu):
    with pytest.raises(UnknownClause):
        clause_for(koksu, "S1-p.999", D(2023, 8, 15))
