"""HR's 360 pages: the list with a form to start a survey, and one survey's page where HR assigns
raters (the org snapshot's suggestions first), sees the version's rater rules checked, sends the
questionnaires and closes the survey. Raters are listed with whether they answered, never with what."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.assessments.survey360 import access, rules, selectors, services
from bagalau.assessments.survey360.models import RaterRole
from bagalau.cycles import clock
from bagalau.orgs.models import StateBody
from bagalau.orgs.reporting import OrgSnapshot
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, error_page, redirect
from bagalau.web.cycles.forms import error_dict
from bagalau.web.survey360 import labels


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("A number is required.")}) from None


def _flat(exc: ValidationError) -> list[str]:
    return [m for ms in error_dict(exc).values() for m in ms]


@require_safe
@body_view
def surveys_page(request: HttpRequest, body: StateBody) -> HttpResponse:
    return _surveys(request, body)


def _surveys(request: HttpRequest, body: StateBody, *, errors: list[str] | None = None, status: int = 200
             ) -> HttpResponse:
    try:
        found = selectors.surveys(request.user, body)[:200]
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)
    rows = [{"survey": s, "tone": labels.STATE_TONES.get(s.state, ""), "state": s.get_state_display(),
             "group": labels.GROUP_LABELS.get(s.group, s.group)} for s in found]
    servants = []
    if access.can_manage(request.user, body):
        snap = OrgSnapshot(body, clock.today())
        servants = [{"id": s.pk, "name": s.full_name, "head": snap.position_of[s.pk].is_head_of_unit}
                    for s in sorted(snap.servants.values(), key=lambda x: x.full_name)]
    return render(request, "web/survey360/surveys.html", {
        "rows": rows, "servants": servants, "errors": errors or [],
        "may_manage": access.can_manage(request.user, body), "current": "survey360",
    }, status=status)


@require_POST
@body_view
def create(request: HttpRequest, body: StateBody) -> HttpResponse:
    try:
        survey = services.create_survey(request.user, body, _int(request.POST.get("servant"), "servant"))
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)
    except ValidationError as exc:
        return _surveys(request, body, errors=_flat(exc), status=422)
    messages.success(request, _("The 360 survey was started: assign its raters."))
    return redirect(reverse("web:survey360_survey", args=[survey.pk]))


def survey_context(request: HttpRequest, body: StateBody, survey_id: int) -> dict[str, Any]:
    survey = selectors.survey(request.user, body, survey_id)
    check = selectors.rater_check(survey)
    may_manage = access.can_manage(request.user, body)
    editable = survey.state in ("draft", "open") and may_manage
    due = display.due_info(survey.due_on, survey.due_rule, survey.due_clause, today=clock.today(),
                           explanation=survey.due_explanation or None) if survey.due_on else None
    return {
        "survey": survey, "state": survey.get_state_display(), "tone": labels.STATE_TONES.get(survey.state, ""),
        "group": labels.GROUP_LABELS.get(survey.group, survey.group),
        "basis": labels.BASIS_LABELS.get(survey.applies_basis, ""),
        "position": display.pick(survey.position_title_kk, survey.position_title_ru),
        "unit": display.pick(survey.unit_name_kk, survey.unit_name_ru),
        "raters": [{"a": a, "role": RaterRole(a.role).label, "state": a.get_state_display(),
                    "tone": labels.ASSIGNMENT_TONES.get(a.state, "")} for a in selectors.assignments(survey)],
        "suggestions": [{"s": s, "role": RaterRole(s.role).label} for s in selectors.suggestions(survey)]
        if editable else [],
        "candidates": [{**c, "role_label": RaterRole(c["role"]).label} for c in selectors.candidates(survey)]
        if editable else [],
        "check": check, "problems": rules.rater_problems(check), "may_manage": may_manage,
        "editable": editable, "due": due,
        "current": "survey360",
    }


@require_safe
@body_view
def survey_page(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    return _survey(request, body, survey_id)


def _survey(request: HttpRequest, body: StateBody, survey_id: int, *, errors: list[str] | None = None,
            status: int = 200) -> HttpResponse:
    try:
        context = survey_context(request, body, survey_id)
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)
    except Http404:
        return error_page(request, _("No such 360 survey in this state body."), status=404)
    context["errors"] = errors or []
    return render(request, "web/survey360/survey.html", context, status=status)


def _act(request: HttpRequest, body: StateBody, survey_id: int, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)
    except Http404:
        return error_page(request, _("No such 360 survey in this state body."), status=404)
    except ValidationError as exc:
        return _survey(request, body, survey_id, errors=_flat(exc), status=422)
    messages.success(request, done)
    return redirect(reverse("web:survey360_survey", args=[survey_id]))


@require_POST
@body_view
def assign(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    p = request.POST
    return _act(request, body, survey_id, lambda: services.assign_rater(
        request.user, body, survey_id, rater_id=_int(p.get("rater"), "rater"), role=p.get("role", ""),
        expected_version=_int(p.get("version"), "version")), _("The rater was assigned."))


@require_POST
@body_view
def withdraw(request: HttpRequest, body: StateBody, survey_id: int, assignment_id: int) -> HttpResponse:
    return _act(request, body, survey_id, lambda: services.withdraw_rater(
        request.user, body, assignment_id, expected_version=_int(request.POST.get("version"), "version")),
        _("The rater was withdrawn."))


@require_POST
@body_view
def send(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    return _act(request, body, survey_id, lambda: services.open_survey(
        request.user, body, survey_id, expected_version=_int(request.POST.get("version"), "version")),
        _("The questionnaires were sent to the raters."))


@require_POST
@body_view
def close(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    return _act(request, body, survey_id, lambda: services.close_survey(
        request.user, body, survey_id, expected_version=_int(request.POST.get("version"), "version")),
        _("The survey was closed and its result frozen."))


@require_POST
@body_view
def cancel(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    return _act(request, body, survey_id, lambda: services.cancel_survey(
        request.user, body, survey_id, expected_version=_int(request.POST.get("version"), "version")),
        _("The survey was cancelled."))
