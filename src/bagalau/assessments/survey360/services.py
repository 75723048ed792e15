"""Writes of the 360 survey. Each function: lock the row of this body (another body's id is simply
not found), check the actor's role, ask the workflow table, validate everything before writing,
write in one transaction with its audit event, and open or close the raters' work items with it.

What the audit trail keeps of a submission is who answered which survey, never the answers nor the
key of the stored response (models.py explains why the answers cannot be traced back to a rater).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.assessments.survey360 import access, rules, workflow
from bagalau.assessments.survey360.models import (
    AssignmentState,
    RaterAssignment,
    RaterRole,
    Response360,
    Survey360,
    SurveyState,
)
from bagalau.audit.services import record_event
from bagalau.cycles import clock
from bagalau.cycles.dues import Due, compute
from bagalau.cycles.errors import Conflict, run_core
from bagalau.inbox.models import ItemState
from bagalau.inbox.services import close_items, open_item
from bagalau.methodology import survey360 as core
from bagalau.methodology import uses
from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.parameters import PURPOSES
from bagalau.orgs.models import Servant, StateBody
from bagalau.orgs.reporting import OrgSnapshot

RESPONSE_DUE = "survey360_response_due"
INBOX_ACTION = "survey360.answer"
TITLE = gettext_noop("360 questionnaire about %(name)s")


def _titles(name: str) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        with translation.override(lang):
            out[lang] = (_(TITLE) % {"name": name})[:300]
    return out


def _questionnaire_url(assignment: RaterAssignment) -> str:
    try:
        return reverse("web:survey360_questionnaire", args=[assignment.pk])
    except NoReverseMatch:
        return ""


def _lock(body: StateBody, survey_id: int) -> Survey360:
    survey = (Survey360.objects.select_for_update(of=("self",)).select_related("body")
              .filter(body=body, pk=survey_id).first())
    if survey is None:
        raise Http404(_("No such 360 survey in this state body."))
    return survey


def _check_version(survey: Survey360, expected_version: int | None) -> None:
    if expected_version is None or int(expected_version) != survey.version:
        raise Conflict(who="", when=None, current_version=survey.version)


def _audit(survey: Survey360, *, action: str, actor: Any, role: str, from_state: str, clause: str = "",
           payload: dict[str, Any] | None = None, obj: Any = None) -> None:
    record_event(action=f"survey360.{action}", obj=obj or survey, actor=actor, role=role, body_id=survey.body_id,
                 from_state=from_state, to_state=survey.state, clause=clause,
                 payload={"survey": survey.pk, "servant": survey.servant_id, "row_version": survey.version,
                          **(payload or {})})


def _bump(survey: Survey360, action: str, state: str, fields: tuple[str, ...] = ()) -> None:
    survey.state = state
    survey.version += 1
    survey.last_action = action
    survey.save(update_fields=["state", "version", "last_action", *fields])


# -- creating a survey ------------------------------------------------------------------------------

def create_survey(actor: Any, body: StateBody, servant_id: int) -> Survey360:
    """Start the 360 of a servant of the body, pinned to today's version and org snapshot.

    Refused when the servant holds no position today, when the version does not run a 360 for the
    servant's group (head flag), when it has no competency matrix (the body's annex not loaded),
    or when a 360 of the servant is already running."""
    role = access.require_hr(actor, body, action=_("start a 360 survey"))
    today = clock.today()
    with transaction.atomic():
        servant = Servant.objects.filter(body=body, pk=servant_id).first()
        if servant is None:
            raise ValidationError({"servant": _("No such servant in this state body.")})
        version = rules.version_on(body, today)
        snap = OrgSnapshot(body, today)
        position = snap.position_of.get(servant.pk)
        if position is None:
            raise ValidationError({"servant": _("This servant holds no position today.")})
        is_head = position.is_head_of_unit
        applies = run_core(core.applies_to, version, is_head, today, field="servant")
        if not applies.value:
            raise ValidationError({"servant": _(
                "The methodology does not run a 360 for this group of positions (%(clause)s).") % {
                "clause": applies.clause}})
        run_core(core.questionnaire, version, is_head, today, field="methodology_version")
        if Survey360.objects.filter(servant=servant, state__in=[SurveyState.DRAFT, SurveyState.OPEN]).exists():
            raise ValidationError({"servant": _("A 360 survey of this servant is already running.")})
        line = snap.line(servant)
        subordinates = sorted(
            s.pk for s in snap.servants.values()
            if s.pk != servant.pk and (m := snap.line(s).direct_manager) is not None and m.pk == servant.pk
        )
        unit = snap.units.get(position.unit_id)
        survey = Survey360.objects.create(
            body=body, servant=servant, servant_name=servant.full_name,
            position_title_kk=position.title_kk, position_title_ru=position.title_ru,
            unit_name_kk=unit.name_kk if unit else "", unit_name_ru=unit.name_ru if unit else "",
            category=position.category, is_head_of_unit=is_head, group=applies.details["group"],
            direct_manager=line.direct_manager, subordinate_ids=subordinates,
            methodology_version=version.id, snapshot_on=today,
            applies_basis=applies.details["basis"], applies_clause=applies.clause, created_by=actor,
        )
        record_event(action="survey360.create", obj=survey, actor=actor, role=role, body_id=body.pk,
                     to_state=survey.state, clause=applies.clause,
                     payload={"survey": survey.pk, "servant": servant.pk, "version": version.id,
                              "group": survey.group, "basis": survey.applies_basis})
    return survey


# -- raters -----------------------------------------------------------------------------------------

def relation_of(survey: Survey360, servant_id: int) -> str:
    """How a servant stands to the evaluated one in the survey's snapshot: the role they may rate in."""
    if survey.direct_manager_id == servant_id:
        return RaterRole.DIRECT_MANAGER
    if servant_id in survey.subordinate_ids:
        return RaterRole.SUBORDINATE
    return RaterRole.PEER


