"""The rules core of the 360 (methodology/survey360.py), without the database: the questionnaire
is the version's Annex 4 for the servant's group (head flag, S0-Annex 4, Q-23), raters follow the
version's rules, answers must be complete and on the scale, and the result is development-only
(S1-p.9 via the typical text's uses clause)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from bagalau.methodology import survey360 as core
from bagalau.methodology import uses
from bagalau.methodology.errors import InvalidInput, ParameterNotSet
from bagalau.methodology.local import apply_local_parameters
from bagalau.methodology.versions import get_version

SEED = Path(__file__).parents[1] / "methodology" / "data" / "000_5305d666c6c81f1e.txt"
ON = dt.date(2022, 5, 10)
G23_ON = dt.date(2024, 3, 5)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def kentau():
    return get_version("kentau-161")


@pytest.fixture(scope="module")
def g2023():
    from tests.survey360.kit import G2023_LOCAL
    return apply_local_parameters(get_version("typical-g2023"), G2023_LOCAL)


def test_e3_head_and_e3_specialist_get_their_own_annex4_indicators(kentau):
    """Same category code E-3, different indicator sets: the head flag decides (S0-Annex 4)."""
    seed = squeeze(SEED.read_text(encoding="utf-8"))
    head = core.questionnaire(kentau, True, ON)
    spec = core.questionnaire(kentau, False, ON)
    assert head.clause == spec.clause == "S0-annex-4"
    assert head.details["group"] == "head" and spec.details["group"] == "non_head"
    assert (head.details["indicator_count"], spec.details["indicator_count"]) == (34, 29)
    assert [len(c["indicators"]) for c in head.value] == [4, 4, 5, 3, 3, 3, 3, 6, 1, 1, 1]
    assert [len(c["indicators"]) for c in spec.value] == [4, 3, 3, 3, 3, 4, 3, 3, 1, 1, 1]
    assert "басшысы" in head.details["group_label"]["kk"]
    for questionnaire in (head, spec):
        for comp in questionnaire.value:
            assert squeeze(comp["name"]["kk"]) in seed.replace(" ", "") or comp["name"]["kk"].isupper()
            for ind in comp["indicators"]:
                for text in filter(None, (ind["effective"]["kk"], (ind["ineffective"] or {}).get("kk"))):
                    # The seed is a PDF dump whose page breaks split cells: the first 24 letters.
                    assert squeeze(text)[:24] in seed, text
                assert ind["effective"]["ru"] and ind["effective"]["kk"] != ind["effective"]["ru"]
    # Management, (a): the heads' and the specialists' wording differ, as in the seed.
    assert head.value[0]["indicators"][0]["effective"]["kk"].startswith("Бөлімшенің қызметін жоспарлау")
    assert spec.value[0]["indicators"][0]["effective"]["kk"] != head.value[0]["indicators"][0]["effective"]["kk"]
    # Integrity (f) of the heads has no ineffective counterpart in the seed.
    assert head.value[7]["indicators"][5]["ineffective"] is None


def test_typical_version_without_the_body_annex_refuses():
    with pytest.raises(ParameterNotSet) as exc:
        core.questionnaire(get_version("typical-g2023"), True, G23_ON)
    assert "competencies" in str(exc.value)


def test_the_body_annex_is_cited_with_the_body_act(g2023):
    assert core.questionnaire(g2023, False, G23_ON).clause == "T-ord-1-annex-4"


def test_who_gets_a_360_comes_from_the_version(kentau, g2023):
    shipped = get_version("typical-g2023")
    assert core.applies_to(shipped, True, G23_ON).details["basis"] == "required"
    spec = core.applies_to(shipped, False, G23_ON)
    assert spec.value is False and spec.warnings  # left open, not guessed
    assert core.applies_to(g2023, False, G23_ON).details["basis"] == "optional"
    assert core.applies_to(kentau, False, ON).value is True  # G2018: methods_by_group names it


def test_rater_rules(g2023):
    ok = core.check_raters(g2023, True, {"direct_manager": 1, "peer": 1, "subordinate": 1}, G23_ON)
    # The body filled one open setting of the survey360 parameter: the effective parameter cites its act.
    assert ok.value is True and ok.clause == "T-ord-1-p.5"
    short = core.check_raters(g2023, False, {"direct_manager": 1, "peer": 1}, G23_ON)
    assert {p.code for p in short.problems} == {"BELOW_MIN_PER_ROLE", "BELOW_ANONYMITY_THRESHOLD"}
    wrong = core.check_raters(g2023, False, {"direct_manager": 1, "peer": 2, "subordinate": 1}, G23_ON)
    assert [p.code for p in wrong.problems] == ["ROLE_NOT_ALLOWED"]
    many = core.check_raters(g2023, True, {"direct_manager": 1, "peer": 6, "subordinate": 6}, G23_ON)
    assert [p.code for p in many.problems] == ["ABOVE_MAX"]


def test_no_self_rating_and_roles_per_group(kentau):
    assert core.may_rate(kentau, "peer", False, True, ON).details["reason"] == "SELF_RATING"
    assert core.may_rate(kentau, "subordinate", False, False, ON).value is False
    assert core.may_rate(kentau, "subordinate", True, False, ON).value is True


def test_answers_complete_and_on_the_scale(kentau):
    content = core.questionnaire(kentau, False, ON).value
    full = {f"{c['id']}/{i['ordinal']}": "effective" for c in content for i in c["indicators"]}
    assert core.checked_answers(kentau, False, full) == full
    with pytest.raises(InvalidInput):
        core.checked_answers(kentau, False, dict(list(full.items())[:-1]))
    with pytest.raises(InvalidInput):
        core.checked_answers(kentau, False, {**full, "management/1": 1})
    with pytest.raises(InvalidInput):
        core.checked_answers(kentau, True, full)  # the specialists' answers do not fit a head


def test_360_is_refused_as_input_to_bonus_and_personnel_decisions(g2023):
    for purpose in ("bonus", "incentive", "promotion", "demotion", "dismissal", "rotation"):
        d = uses.may_use(g2023, "method_360", purpose, G23_ON)
        assert d.value is False and d.clause == "G23-uses"
    assert uses.may_use(g2023, "kpi", "bonus", G23_ON).value is True
