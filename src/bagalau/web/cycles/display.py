"""Words for the codes the cycle pages show, in the active language.

Legal labels come from the methodology version (a deadline's name and its anchor, a rating's
wording); only the sentence around them and the codes the version does not label (stages, methods,
return grounds) are gettext strings here. Nothing in this module reads the database.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from bagalau.cycles import workflow
from bagalau.cycles.access import ROLE_LABELS
from bagalau.cycles.models import Participation, PlanState, ReviewerKind, SheetState, Track
from bagalau.methodology import kpi as kpi_rules
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import LANGUAGES, MethodologyVersion
from bagalau.methodology.versions import get_version


def lang() -> str:
    current = (get_language() or "kk").split("-")[0]
    return current if current in LANGUAGES else "kk"


def pick(kk: str, ru: str) -> str:
    """The Russian value under ru, the Kazakh one otherwise, each falling back to the other."""
    return (ru or kk) if lang() == "ru" else (kk or ru)


def version_or_none(version_id: str) -> MethodologyVersion | None:
    if not version_id:
        return None
    try:
        return get_version(version_id)
    except (MethodologyError, KeyError, LookupError):
        return None


# -- due dates -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DueInfo:
    """A due date with the rule it came from, for the `due` template tag: "due 19.01.2026 — KPIs set: within
    10 working days after “start of the KPI evaluation period” (G23-kpi-setting)"."""

    on: dt.date | None
    label: str = ""
    rule_text: str = ""
    clause: str = ""
    overdue: bool = False
    lines: list[str] = field(default_factory=list)  # the day-by-day explanation, when stored


def _localized(value: Any, language: str) -> str:
    if isinstance(value, Mapping):
        return str(value.get(language) or value.get("ru") or value.get("kk") or "")
    if hasattr(value, "get") and hasattr(value, "as_dict"):
        return str(value.get(language))
    return str(value or "")


def rule_sentence(details: Mapping[str, Any], language: str) -> str:
    """The rule of a deadline in words, from the version's parameter (or the stored decision)."""
    anchor = _localized(details.get("anchor_label") or details.get("anchor"), language)
    unit, direction, amount = details.get("unit"), details.get("direction"), details.get("amount")
    if unit == "working_days" and isinstance(amount, int):
        if direction == "before":
            return ngettext("at least %(n)s working day before “%(anchor)s”",
                            "at least %(n)s working days before “%(anchor)s”", amount) % {"n": amount, "anchor": anchor}
        return ngettext("within %(n)s working day after “%(anchor)s”",
                        "within %(n)s working days after “%(anchor)s”", amount) % {"n": amount, "anchor": anchor}
    if unit == "calendar_days" and isinstance(amount, int):
        if direction == "before":
            return ngettext("%(n)s calendar day before “%(anchor)s”",
                            "%(n)s calendar days before “%(anchor)s”", amount) % {"n": amount, "anchor": anchor}
        return ngettext("%(n)s calendar day after “%(anchor)s”",
                        "%(n)s calendar days after “%(anchor)s”", amount) % {"n": amount, "anchor": anchor}
    if unit == "calendar_date":
        return _("by day %(day)s of month %(month)s after “%(anchor)s”") % {
            "day": details.get("day"), "month": details.get("month_offset"), "anchor": anchor}
    return anchor


def _param_details(version: MethodologyVersion | None, rule: str) -> dict[str, Any] | None:
    if version is None or not rule:
        return None
    try:
        param = version.param(f"deadlines.{rule}")
    except MethodologyError:
        return None
    value = param.value or {}
    return {"label": param.label.as_dict() if param.label else None, "anchor_label": value.get("anchor"),
            **{k: value.get(k) for k in ("unit", "amount", "direction", "month_offset", "day")}}


def due_info(on: dt.date | None, rule: str, clause: str, *, today: dt.date,
             explanation: Mapping[str, Any] | None = None, version: MethodologyVersion | None = None) -> DueInfo:
    """The due date of a step, worded from its stored explanation or, failing that, from the
    version's deadline parameter."""
    if on is None:
        return DueInfo(None)
    language = lang()
    details: Mapping[str, Any] | None = None
    lines: list[str] = []
    if explanation:
        details = (explanation.get("decision") or {}).get("details")
        lines = list((explanation.get("lines") or {}).get(language) or [])
        if version is None and details is None:
            version = version_or_none((explanation.get("decision") or {}).get("version", ""))
    if not details:
        details = _param_details(version, rule)
    label = _localized(details.get("label"), language) if details and details.get("label") else rule
    sentence = rule_sentence(details, language) if details else ""
    return DueInfo(on=on, label=label, rule_text=sentence, clause=clause, overdue=on < today, lines=lines)