def assign_rater(actor: Any, body: StateBody, survey_id: int, *, rater_id: int, role: str,
                 expected_version: int | None) -> RaterAssignment:
    """Add a rater in a role. The role must match the rater's relation in the snapshot (the direct
    manager rates as such, a subordinate as a subordinate), be one the version lets rate this group,
    and the rater must not be the servant evaluated (no self-rating unless the version has it)."""
    hr_role = access.require_hr(actor, body, action=_("assign a 360 rater"))
    with transaction.atomic():
        survey = _lock(body, survey_id)
        _check_version(survey, expected_version)
        transition = workflow.fire(workflow.SURVEY, survey.state, "assign", workflow.HR)[0]
        version = rules.version_of(survey)
        if role not in RaterRole.values:
            raise ValidationError({"role": _("Unknown rater role %(role)s.") % {"role": role}})
        rater = Servant.objects.filter(body=body, pk=rater_id).first()
        if rater is None:
            raise ValidationError({"rater": _("No such servant in this state body.")})
        is_self = rater.pk == survey.servant_id
        decision = run_core(core.may_rate, version, role, survey.is_head_of_unit, is_self, clock.today(),
                            field="rater")
        if not decision.value:
            if decision.details["reason"] == "SELF_RATING":
                raise ValidationError({"rater": _("A servant never rates themself (%(clause)s).") % {
                    "clause": decision.clause}})
            raise ValidationError({"role": _("This role does not rate this group of positions (%(clause)s).") % {
                "clause": decision.clause}})
        if relation_of(survey, rater.pk) != role:
            raise ValidationError({"role": _("%(name)s is the servant's %(relation)s, not a %(role)s.") % {
                "name": rater.full_name, "relation": RaterRole(relation_of(survey, rater.pk)).label.lower(),
                "role": RaterRole(role).label.lower()}})
        if rater.user_id is None:
            raise ValidationError({"rater": _("%(name)s has no login and could not answer.") % {
                "name": rater.full_name}})
        if survey.assignments.filter(rater=rater).exclude(state=AssignmentState.WITHDRAWN).exists():
            raise ValidationError({"rater": _("%(name)s is already a rater of this survey.") % {
                "name": rater.full_name}})
        assignment = RaterAssignment.objects.create(body=body, survey=survey, rater=rater,
                                                    rater_name=rater.full_name, role=role)
        from_state = survey.state
        _bump(survey, "assign", transition.target)
        _audit(survey, action="rater.assign", actor=actor, role=hr_role, from_state=from_state,
               clause=decision.clause, payload={"assignment": assignment.pk, "rater": rater.pk, "role": role})
        if survey.state == SurveyState.OPEN:
            _open_item(survey, assignment)
    return assignment


