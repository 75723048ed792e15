"""KPIs (НМИ / КЦИ): the plan check and the grade (spec 5.1).

Two rules developers get wrong (spec 17, rule 1): the rating is a *count* of KPIs achieved, not a
percentage, and a KPI met at 90 % counts as not achieved, because achievement means every
indicator the plan sets for it is fully met (S1-p.50, last paragraph). The plan must hold exactly
the version's KPI count (5 in S1-p.48), each KPI meeting the SMART requirements (S1-p.47).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import problem, use


@dataclass(frozen=True)
class KpiDraft:
    """One KPI of an individual work plan as the direct manager drafts it (spec 5.1 data model)."""

    text_kk: str = ""
    text_ru: str = ""
    expected_change: str = ""
    measure: str = ""
    target: str = ""
    unit: str = ""
    resources_note: str = ""
    deadline: dt.date | None = None
    strategic_goal_ref: str = ""

    def filled(self, field: str) -> bool:
        if field == "text":  # the wording may be in either official language
            return bool(self.text_kk.strip() or self.text_ru.strip())
        value = getattr(self, field)
        return value is not None and (not isinstance(value, str) or bool(value.strip()))


@dataclass(frozen=True)
class KpiResult:
    """How many of the indicators the plan set for one KPI were fully met."""

    indicators_met: int
    indicators_planned: int

    def __post_init__(self) -> None:
        if self.indicators_planned < 1:
            raise InvalidInput("indicators_planned", "a KPI has at least one indicator")
        if not 0 <= self.indicators_met <= self.indicators_planned:
            raise InvalidInput(
                "indicators_met", f"must be 0..{self.indicators_planned}, got {self.indicators_met}"
            )


def validate_plan(
    version: MethodologyVersion,
    kpis: Sequence[KpiDraft],
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    on: dt.date | None = None,
) -> Decision:
    """VALID or INVALID with one Problem per failing field; the count comes first."""
    used = use(version, on)
    count_param = used.param("kpi.count")
    criteria = used("kpi.smart_criteria")
    problems: list[Problem] = []
    if len(kpis) != count_param.value:
        problems.append(problem(
            "kpis", "kpi_count",
            f"the plan must hold exactly {count_param.value} KPIs, it holds {len(kpis)}",
            count_param.clause,
        ))
    smart_clause = version.param("kpi.smart_criteria").clause
    for i, kpi in enumerate(kpis, start=1):
        for criterion in criteria:
            for field in criterion["fields"]:
                if not kpi.filled(field):
                    problems.append(problem(
                        f"kpis[{i}].{field}", f"smart_{criterion['code']}",
                        f"KPI {i} is not {criterion['label'].en}: {field} is empty", smart_clause,
                    ))
        if kpi.deadline and period_start and period_end and not period_start <= kpi.deadline <= period_end:
            problems.append(problem(
                f"kpis[{i}].deadline", "smart_time_bound",
                f"KPI {i} deadline {kpi.deadline} is outside the evaluated period "
                f"{period_start}..{period_end}", smart_clause,
            ))
    primary = count_param.clause if not problems or problems[0].code == "kpi_count" else smart_clause
    return used.decide(
        "VALID" if not problems else "INVALID", primary,
        problems=tuple(problems), inputs={"kpis": len(kpis)},
    )


def is_achieved(version: MethodologyVersion, result: KpiResult, on: dt.date | None = None) -> Decision:
    """True only if every indicator of the KPI was fully met, unless the version counts partial."""
    used = use(version, on)
    partial_counts = used("kpi.partial_counts_as_achieved")
    full = result.indicators_met == result.indicators_planned
    achieved = full or (partial_counts and result.indicators_met > 0)
    return used.decide(achieved, inputs={"met": result.indicators_met, "planned": result.indicators_planned})


def grade(version: MethodologyVersion, achieved: int, total: int | None = None,
          on: dt.date | None = None) -> Decision:
    """The rating for `achieved` KPIs out of the plan's `total` (which must equal kpi.count)."""
    used = use(version, on)
    table = used("kpi.grading")
    count_param = used.param("kpi.count")
    labels = used("rating_labels")
    total = count_param.value if total is None else total
    if total != count_param.value:
        raise InvalidInput(
            "total", f"version {version.id} requires exactly {count_param.value} KPIs "
                     f"({count_param.clause}), got {total}",
        )
    if isinstance(achieved, bool) or not isinstance(achieved, int) or not 0 <= achieved <= total:
        raise InvalidInput("achieved", f"must be a whole number 0..{total}, got {achieved!r}")
    row = next(r for r in table if r["min"] <= achieved <= r["max"])  # total by load-time check
    grading_clause = version.param("kpi.grading").clause
    return used.decide(
        row["rating"], grading_clause,
        inputs={"achieved": achieved, "total": total},
        details={"label": labels[row["rating"]].as_dict(), "row": dict(row)},
    )


def grade_results(version: MethodologyVersion, results: Sequence[KpiResult],
                  on: dt.date | None = None) -> Decision:
    """Grade a whole sheet: count the KPIs achieved (partial = not achieved), then `grade`."""
    achieved = sum(bool(is_achieved(version, r, on).value) for r in results)
    decision = grade(version, achieved, len(results), on)
    partial = [i for i, r in enumerate(results, start=1) if 0 < r.indicators_met < r.indicators_planned]
    warnings = tuple(f"KPI {i} was partly met and counts as not achieved" for i in partial)
    return Decision(
        value=decision.value, clause=decision.clause, clauses=decision.clauses,
        version_id=decision.version_id, verified=decision.verified,
        inputs={**decision.inputs, "results": [(r.indicators_met, r.indicators_planned) for r in results]},
        details={**decision.details, "achieved": achieved}, warnings=warnings,
    )
