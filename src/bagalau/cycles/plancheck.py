"""The plan check shared by the services (refuse a submit) and the selectors (show what blocks it):
the core's `kpi.validate_plan` under the cycle's pinned version, its problems turned into form errors
("kpis" for the count, "kpis-3-deadline" for a field of the third KPI), each naming its clause.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from bagalau.cycles.content import KPI_FIELDS
from bagalau.cycles.errors import run_core
from bagalau.cycles.models import EvaluationCycle, IndividualWorkPlan, Kpi
from bagalau.methodology import kpi as kpi_rules
from bagalau.methodology.decision import Problem
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version


def version_of(cycle: EvaluationCycle) -> MethodologyVersion:
    """The version the cycle was pinned to at launch."""
    return get_version(cycle.methodology_version)


def field_key(n: int, name: str) -> str:
    return f"kpis-{n}-{name}"


def _criterion_label(version: MethodologyVersion, code: str) -> str:
    """The SMART criterion's label from the version file, in the active language."""
    lang = (get_language() or "kk").split("-")[0]
    for criterion in version.param("kpi.smart_criteria").value:
        if f"smart_{criterion['code']}" == code:
            return criterion["label"].get(lang if lang in ("kk", "ru", "en") else "kk")
    return code


def problem_errors(version: MethodologyVersion, plan: IndividualWorkPlan, kpis: Sequence[Kpi],
                   problems: Sequence[Problem]) -> dict[str, str]:
    """The core's problems as form errors, worded here from the data (the core's own messages are
    English): "kpis[3].deadline" -> "kpis-3-deadline", each message naming its clause."""
    errors: dict[str, str] = {}
    for p in problems:
        key, n = p.field, None
        if key.startswith("kpis[") and "]." in key:
            number, name = key[len("kpis["):].split("].", 1)
            n = int(number)
            key = field_key(n, name)
        if p.code == "kpi_count":
            message = _("The plan must hold exactly %(count)s KPIs; it holds %(given)s (%(clause)s).") % {
                "count": version.param("kpi.count").value, "given": len(kpis), "clause": p.clause}
        elif n is not None and p.code == "smart_time_bound" and (deadline := kpis[n - 1].deadline) is not None:
            message = _("KPI %(n)s: the deadline %(deadline)s is outside the evaluated period %(start)s – %(end)s "
                        "(%(clause)s).") % {
                "n": n, "deadline": deadline.isoformat(), "clause": p.clause,
                "start": plan.cycle.period_start.isoformat(), "end": plan.cycle.period_end.isoformat()}
        elif n is not None:
            message = _("KPI %(n)s is not %(criterion)s: fill in this field (%(clause)s).") % {
                "n": n, "criterion": _criterion_label(version, p.code), "clause": p.clause}
        else:
            message = f"{p.message} ({p.clause})"
        errors.setdefault(key, message)
    return errors


def drafts_of(kpis: Sequence[Kpi]) -> list[kpi_rules.KpiDraft]:
    return [kpi_rules.KpiDraft(**{f: getattr(k, f) for f in KPI_FIELDS}) for k in kpis]


def check(version: MethodologyVersion, plan: IndividualWorkPlan, kpis: Sequence[Kpi], on: dt.date) -> dict[str, str]:
    """The plan's problems under its cycle's version on `on` (empty when it may be submitted)."""
    decision = run_core(kpi_rules.validate_plan, version, drafts_of(kpis), plan.cycle.period_start,
                        plan.cycle.period_end, on=on, field="kpis")
    return problem_errors(version, plan, kpis, decision.problems)


