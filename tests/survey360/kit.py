"""A small body for the 360 tests, adopting Kentau No. 161, whose Annex 4 (2022 wording, S0) is a
verified competency matrix, so no body annex is needed. Day: Tue 10.05.2022.

    01  chairman  first head (E-1)
    02  head      head of unit 02, category E-3 (heads' indicators)
    03  head2     head of unit 03, E-3        04 head3  head of unit 04, E-3
    02  s1..s4    specialists of unit 02, category E-3 (non-heads' indicators)
    03  s5        specialist of unit 03, no login

The E-3 head and the E-3 specialists share the category code: only the head flag tells their
indicator sets apart (S0-Annex 4, Q-23).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bagalau.assessments.survey360 import services
from bagalau.assessments.survey360.annex import seed_annex4
from bagalau.assessments.survey360.models import RaterAssignment, Survey360
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.lawbook.selectors import version_for
from bagalau.methodology.model import group_for
from bagalau.orgs.models import Servant, StateBody
from tests import factories

DAY = dt.date(2022, 5, 10)
KENTAU = "kentau-161"


@dataclass
class World:
    body: StateBody
    hr: Any
    servants: dict[str, Servant] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, key: str) -> Any:
        return self.hr if key == "hr" else self.users[key]

    def sid(self, key: str) -> int:
        return self.servants[key].pk


def _person(w: World, key: str, position: Any, *, login: bool = True) -> None:
    s = factories.servant(w.body, last_name=key.capitalize())
    factories.appoint(s, position, dt.date(2015, 1, 1))
    if login:
        u = factories.user(f"{key}_{w.body.pk}")
        s.user = u
        s.save(update_fields=["user"])
        w.users[key] = u
    w.servants[key] = s


# A body adopting the typical G2023 text fills what it leaves open from its own act: the annex
# (here the seed's Annex 4) and whether specialists also get a 360.
G2023 = "typical-g2023"
G2023_DAY = dt.date(2024, 3, 5)
G2023_LOCAL = {
    "competencies": {"value": seed_annex4(), "clause": "T-ord-1-annex-4", "act": "Order No. 1, Annex 4",
                     "verified": False, "note": "test body's annex"},
    "survey360": {"value": {"optional_for": ["non_head"]}, "clause": "T-ord-1-p.5", "act": "Order No. 1, p.5",
                  "verified": False, "note": "test body's order"},
}


def build(body: StateBody, hr: Any, *, version_id: str = KENTAU, adopted_from: dt.date = dt.date(2018, 6, 4),
          local: dict[str, Any] | None = None) -> World:
    w = World(body, hr)
    units = {c: factories.unit(body, c) for c in ("01", "02", "03", "04")}
    _person(w, "chairman", factories.position(units["01"], "01-01", head=True, category="E-1"))
    _person(w, "head", factories.position(units["02"], "02-01", head=True, category="E-3"))
    _person(w, "head2", factories.position(units["03"], "03-01", head=True, category="E-3"))
    _person(w, "head3", factories.position(units["04"], "04-01", head=True, category="E-3"))
    for i in range(1, 5):
        _person(w, f"s{i}", factories.position(units["02"], f"02-0{i + 1}", category="E-3"))
    _person(w, "s5", factories.position(units["03"], "03-02", category="E-3"), login=False)
    body.first_head = w.servants["chairman"]
    body.authorized_person = w.servants["chairman"]
    body.save(update_fields=["first_head", "authorized_person"])
    MethodologyAdoption.objects.create(body=body, version_id=version_id, valid_from=adopted_from,
                                       local_parameters=local or {})
    return w


HEAD_RATERS = (("chairman", "direct_manager"), ("head2", "peer"), ("head3", "peer"), ("s1", "subordinate"),
               ("s2", "subordinate"))
NON_HEAD_RATERS = (("head", "direct_manager"), ("s2", "peer"), ("s3", "peer"), ("s4", "peer"))


def survey_with_raters(w: World, key: str, raters: tuple[tuple[str, str], ...], *, send: bool = True) -> Survey360:
    survey = services.create_survey(w.hr, w.body, w.sid(key))
    for rater, role in raters:
        services.assign_rater(w.hr, w.body, survey.pk, rater_id=w.sid(rater), role=role,
                              expected_version=Survey360.objects.get(pk=survey.pk).version)
    survey = Survey360.objects.get(pk=survey.pk)
    if send:
        survey = services.open_survey(w.hr, w.body, survey.pk, expected_version=survey.version)
    return survey


def answers_for(survey: Survey360, pick: Any = "effective") -> dict[str, Any]:
    """A complete questionnaire: `pick` for every indicator, or pick(competency, ordinal)."""
    version = version_for(survey.body, survey.snapshot_on)
    assert version.competencies is not None
    out = {}
    for comp, indicators in version.competencies.indicators(group_for(survey.is_head_of_unit)).items():
        for ind in indicators:
            out[f"{comp}/{ind.ordinal}"] = pick(comp, ind.ordinal) if callable(pick) else pick
    return out


def assignment(survey: Survey360, w: World, rater: str) -> RaterAssignment:
    return RaterAssignment.objects.get(survey=survey, rater=w.servants[rater], state__in=["pending", "completed"])


def answer(w: World, survey: Survey360, rater: str, pick: Any = "effective") -> RaterAssignment:
    return services.submit_answers(w.user(rater), w.body, assignment(survey, w, rater).pk, answers_for(survey, pick))
