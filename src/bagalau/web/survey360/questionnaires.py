"""The rater's pages: the list of questionnaires sent to them (with the answer deadline), and one
questionnaire, in the page's language (kk or ru), with the servant's group's indicators from the
version's competency matrix. The page says that answers are anonymous and how."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bagalau.assessments.survey360 import selectors, services
from bagalau.assessments.survey360.models import AssignmentState, RaterAssignment, RaterRole, SurveyState
from bagalau.cycles import clock
from bagalau.orgs.models import StateBody
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, error_page, redirect
from bagalau.web.cycles.forms import error_dict
from bagalau.web.survey360 import labels


@require_safe
@body_view
def mine(request: HttpRequest, body: StateBody) -> HttpResponse:
    rows = []
    for a in selectors.my_questionnaires(request.user, body):
        s = a.survey
        rows.append({"a": a, "survey": s, "role": RaterRole(a.role).label, "state": a.get_state_display(),
                     "tone": labels.ASSIGNMENT_TONES.get(a.state, ""),
                     "open": a.state == AssignmentState.PENDING and s.state == SurveyState.OPEN,
                     "due": display.due_info(s.due_on, s.due_rule, s.due_clause, today=clock.today(),
                                             explanation=s.due_explanation or None)})
    reports = [{"survey": s, "state": s.get_state_display(), "tone": labels.STATE_TONES.get(s.state, "")}
               for s in selectors.my_reports(request.user, body)]
    return render(request, "web/survey360/mine.html", {"rows": rows, "reports": reports,
                                                       "current": "survey360_mine"})


def _items(assignment: RaterAssignment, posted: dict[str, Any]) -> list[dict[str, Any]]:
    lang = display.lang()
    content = selectors.questionnaire_of(assignment.survey)
    out = []
    for comp in content.value:
        out.append({
            "id": comp["id"], "name": comp["name"][lang],
            "indicators": [{"key": f"{comp['id']}/{i['ordinal']}", "field": f"a-{comp['id']}-{i['ordinal']}",
                            "effective": i["effective"][lang],
                            "ineffective": i["ineffective"][lang] if i["ineffective"] else "",
                            "value": posted.get(f"{comp['id']}/{i['ordinal']}", "")}
                           for i in comp["indicators"]],
        })
    return out


@require_http_methods(["GET", "HEAD", "POST"])
@body_view
def questionnaire(request: HttpRequest, body: StateBody, assignment_id: int) -> HttpResponse:
    try:
        assignment = selectors.my_assignment(request.user, body, assignment_id)
    except Http404:
        return error_page(request, _("No such questionnaire in this state body."), status=404)
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)
    posted: dict[str, Any] = {}
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        for key, value in request.POST.items():
            if key.startswith("a-"):
                comp, _sep, ordinal = key[2:].rpartition("-")
                posted[f"{comp}/{ordinal}"] = value
        try:
            services.submit_answers(request.user, body, assignment.pk,
                                    {k: int(v) if v.isdigit() else v for k, v in posted.items()})
        except PermissionDenied as exc:
            return error_page(request, str(exc), status=403)
        except ValidationError as exc:
            errors = [m for ms in error_dict(exc).values() for m in ms]
            status = 422
        else:
            messages.success(request, _("Thank you: your answers were recorded anonymously."))
            return redirect(reverse("web:survey360_mine"))
    survey = assignment.survey
    content = selectors.questionnaire_of(survey)
    return render(request, "web/survey360/questionnaire.html", {
        "a": assignment, "survey": survey, "items": _items(assignment, posted), "errors": errors,
        "group": labels.GROUP_LABELS.get(survey.group, survey.group),
        "group_label": content.details["group_label"][display.lang()],
        "clause": content.clause, "matrix_verified": content.details["matrix_verified"],
        "binary": content.details["scale"]["kind"] == "binary",
        "points": [str(n) for n in range(content.details["scale"].get("min", 0),
                                         content.details["scale"].get("max", -1) + 1)],
        "position": display.pick(survey.position_title_kk, survey.position_title_ru),
        "answerable": assignment.state == AssignmentState.PENDING and survey.state == SurveyState.OPEN,
        "due": display.due_info(survey.due_on, survey.due_rule, survey.due_clause, today=clock.today(),
                                explanation=survey.due_explanation or None),
        "current": "survey360_mine",
    }, status=status)