def doc_due(doc: Any, *, today: dt.date, version: MethodologyVersion | None = None) -> DueInfo:
    """The due date of the step a plan or sheet is in."""
    return due_info(doc.due_on, doc.due_rule, doc.due_clause, today=today, explanation=doc.due_explanation or None,
                    version=version)


# -- stages and states -----------------------------------------------------------------------------

PLAN_PREFIX = pgettext_lazy("board stage", "Plan")
SHEET_PREFIX = pgettext_lazy("board stage", "Sheet")

TRACK_STAGES = {"excluded": Track.EXCLUDED, "other_methods": Track.OTHER_METHODS, "blocked": Track.BLOCKED}


def stage_label(stage: str) -> str:
    return _stage_label(stage, get_language() or "")


@functools.lru_cache(maxsize=512)
def _stage_label(stage: str, language: str) -> str:
    """The label in `language` (the active one when called): a board names every stage in its filter
    and its tabs and on each row, and the catalogs do not change while the process runs."""
    if stage in TRACK_STAGES:
        return str(TRACK_STAGES[stage].label)
    if stage.startswith("plan_") and stage[5:] in PlanState.values:
        return f"{PLAN_PREFIX}: {PlanState(stage[5:]).label}"
    if stage.startswith("sheet_") and stage[6:] in SheetState.values:
        return f"{SHEET_PREFIX}: {SheetState(stage[6:]).label}"
    return stage


def stage_tone(stage: str) -> str:
    """A CSS tone for the stage badge: muted, progress, review, returned, done."""
    if stage in TRACK_STAGES:
        return "warn" if stage == "blocked" else "muted"
    if stage.endswith("_returned"):
        return "returned"
    if stage in ("plan_submitted", "sheet_under_review", "sheet_agreed"):
        return "review"
    if stage == "sheet_submitted_to_commission":
        return "done"
    return "progress"


def state_label(doc_type: str, state: str) -> str:
    choices = PlanState if doc_type == workflow.PLAN else SheetState
    return str(choices(state).label) if state in choices.values else state


def state_tone(doc_type: str, state: str) -> str:
    return stage_tone(f"{doc_type}_{state}")


# -- launch decisions ------------------------------------------------------------------------------

METHOD_LABELS = {
    "kpi": gettext_lazy("KPI achievement"),
    "ranking": gettext_lazy("Ranking"),
    "method_360": gettext_lazy("360-degree method"),
}

EXCLUSION_LABELS = {
    "less_than_min_time_in_position": gettext_lazy("less than the minimum time in the position"),
}

ABSENCE_LABELS = {
    "annual_leave": gettext_lazy("annual leave"),
    "social_leave": gettext_lazy("social leave"),
    "temporary_incapacity": gettext_lazy("temporary incapacity for work"),
    "business_trip": gettext_lazy("business trip"),
    "professional_development": gettext_lazy("professional development"),
    "internship": gettext_lazy("internship"),
    "retraining": gettext_lazy("retraining"),
}

GROUND_LABELS = {
    "insufficient_evidence": gettext_lazy("Insufficient evidence"),
    "unreliable_evidence": gettext_lazy("Unreliable evidence"),
}

SIGNATURE_ACTIONS = {
    "submit": gettext_lazy("signed and submitted for approval"),
    "approve": gettext_lazy("approved"),
    "sign": gettext_lazy("signed and sent for review"),
    "agree": gettext_lazy("agreed"),
}


def labels(codes: Iterable[str], table: Mapping[str, Any]) -> list[str]:
    return [str(table.get(c, c)) for c in codes]


def reviewer_kind_label(kind: str) -> str:
    return str(ReviewerKind(kind).label) if kind in ReviewerKind.values else kind


def workflow_role_label(role: str) -> str:
    return _(ROLE_LABELS[role]) if role in ROLE_LABELS else role


# -- documents -------------------------------------------------------------------------------------

def kpi_wording(kpi: Any) -> str:
    """The KPI's wording in the active language, else in the other official one."""
    return pick(kpi.text_kk, kpi.text_ru)


@dataclass(frozen=True)
class RatingInfo:
    code: str
    label: str
    clause: str
    achieved: int | None
    total: int
    verified: bool
    preview: bool = False
    problem: str = ""
    filled: int = 0  # KPIs with a result so far

    @property
    def complete(self) -> bool:
        return bool(self.code)


