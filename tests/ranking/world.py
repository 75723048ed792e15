"""A body for the ranking tests: the cycles' small organisation plus non-head specialists, the
typical G2023 version with the ranking block filled from the body's own act, a launched cycle.

    02     head_b evaluates spec, s2, s3, s4 (a group of four; quota EFFECTIVE 1/4 -> one)
           superior: the chairman (first head), the snapshot's sheet reviewer
    02-1   head_c evaluates lone (a unit of one)
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from typing import Any

from bagalau.assessments.ranking import services
from bagalau.assessments.ranking.models import RankingList
from bagalau.cycles.models import EvaluationCycle
from bagalau.lawbook.models import MethodologyAdoption
from tests import factories
from tests.cycles import flow
from tests.cycles.builders import Org, build_org, person

D = dt.date
CLAUSE = "B-ord-12-p.3"
RANKING = {
    "value": {
        "scale": ["EFFECTIVE", "PROPER", "SATISFACTORY", "UNSATISFACTORY"],
        "quotas": {"EFFECTIVE": "1/4"},
        "rater_role": "direct_manager", "group": "unit", "input_type": "direct_grade",
        "min_group_size": 2, "tie_rule": "shared_rank", "small_group": "no_quota",
    },
    "clause": CLAUSE, "act": "Order No. 12 of 2023-09-01, p.3", "verified": False,
    "note": "Typed from the body's order; to be checked.",
}


@dataclass
class World:
    org: Org
    hr: Any
    clock: Any
    cycle: EvaluationCycle

    @property
    def body(self) -> Any:
        return self.org.body

    def user(self, key: str) -> Any:
        return self.hr if key == "hr" else self.org.user(key)

    def servant(self, key: str) -> Any:
        return self.org.servants[key]

    @property
    def authorized(self) -> Any:
        return self.org.user("chairman")

    def list_of(self, key: str) -> RankingList:
        return RankingList.objects.get(cycle=self.cycle, entries__participant__servant=self.org.servants[key])

    def entry_ids(self, ranking_list: RankingList) -> dict[str, int]:
        by_servant = {s.pk: k for k, s in self.org.servants.items()}
        return {by_servant[e.participant.servant_id]: e.pk for e in ranking_list.entries.select_related("participant")}


def settings_with(**changes: Any) -> dict[str, Any]:
    entry = copy.deepcopy(RANKING)
    entry["value"].update(changes)
    return {"ranking": entry}


def build(body: Any, hr: Any, clock: Any, *, local: dict[str, Any] | None = None, launch: bool = True,
          members: int = 0) -> World:
    """`members`: that many commission members m1.. in a unit 03 (for the Commission's part)."""
    org = build_org(body)
    for key in ("s2", "s3", "s4"):
        person(org, key, factories.position(org.units["02"], f"02-{key}", category="E-5"))
    person(org, "lone", factories.position(org.units["02-1"], "02-1-02", category="E-5"))
    if members:
        unit = factories.unit(body, "03")
        for i in range(1, members + 1):
            person(org, f"m{i}", factories.position(unit, f"03-{i:02d}", category="E-4"))
    adoption = MethodologyAdoption.objects.get(body=body)
    adoption.local_parameters = settings_with() if local is None else local
    adoption.save()
    cycle = flow.launch(org, hr, clock) if launch else None
    return World(org=org, hr=hr, clock=clock, cycle=cycle)  # type: ignore[arg-type]


def prepared(world: World) -> services.Prepared:
    return services.prepare_lists(world.hr, world.body, world.cycle.pk)


def fresh(obj: Any) -> Any:
    return type(obj).objects.get(pk=obj.pk)


def grade(world: World, ranking_list: RankingList, grades: dict[str, Any], actor: str = "head_b") -> RankingList:
    ids = world.entry_ids(ranking_list)
    payload = {ids[k]: (v if isinstance(v, dict) else {"grade": v}) for k, v in grades.items()}
    ranking_list = fresh(ranking_list)
    return services.save_grades(world.user(actor), world.body, ranking_list.pk, grades=payload,
                                expected_version=ranking_list.version)


def move(world: World, ranking_list: RankingList, action: str, actor: str, **kw: Any) -> RankingList:
    ranking_list = fresh(ranking_list)
    fn = {"sign": services.sign_list, "agree": services.agree_list, "return": services.return_list,
          "forward": services.forward_list}[action]
    return fn(world.user(actor), world.body, ranking_list.pk, expected_version=ranking_list.version, **kw)
