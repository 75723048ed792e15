"""Builders and a small JSON client for the cycle API tests.

`build_org` makes a body with a four-level reporting chain, so the direct manager and the reviewer
of a participant are different people (head_c drafts head_d's plan, head_b reviews it), plus a
newcomer who is not evaluated and a head on sick leave who is evaluated without participation:

    01      chairman  first head and authorized person
    02      head_b    head of a top unit (direct manager: the first head, S1-p.46)
    02      spec      a specialist (ranking only under typical-g2023)
    02      newcomer  appointed in the last fortnight of the year: less than a month, not evaluated
    02-1    head_c    direct manager head_b, superior the first head
    02-1-1  head_d    direct manager head_c, superior head_b
    03      head_e    head of a top unit, on sick leave in the year: without participation
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from bagalau.cycles import services
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet, PeriodKind
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import Absence, AbsenceKind, Servant, StateBody
from tests import factories

D = dt.date
LONG_AGO = D(2015, 1, 1)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@dataclass
class Org:
    body: StateBody
    year: int
    servants: dict[str, Servant] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def user(self, key: str) -> Any:
        return self.users[key]


def build_org(body: StateBody, year: int) -> Org:
    org = Org(body, year)
    u01 = factories.unit(body, "01")
    u02 = factories.unit(body, "02")
    u021 = factories.unit(body, "02-1", parent=u02)
    u0211 = factories.unit(body, "02-1-1", parent=u021)
    u03 = factories.unit(body, "03")
    people = {
        "chairman": (factories.position(u01, "01-01", head=True, category="E-1"), LONG_AGO),
        "head_b": (factories.position(u02, "02-01", head=True, category="E-2"), LONG_AGO),
        "spec": (factories.position(u02, "02-02", category="E-4"), LONG_AGO),
        "newcomer": (factories.position(u02, "02-03", category="E-5"), D(year, 12, 15)),
        "head_c": (factories.position(u021, "02-1-01", head=True, category="E-3"), LONG_AGO),
        "head_d": (factories.position(u0211, "02-1-1-01", head=True, category="E-3"), LONG_AGO),
        "head_e": (factories.position(u03, "03-01", head=True, category="E-2"), LONG_AGO),
    }
    for key, (position, start) in people.items():
        s = factories.servant(body, last_name=key.replace("_", "").capitalize())
        factories.appoint(s, position, start)
        u = factories.user(f"{key}_{body.pk}")
        s.user = u
        s.save(update_fields=["user"])
        org.servants[key], org.users[key] = s, u
    Absence.objects.create(body=body, servant=org.servants["head_e"], kind=AbsenceKind.SICK_LEAVE,
                           start=D(year, 3, 2), end=D(year, 3, 20))
    body.first_head = org.servants["chairman"]
    body.authorized_person = org.servants["chairman"]
    body.save(update_fields=["first_head", "authorized_person"])
    MethodologyAdoption.objects.create(body=body, version_id="typical-g2023", valid_from=D(2023, 9, 1))
    return org


VALID_KPI = {
    "text_kk": "Азаматтардың өтініштерін уақтылы қарау",
    "text_ru": "Своевременное рассмотрение обращений граждан",
    "expected_change": "Fewer overdue citizen requests",
    "measure": "Share of requests answered on time",
    "target": "100",
    "unit": "%",
    "resources_note": "Two specialists, the e-Otinish system",
    "strategic_goal_ref": "Strategic plan, goal 2",
}


def kpis(n: int, year: int, *, deadline: dt.date | None = None) -> list[dict[str, Any]]:
    day = (deadline or D(year, 12, 1)).isoformat()
    return [{**VALID_KPI, "text_ru": f"{VALID_KPI['text_ru']} {i}", "deadline": day} for i in range(1, n + 1)]


# -- walking documents through the services (for tests that start mid-way) ---------------------------

def launched(org: Org, hr: Any) -> EvaluationCycle:
    cycle = services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=org.year)
    return services.launch_cycle(hr, org.body, cycle.pk)


def plan_of(cycle: EvaluationCycle, org: Org, key: str) -> IndividualWorkPlan:
    return IndividualWorkPlan.objects.get(cycle=cycle, participant__servant=org.servants[key])


def approved_sheet(org: Org, cycle: EvaluationCycle, key: str = "head_d", drafter: str = "head_c",
                   approver: str = "head_b") -> KpiSheet:
    plan = plan_of(cycle, org, key)
    plan = services.save_plan(org.user(drafter), org.body, plan.pk, kpis=kpis(5, org.year),
                              expected_version=plan.version)
    plan = services.submit_plan(org.user(drafter), org.body, plan.pk, expected_version=plan.version)
    plan = services.approve_plan(org.user(approver), org.body, plan.pk, expected_version=plan.version)
    return KpiSheet.objects.get(plan=plan)


def results(achieved: int, total: int = 5, text: str = "Report No. 12") -> list[dict[str, Any]]:
    return [{"number": i, "achieved": i <= achieved, "evidence_text": text} for i in range(1, total + 1)]


# -- the HTTP side -----------------------------------------------------------------------------------

class Api:
    """A logged-in client speaking JSON, in English."""

    def __init__(self, user: Any, *, csrf: bool = False) -> None:
        self.user = user
        self.client = Client(enforce_csrf_checks=csrf, HTTP_ACCEPT_LANGUAGE="en")
        self.client.force_login(user)

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(path, params or {})

    def post(self, path: str, data: Any = None) -> Any:
        if data is None:
            return self.client.post(path)
        return self.client.post(path, json.dumps(data), content_type="application/json")

    def put(self, path: str, data: Any) -> Any:
        return self.client.put(path, json.dumps(data), content_type="application/json")

    def delete(self, path: str, params: dict[str, Any] | None = None) -> Any:
        query = "&".join(f"{k}={v}" for k, v in (params or {}).items())
        return self.client.delete(f"{path}?{query}" if query else path)

    def upload(self, sheet_id: int, *, name: str, data: bytes, number: Any, expected_version: Any) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile(name, data, content_type="application/pdf")
        return self.client.post(f"/api/cycles/sheets/{sheet_id}/evidence",
                                {"file": upload, "number": number, "expected_version": expected_version})

    def inbox(self) -> list[dict[str, Any]]:
        r = self.get("/api/inbox", {"limit": 200})
        assert r.status_code == 200, r.content
        return r.json()["items"]

    def has_item(self, action: str, object_id: int) -> bool:
        return any(i["action"] == action and i["object_id"] == str(object_id) for i in self.inbox())


def fields(response: Any) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def messages(response: Any) -> str:
    data = response.json()
    return " ".join([data["detail"], *(e["message"] for e in data["errors"])])
