"""Walking documents through the services, for tests that need a plan or a sheet in some state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bagalau.cycles import services
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, KpiSheet, PeriodKind
from tests.cycles.builders import Org, kpis

D = dt.date


def launch(org: Org, hr: Any, clock: Any, *, year: int = 2024, on: dt.date | None = None, **period: Any
           ) -> EvaluationCycle:
    clock.day = on or D(year, 1, 10)
    if period:
        cycle = services.create_cycle(hr, org.body, kind=PeriodKind.TRANSITIONAL, **period)
    else:
        cycle = services.create_cycle(hr, org.body, kind=PeriodKind.YEAR, year=year)
    return services.launch_cycle(hr, org.body, cycle.pk)


def plan_of(cycle: EvaluationCycle, org: Org, key: str) -> IndividualWorkPlan:
    return IndividualWorkPlan.objects.get(cycle=cycle, participant__servant=org.servants[key])


def fresh(doc: Any) -> Any:
    return type(doc).objects.get(pk=doc.pk)


def submitted_plan(org: Org, cycle: EvaluationCycle, key: str, drafter: str, **kw: Any) -> IndividualWorkPlan:
    plan = plan_of(cycle, org, key)
    plan = services.save_plan(org.user(drafter), org.body, plan.pk, kpis=kw.get("kpis", kpis()),
                              expected_version=plan.version)
    return services.submit_plan(org.user(drafter), org.body, plan.pk, expected_version=plan.version)


def approved_plan(org: Org, cycle: EvaluationCycle, key: str, drafter: str, approver: str) -> IndividualWorkPlan:
    plan = submitted_plan(org, cycle, key, drafter)
    return services.approve_plan(org.user(approver), org.body, plan.pk, expected_version=plan.version)


def sheet_of(plan: IndividualWorkPlan) -> KpiSheet:
    return KpiSheet.objects.get(plan=plan)


def results(achieved: int, total: int = 5, text: str = "Report No. 12 of 20.12.2024") -> list[dict[str, Any]]:
    return [{"number": i, "achieved": i <= achieved, "evidence_text": text} for i in range(1, total + 1)]


def filled_sheet(org: Org, plan: IndividualWorkPlan, drafter: str, achieved: int = 4) -> KpiSheet:
    sheet = sheet_of(plan)
    return services.save_sheet(org.user(drafter), org.body, sheet.pk, results=results(achieved),
                               expected_version=sheet.version)


def signed_sheet(org: Org, plan: IndividualWorkPlan, drafter: str, achieved: int = 4) -> KpiSheet:
    sheet = filled_sheet(org, plan, drafter, achieved)
    return services.sign_sheet(org.user(drafter), org.body, sheet.pk, expected_version=sheet.version)