def withdraw_rater(actor: Any, body: StateBody, assignment_id: int, *, expected_version: int | None
                   ) -> RaterAssignment:
    """Take a rater off the survey, before they have answered."""
    hr_role = access.require_hr(actor, body, action=_("withdraw a 360 rater"))
    with transaction.atomic():
        assignment = RaterAssignment.objects.filter(body=body, pk=assignment_id).first()
        if assignment is None:
            raise Http404(_("No such rater in this state body."))
        survey = _lock(body, assignment.survey_id)
        _check_version(survey, expected_version)
        transition = workflow.fire(workflow.SURVEY, survey.state, "withdraw", workflow.HR)[0]
        if assignment.state != AssignmentState.PENDING:
            raise ValidationError({"assignment": _("Only a rater who has not answered can be withdrawn.")})
        assignment.state = AssignmentState.WITHDRAWN
        assignment.save(update_fields=["state"])
        from_state = survey.state
        _bump(survey, "withdraw", transition.target)
        _audit(survey, action="rater.withdraw", actor=actor, role=hr_role, from_state=from_state,
               payload={"assignment": assignment.pk, "rater": assignment.rater_id})
        close_items(obj=assignment, action=INBOX_ACTION, actor=actor, state=ItemState.CANCELLED)
    return assignment


def _counts(survey: Survey360) -> Counter[str]:
    return Counter(survey.assignments.exclude(state=AssignmentState.WITHDRAWN).values_list("role", flat=True))


def _open_item(survey: Survey360, assignment: RaterAssignment) -> None:
    user = assignment.rater.user
    open_item(body=survey.body, obj=assignment, action=INBOX_ACTION, due=survey.due_on, due_rule=survey.due_rule,
              due_clause=survey.due_clause, due_explanation=survey.due_explanation or None, assignee=user,
              titles=_titles(survey.servant_name), url=_questionnaire_url(assignment))


def _due(version: MethodologyVersion, survey: Survey360) -> Due:
    if RESPONSE_DUE not in version.deadline_rules():
        return Due.none()
    return compute(version, RESPONSE_DUE, clock.today(), field_name="due_on")


def open_survey(actor: Any, body: StateBody, survey_id: int, *, expected_version: int | None) -> Survey360:
    """Send the questionnaires: the raters must meet the version's rules (roles, minimum per role,
    the anonymity threshold, the maximum); each rater gets a work item with the answer deadline."""
    hr_role = access.require_hr(actor, body, action=_("send the 360 questionnaires"))
    with transaction.atomic():
        survey = _lock(body, survey_id)
        _check_version(survey, expected_version)
        transition = workflow.fire(workflow.SURVEY, survey.state, "open", workflow.HR)[0]
        version = rules.version_of(survey)
        check = run_core(core.check_raters, version, survey.is_head_of_unit, dict(_counts(survey)), clock.today(),
                         field="raters")
        if not check.value:
            raise ValidationError({"raters": rules.rater_problems(check)})
        due = _due(version, survey)
        for name, value in due.fields().items():
            setattr(survey, name, value)
        survey.opened_on = clock.today()
        from_state = survey.state
        _bump(survey, "open", transition.target,
              ("due_on", "due_rule", "due_clause", "due_explanation", "opened_on"))
        _audit(survey, action="open", actor=actor, role=hr_role, from_state=from_state, clause=check.clause,
               payload={"raters": sum(_counts(survey).values()), **due.payload()})
        for assignment in survey.assignments.filter(state=AssignmentState.PENDING).select_related("rater__user"):
            _open_item(survey, assignment)
    return survey


# -- answering --------------------------------------------------------------------------------------

def submit_answers(actor: Any, body: StateBody, assignment_id: int, answers: dict[str, Any]) -> RaterAssignment:
    """A rater's answers to their questionnaire, stored without any link to them (models.py).

    The assignment only becomes "answered"; the audit event names the rater and the survey but not
    the answers. When the last rater answers, the survey closes and its result is frozen."""
    with transaction.atomic():
        assignment = RaterAssignment.objects.filter(body=body, pk=assignment_id).select_related("rater").first()
        if assignment is None:
            raise Http404(_("No such questionnaire in this state body."))
        access.require_rater(actor, body, assignment)
        survey = _lock(body, assignment.survey_id)
        assignment = RaterAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.state == AssignmentState.COMPLETED:
            raise ValidationError({"answers": _("You have already answered this questionnaire.")})
        if assignment.state == AssignmentState.WITHDRAWN:
            raise PermissionDenied(_("You were withdrawn as a rater of this survey."))
        workflow.fire(workflow.SURVEY, survey.state, "submit", workflow.RATER)
        version = rules.version_of(survey)
        if not isinstance(answers, dict):
            raise ValidationError({"answers": _("The answers are a mapping of indicator to answer.")})
        checked = run_core(core.checked_answers, version, survey.is_head_of_unit, answers, field="answers")
        Response360.objects.create(body=body, survey=survey, rater_role=assignment.role, answers=checked)
        assignment.state = AssignmentState.COMPLETED
        assignment.save(update_fields=["state"])
        record_event(action="survey360.questionnaire.submit", obj=assignment, actor=actor, role="rater",
                     body_id=body.pk, from_state=AssignmentState.PENDING, to_state=AssignmentState.COMPLETED,
                     clause=version.param("survey360").clause, payload={"survey": survey.pk})
        close_items(obj=assignment, action=INBOX_ACTION, actor=actor)
        if not survey.assignments.filter(state=AssignmentState.PENDING).exists():
            _close(survey, actor=None, role=workflow.SYSTEM, audit_role="system")
    return assignment


