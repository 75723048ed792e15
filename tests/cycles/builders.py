"""A small body for the cycle tests, with a four-level reporting chain and a login per person.

    01   chairman  (first head, authorized person; head of the leadership unit)
    02   head_b    head of a top unit: his direct manager is the first head (S1-p.46 case)
    02-1 head_c    head of a sub-unit of 02: direct manager head_b, superior the first head
    02-1-1 head_d  head of a sub-unit of 02-1: direct manager head_c, superior head_b
    02   spec      a specialist (non-head: ranking only under typical-g2023)

Everyone is appointed long before the periods the tests use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import Servant, StateBody
from tests import factories

D = dt.date
LONG_AGO = D(2015, 1, 1)
G2023_FROM = D(2023, 9, 1)
IN_2024 = D(2024, 12, 1)


@dataclass
class Org:
    body: StateBody
    servants: dict[str, Servant] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    units: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, Any] = field(default_factory=dict)

    def user(self, key: str) -> Any:
        return self.users[key]


def person(org: Org, key: str, position: Any, start: dt.date = LONG_AGO, *, login: bool = True) -> Servant:
    s = factories.servant(org.body, last_name=key.capitalize())
    factories.appoint(s, position, start)
    if login:
        u = factories.user(f"{key}_{org.body.pk}")
        s.user = u
        s.save(update_fields=["user"])
        org.users[key] = u
    org.servants[key] = s
    return s


def build_org(body: StateBody, *, version_id: str = "typical-g2023", adopted_from: dt.date = G2023_FROM) -> Org:
    org = Org(body)
    u01 = factories.unit(body, "01")
    u02 = factories.unit(body, "02")
    u021 = factories.unit(body, "02-1", parent=u02)
    u0211 = factories.unit(body, "02-1-1", parent=u021)
    org.units = {"01": u01, "02": u02, "02-1": u021, "02-1-1": u0211}
    org.positions = {
        "chairman": factories.position(u01, "01-01", head=True, category="E-1"),
        "head_b": factories.position(u02, "02-01", head=True, category="E-2"),
        "spec": factories.position(u02, "02-02", category="E-4"),
        "head_c": factories.position(u021, "02-1-01", head=True, category="E-3"),
        "head_d": factories.position(u0211, "02-1-1-01", head=True, category="E-3"),
    }
    for key in ("chairman", "head_b", "head_c", "head_d", "spec"):
        person(org, key, org.positions[key])
    body.first_head = org.servants["chairman"]
    body.authorized_person = org.servants["chairman"]
    body.save(update_fields=["first_head", "authorized_person"])
    MethodologyAdoption.objects.create(body=body, version_id=version_id, valid_from=adopted_from)
    return org


VALID_KPI = {
    "text_kk": "Азаматтардың өтініштерін уақтылы қарау",
    "text_ru": "Своевременное рассмотрение обращений граждан",
    "expected_change": "Fewer overdue citizen requests",
    "measure": "Share of requests answered on time",
    "target": "100",
    "unit": "%",
    "resources_note": "Two specialists, the e-Otinish system",
    "strategic_goal_ref": "Strategic plan 2024-2028, goal 2",
}


def kpis(n: int = 5, deadline: dt.date = IN_2024) -> list[dict[str, Any]]:
    return [{**VALID_KPI, "text_ru": f"{VALID_KPI['text_ru']} {i}", "deadline": deadline} for i in range(1, n + 1)]