def rating_label(version: MethodologyVersion | None, code: str, decision: Mapping[str, Any] | None = None) -> str:
    language = lang()
    if decision:
        label = (decision.get("details") or {}).get("label")
        if label:
            return _localized(label, language)
    if version is not None and code:
        try:
            return version.param("rating_labels").value[code].get(language)
        except (MethodologyError, KeyError):
            pass
    return code


@dataclass(frozen=True)
class ParticipantFacts:
    """The head of a plan or sheet page: whose document, in which cycle, who acts on it."""

    name: str
    position: str
    unit: str
    category: str
    cycle_label: str
    period_start: dt.date
    period_end: dt.date
    version_id: str
    version_title: str
    direct_manager: str
    reviewer: str
    reviewer_kind: str
    reviewer_clause: str
    first_head_is_direct: bool
    participation: str
    participation_clause: str


def participant_facts(participant: Any, cycle: Any, doc_type: str, version: MethodologyVersion | None
                      ) -> ParticipantFacts:
    language = lang()
    if doc_type == workflow.PLAN:
        kind, clause = participant.plan_approver_kind, participant.plan_approver_clause
    else:
        kind, clause = participant.sheet_reviewer_kind, participant.sheet_reviewer_clause
    reviewer = participant.first_head_name if kind == ReviewerKind.FIRST_HEAD else participant.superior_manager_name
    return ParticipantFacts(
        name=participant.servant_name,
        position=pick(participant.position_title_kk, participant.position_title_ru),
        unit=pick(participant.unit_name_kk, participant.unit_name_ru),
        category=participant.category, cycle_label=cycle.label, period_start=cycle.period_start,
        period_end=cycle.period_end, version_id=cycle.methodology_version,
        version_title=version.title.get(language) if version else "",
        direct_manager=participant.direct_manager_name, reviewer=reviewer,
        reviewer_kind=reviewer_kind_label(kind) if kind else "", reviewer_clause=clause,
        first_head_is_direct=participant.first_head_is_direct,
        participation=str(Participation(participant.participation).label) if participant.participation else "",
        participation_clause=participant.participation_clause,
    )


@dataclass(frozen=True)
class SignatureView:
    name: str
    role: str
    action: str
    signed_at: dt.datetime
    method: str
    valid: bool


def signature_views(statuses: Iterable[Any]) -> list[SignatureView]:
    return [SignatureView(name=s.signature.signer_name, role=workflow_role_label(s.signature.role),
                          action=str(SIGNATURE_ACTIONS.get(s.signature.action, s.signature.action)),
                          signed_at=s.signature.signed_at, method=s.signature.get_method_display(), valid=s.valid)
            for s in statuses]


def stored_rating(sheet: Any, outcomes: list[Any], version: MethodologyVersion | None) -> RatingInfo:
    """The rating the core derived at the last save, as stored on the sheet."""
    return RatingInfo(code=sheet.rating, label=rating_label(version, sheet.rating, sheet.rating_decision),
                      clause=sheet.rating_clause or grading_clause(version),
                      achieved=sheet.achieved_count if sheet.rating else sum(1 for o in outcomes if o.achieved),
                      total=len(outcomes), verified=sheet.rating_verified,
                      filled=sum(1 for o in outcomes if o.achieved is not None))


def grading_clause(version: MethodologyVersion | None) -> str:
    if version is None:
        return ""
    try:
        return version.param("kpi.grading").clause
    except MethodologyError:
        return ""


def previewed_rating(version: MethodologyVersion | None, planned: list[int], choices: list[bool | None],
                     on: dt.date) -> RatingInfo:
    """The rating the core would derive from the choices on the form (nothing is stored): each KPI
    achieved means every indicator met, not achieved none (S1-p.50)."""
    total = len(planned)
    clause = grading_clause(version)
    filled = [c for c in choices if c is not None]
    if version is None:
        return RatingInfo("", "", clause, None, total, False, preview=True, filled=len(filled))
    if len(filled) < total:
        return RatingInfo("", "", clause, sum(filled), total, False, preview=True, filled=len(filled))
    results = [kpi_rules.KpiResult(p if c else 0, p) for p, c in zip(planned, choices, strict=True)]
    try:
        decision = kpi_rules.grade_results(version, results, on=on)
    except MethodologyError as exc:
        return RatingInfo("", "", clause, sum(filled), total, False, preview=True, problem=str(exc),
                          filled=len(filled))
    return RatingInfo(code=decision.value, label=rating_label(version, decision.value, decision.as_dict()),
                      clause=decision.clause, achieved=decision.details.get("achieved"), total=total,
                      verified=decision.verified, preview=True, filled=total)