# -- closing ----------------------------------------------------------------------------------------

def _close(survey: Survey360, *, actor: Any, role: str, audit_role: str) -> None:
    transition = workflow.fire(workflow.SURVEY, survey.state, "close", role)[0]
    version = rules.version_of(survey)
    responses = [core.response_from_stored(r.rater_role, r.answers)
                 for r in Response360.objects.filter(survey=survey).order_by("id")]
    decision = run_core(core.score_360, version, survey.is_head_of_unit, responses, clock.today(), field="result")
    survey.result = decision.as_dict()
    survey.responses_count = len(responses)
    survey.closed_on = clock.today()
    from_state = survey.state
    _bump(survey, "close", transition.target, ("result", "responses_count", "closed_on"))
    _audit(survey, action="close", actor=actor, role=audit_role, from_state=from_state, clause=decision.clause,
           payload={"responses": len(responses), "status": decision.details["status"]})
    for assignment in survey.assignments.filter(state=AssignmentState.PENDING):
        close_items(obj=assignment, action=INBOX_ACTION, actor=actor, state=ItemState.CANCELLED)


def close_survey(actor: Any, body: StateBody, survey_id: int, *, expected_version: int | None) -> Survey360:
    """Close the survey and freeze its result (the "not enough responses" result below the threshold)."""
    hr_role = access.require_hr(actor, body, action=_("close a 360 survey"))
    with transaction.atomic():
        survey = _lock(body, survey_id)
        _check_version(survey, expected_version)
        _close(survey, actor=actor, role=workflow.HR, audit_role=hr_role)
    return survey


def cancel_survey(actor: Any, body: StateBody, survey_id: int, *, expected_version: int | None) -> Survey360:
    hr_role = access.require_hr(actor, body, action=_("cancel a 360 survey"))
    with transaction.atomic():
        survey = _lock(body, survey_id)
        _check_version(survey, expected_version)
        transition = workflow.fire(workflow.SURVEY, survey.state, "cancel", workflow.HR)[0]
        from_state = survey.state
        _bump(survey, "cancel", transition.target)
        _audit(survey, action="cancel", actor=actor, role=hr_role, from_state=from_state)
        for assignment in survey.assignments.filter(state=AssignmentState.PENDING):
            close_items(obj=assignment, action=INBOX_ACTION, actor=actor, state=ItemState.CANCELLED)
    return survey


# -- what a 360 result may be used for --------------------------------------------------------------

def require_use(body: StateBody, survey_id: int, purpose: str) -> None:
    """Refuse the result of this survey as the input of a decision its version does not base on it
    (`require_use_under`, on the survey's version and snapshot day)."""
    survey = Survey360.objects.filter(body=body, pk=survey_id).first()
    if survey is None:
        raise Http404(_("No such 360 survey in this state body."))
    require_use_under(rules.version_of(survey), purpose, survey.snapshot_on)


def require_use_under(version: MethodologyVersion, purpose: str, on: dt.date | None, *,
                      field: str = "purpose") -> Decision:
    """The one door for what a 360 result may be used for: the version's decision when it bases a
    decision on `purpose` on a 360 result, else a ValidationError on `field` naming the clause. In
    G2023 a 360 result never feeds bonuses, incentives, promotion, demotion, rotation or dismissal
    (S1-p.9). Other apps call this before they take a 360 result into account (outcomes, for a
    consequence proposed on a 360 basis), so the refusal and its clause are the same everywhere."""
    if purpose not in PURPOSES:
        raise ValidationError({"purpose": _("Unknown purpose %(purpose)s.") % {"purpose": purpose}})
    try:
        decision = uses.may_use(version, "method_360", purpose, on)
        if decision.value:
            return decision
        clause = decision.clause
    except MethodologyError:
        # The version does not say what a 360 result may be used for: nothing (fails closed).
        clause = version.param("result_uses.method_360").clause
    raise ValidationError({field: _(
        "A 360 result serves development only and cannot be used for %(purpose)s (%(clause)s).") % {
        "purpose": purpose, "clause": clause}})
