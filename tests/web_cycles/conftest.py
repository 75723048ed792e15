"""Fixtures for the KPI workflow pages: a small body with a reporting chain and a login per person,
a launched yearly cycle, a controllable "today", media in a temporary directory, and the compiled
translation catalogs.

    01    chairman  first head and authorized person (head of the leadership unit)
    02    head_b    head of a top unit: his direct manager is the first head (S1-p.46 case)
    02-1  head_c    head of a sub-unit of 02: drafted by head_b, approved by the chairman
    02    spec      a specialist (ranking only under typical-g2023: no plan)

The documents are walked through the services (`walk_*`), as the pages' users would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.management import call_command

from bagalau.cycles import services
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet, PeriodKind
from bagalau.lawbook.models import MethodologyAdoption
from bagalau.orgs.models import Role, StateBody
from tests import factories
from tests.clock import install_fake_clock

LOCALE = Path(__file__).resolve().parents[2] / "locale"
D = dt.date


@pytest.fixture(scope="session", autouse=True)
def webcycles_catalogs():
    stale = any(not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
                for po in LOCALE.glob("*/LC_MESSAGES/django.po"))
    if stale:
        call_command("compilemessages", locale=["kk", "ru"], verbosity=0, ignore_patterns=[".venv/*", ".tools/*"])
        from django.utils.translation import trans_real

        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def clock(monkeypatch):
    return install_fake_clock(monkeypatch, D(2024, 1, 10))


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build(body: StateBody, prefix: str) -> SimpleNamespace:
    """The chain of the module docstring in `body`, with logins named `<prefix>_<key>`."""
    u01, u02 = factories.unit(body, "01"), factories.unit(body, "02")
    u021 = factories.unit(body, "02-1", parent=u02)
    positions = {
        "chairman": factories.position(u01, "01-01", head=True, category="E-1"),
        "head_b": factories.position(u02, "02-01", head=True, category="E-2"),
        "spec": factories.position(u02, "02-02", category="E-4"),
        "head_c": factories.position(u021, "02-1-01", head=True, category="E-3"),
    }
    servants, users = {}, {}
    for key, position in positions.items():
        s = factories.servant(body, last_name=key.replace("_", "").capitalize())
        factories.appoint(s, position, D(2015, 1, 1))
        users[key] = factories.user(f"{prefix}_{key}")
        s.user = users[key]
        s.save(update_fields=["user"])
        servants[key] = s
    body.first_head = body.authorized_person = servants["chairman"]
    body.save(update_fields=["first_head", "authorized_person"])
    MethodologyAdoption.objects.create(body=body, version_id="typical-g2023", valid_from=D(2023, 9, 1))
    hr = factories.user(f"{prefix}_hr")
    factories.grant(hr, body, Role.HR)
    auditor = factories.user(f"{prefix}_auditor")
    factories.grant(auditor, body, Role.AUDITOR)
    return SimpleNamespace(body=body, servants=servants, users=users, hr=hr, auditor=auditor,
                           units={"01": u01, "02": u02, "02-1": u021})


def launch(world: SimpleNamespace, year: int = 2024) -> EvaluationCycle:
    cycle = services.create_cycle(world.hr, world.body, kind=PeriodKind.YEAR, year=year)
    return services.launch_cycle(world.hr, world.body, cycle.pk)


@pytest.fixture
def world(db, clock) -> SimpleNamespace:
    w = build(factories.body("Аудандық мәслихат аппараты"), "w")
    w.cycle = launch(w)
    w.plan = IndividualWorkPlan.objects.get(cycle=w.cycle, participant__servant=w.servants["head_c"])
    return w


@pytest.fixture
def foreign(db, clock) -> SimpleNamespace:
    """Another body with its own launched cycle, an approved plan and its sheet."""
    f = build(factories.body("Басқа орган"), "f")
    f.cycle = launch(f)
    f.plan = IndividualWorkPlan.objects.get(cycle=f.cycle, participant__servant=f.servants["head_c"])
    f.plan = approve(f, walk_submit(f, f.plan))
    f.sheet = KpiSheet.objects.get(plan=f.plan)
    return f


VALID_KPI = {
    "text_kk": "Азаматтардың өтініштерін уақтылы қарау",
    "text_ru": "Своевременное рассмотрение обращений граждан",
    "expected_change": "Мерзімі өткен өтініштер азаяды",
    "measure": "Мерзімінде жауап берілген өтініштердің үлесі",
    "target": "100",
    "unit": "%",
    "resources_note": "Екі маман, e-Otinish жүйесі",
    "strategic_goal_ref": "Стратегиялық жоспар 2024–2028, 2-мақсат",
}


def kpi_rows(n: int = 5, deadline: str = "2024-12-01") -> list[dict[str, Any]]:
    return [{**VALID_KPI, "text_ru": f"{VALID_KPI['text_ru']} {i}", "deadline": deadline} for i in range(1, n + 1)]


def plan_post(rows: list[dict[str, Any]], version: int, intent: str = "save") -> dict[str, Any]:
    """The plan form as the browser posts it: five rows, the blank ones empty."""
    data: dict[str, Any] = {"version": str(version), "intent": intent}
    for n in range(1, max(5, len(rows)) + 1):
        row = rows[n - 1] if n <= len(rows) else {}
        for name in ("text_kk", "text_ru", "expected_change", "measure", "target", "unit", "resources_note",
                     "deadline", "strategic_goal_ref"):
            data[f"kpis-{n}-{name}"] = str(row.get(name, ""))
    return data


def walk_submit(w: SimpleNamespace, plan: IndividualWorkPlan) -> IndividualWorkPlan:
    drafter = w.users["head_b"]
    plan = services.save_plan(drafter, w.body, plan.pk, kpis=kpi_rows(), expected_version=plan.version)
    return services.submit_plan(drafter, w.body, plan.pk, expected_version=plan.version)


def approve(w: SimpleNamespace, plan: IndividualWorkPlan) -> IndividualWorkPlan:
    return services.approve_plan(w.users["chairman"], w.body, plan.pk, expected_version=plan.version)


def walk_signed_sheet(w: SimpleNamespace, achieved: int = 4) -> KpiSheet:
    plan = approve(w, walk_submit(w, w.plan))
    sheet = KpiSheet.objects.get(plan=plan)
    drafter = w.users["head_b"]
    results = [{"number": i, "achieved": i <= achieved, "evidence_text": f"Есеп № {i}"} for i in range(1, 6)]
    sheet = services.save_sheet(drafter, w.body, sheet.pk, results=results, expected_version=sheet.version)
    return services.sign_sheet(drafter, w.body, sheet.pk, expected_version=sheet.version)
