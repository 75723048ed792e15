"""Reads of the 360 survey. None of them returns a response row or anything keyed by one: the only
way answers leave the database is the result frozen at closing (aggregates by competency, and by
role only when every role group reached the threshold), and only when the survey is closed.

Every read filters by the body, so another body's survey is simply not found (404).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.assessments.survey360 import access, rules
from bagalau.assessments.survey360.models import (
    AssignmentState,
    RaterAssignment,
    RaterRole,
    Survey360,
    SurveyState,
)
from bagalau.cycles import clock
from bagalau.cycles.access import servant_id_of
from bagalau.cycles.errors import run_core
from bagalau.methodology import survey360 as core
from bagalau.methodology import uses
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.parameters import PURPOSES
from bagalau.orgs.models import Servant, StateBody
from bagalau.orgs.reporting import OrgSnapshot

NOT_ENOUGH = core.INSUFFICIENT


def surveys(user: Any, body: StateBody) -> QuerySet[Survey360]:
    """The body's surveys with their rater counts (one query, whatever their number), for HR, the
    administrator and the auditor (PermissionDenied for anyone else)."""
    access.require_reader(user, body)
    return (Survey360.objects.filter(body=body)
            .annotate(raters=Count("assignments", filter=~Q(assignments__state=AssignmentState.WITHDRAWN)),
                      answered=Count("assignments", filter=Q(assignments__state=AssignmentState.COMPLETED)))
            .order_by("-snapshot_on", "servant_name", "pk"))


def survey(user: Any, body: StateBody, survey_id: int) -> Survey360:
    """One survey for its readers (PermissionDenied for anyone else; 404 for another body's id)."""
    found = surveys(user, body).filter(pk=survey_id).first()
    if found is None:
        raise Http404(_("No such 360 survey in this state body."))
    return found


def assignments(found: Survey360) -> list[RaterAssignment]:
    return list(found.assignments.exclude(state=AssignmentState.WITHDRAWN).order_by("role", "rater_name", "pk"))


@dataclass(frozen=True)
class Suggestion:
    servant_id: int
    name: str
    role: str
    has_login: bool


def suggestions(found: Survey360) -> list[Suggestion]:
    """Raters the org snapshot suggests: the direct manager, the colleagues who share the direct
    manager, and the subordinates (only roles the version lets rate this group), minus those
    already assigned. HR may assign other colleagues too."""
    version = rules.version_of(found)
    allowed = set(version.value("survey360")["rater_roles"][found.group])
    snap = OrgSnapshot(found.body, found.snapshot_on)
    taken = set(found.assignments.exclude(state=AssignmentState.WITHDRAWN).values_list("rater_id", flat=True))
    out: list[Suggestion] = []

    def add(s: Servant | None, role: str) -> None:
        if s is None or s.pk == found.servant_id or s.pk in taken or role not in allowed:
            return
        if any(x.servant_id == s.pk for x in out):
            return
        out.append(Suggestion(s.pk, s.full_name, role, s.user_id is not None))

    add(found.direct_manager, RaterRole.DIRECT_MANAGER)
    for sid in found.subordinate_ids:
        add(snap.servants.get(sid), RaterRole.SUBORDINATE)
    if found.direct_manager_id:
        for s in sorted(snap.servants.values(), key=lambda x: x.full_name):
            line_manager = snap.line(s).direct_manager
            if line_manager is not None and line_manager.pk == found.direct_manager_id:
                add(s, RaterRole.PEER)
    return out


def candidates(found: Survey360) -> list[dict[str, Any]]:
    """Every servant of the body holding a post on the snapshot day, with the role they would rate
    in (for HR's choice beyond the suggestions)."""
    from bagalau.assessments.survey360.services import relation_of

    snap = OrgSnapshot(found.body, found.snapshot_on)
    return [{"id": s.pk, "name": s.full_name, "role": relation_of(found, s.pk), "has_login": s.user_id is not None}
            for s in sorted(snap.servants.values(), key=lambda x: x.full_name) if s.pk != found.servant_id]


def rater_check(found: Survey360) -> Any:
    """The core's check of the current raters against the version's rules (shown before sending)."""
    counts: dict[str, int] = {}
    for role in found.assignments.exclude(state=AssignmentState.WITHDRAWN).values_list("role", flat=True):
        counts[role] = counts.get(role, 0) + 1
    return run_core(core.check_raters, rules.version_of(found), found.is_head_of_unit, counts, clock.today(),
                    field="raters")


# -- raters' questionnaires ---------------------------------------------------------------------------

def my_questionnaires(user: Any, body: StateBody) -> list[RaterAssignment]:
    """The questionnaires sent to the user (open surveys first, then answered ones), one query."""
    sid = servant_id_of(user, body)
    if sid is None:
        return []
    return list(RaterAssignment.objects.filter(body=body, rater_id=sid)
                .exclude(state=AssignmentState.WITHDRAWN)
                .exclude(survey__state__in=[SurveyState.DRAFT, SurveyState.CANCELLED])
                .select_related("survey").order_by("state", "survey__due_on", "survey__servant_name", "pk"))


def my_reports(user: Any, body: StateBody) -> list[Survey360]:
    """The surveys of which the user is the servant evaluated (their reports), one query."""
    sid = servant_id_of(user, body)
    if sid is None:
        return []
    return list(Survey360.objects.filter(body=body, servant_id=sid).exclude(state=SurveyState.CANCELLED)
                .order_by("-snapshot_on", "-pk"))


def my_assignment(user: Any, body: StateBody, assignment_id: int) -> RaterAssignment:
    found = (RaterAssignment.objects.filter(body=body, pk=assignment_id).select_related("survey", "survey__body")
             .exclude(survey__state__in=[SurveyState.DRAFT, SurveyState.CANCELLED]).first())
    if found is None:
        raise Http404(_("No such questionnaire in this state body."))
    access.require_rater(user, body, found)
    return found


def questionnaire_of(found: Survey360) -> Any:
    """The core's questionnaire for the survey's group, from the version's (or the body's) matrix."""
    return run_core(core.questionnaire, rules.version_of(found), found.is_head_of_unit, found.snapshot_on,
                    field="methodology_version")


# -- the report ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Report:
    survey: Survey360
    status: str  # "OPEN" (nothing yet), NOT_ENOUGH, or "SCORED"
    answered: int
    min_responses: int | None
    index: float | None = None
    competencies: list[dict[str, Any]] = field(default_factory=list)
    by_role: dict[str, Any] | None = None
    training_needs: list[str] = field(default_factory=list)
    clause: str = ""
    clauses: tuple[str, ...] = ()
    verified: bool = False
    warnings: tuple[str, ...] = ()
    uses: dict[str, Any] = field(default_factory=dict)

    @property
    def shown(self) -> bool:
        return self.status == "SCORED"


def _uses(found: Survey360) -> dict[str, Any]:
    """What the result may be used for. A version that does not say (Kentau's uses clause was not
    retrieved) allows nothing: the refusal fails closed."""
    version = rules.version_of(found)
    try:
        decisions = {p: uses.may_use(version, "method_360", p, found.snapshot_on) for p in PURPOSES}
    except MethodologyError:
        return {"allowed": [], "refused": list(PURPOSES),
                "clause": version.param("result_uses.method_360").clause, "unset": True}
    any_decision = next(iter(decisions.values()))
    return {"allowed": [p for p, d in decisions.items() if d.value],
            "refused": [p for p, d in decisions.items() if not d.value], "clause": any_decision.clause,
            "unset": False}


def report(user: Any, body: StateBody, survey_id: int) -> Report:
    """The report of one survey for its servant or HR. Until the survey is closed it says only how
    many questionnaires were answered; below the threshold it says "not enough responses" and has
    no number at all; otherwise the frozen aggregates with the indicators behind each competency."""
    found = Survey360.objects.filter(body=body, pk=survey_id).select_related("body").first()
    if found is None:
        raise Http404(_("No such 360 survey in this state body."))
    access.require_report_reader(user, body, found)
    answered = found.assignments.filter(state=AssignmentState.COMPLETED).count()
    if found.state != SurveyState.CLOSED:
        return Report(found, "OPEN", answered, None, uses=_uses(found))
    result = found.result or {}
    details = result.get("details", {})
    common = {"clause": result.get("clause", ""), "clauses": tuple(result.get("clauses", ())),
              "verified": bool(result.get("verified")), "uses": _uses(found)}
    if details.get("status") != "SCORED":
        return Report(found, NOT_ENOUGH, found.responses_count or 0, details.get("min_responses"), **common)
    content = questionnaire_of(found)
    names = {c["id"]: c for c in content.value}
    scores = details.get("competencies", {})
    comps = [{"id": cid, "name": names[cid]["name"], "score": scores[cid],
              "indicators": names[cid]["indicators"], "training_need": cid in details.get("training_needs", [])}
             for cid in names if cid in scores]
    return Report(found, "SCORED", found.responses_count or 0, None, index=result.get("value"),
                  competencies=comps, by_role=details.get("by_role"),
                  training_needs=list(details.get("training_needs", [])),
                  warnings=tuple(result.get("warnings", ())), **common)
