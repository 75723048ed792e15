"""The individual 360 report: the competency profile (server-side SVG), each competency's score on
the version's scale with the effective and ineffective indicators behind it, the training needs,
and the statement that the result serves development only (S1-p.9). Below the threshold it says
"not enough responses" and shows no number; before closing, only how many answered.

The CSV export carries the same aggregates and nothing else."""

from __future__ import annotations

import csv
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bagalau.assessments.survey360 import rules, selectors
from bagalau.assessments.survey360.models import RaterRole
from bagalau.orgs.models import StateBody
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, error_page
from bagalau.web.survey360 import chart, labels


def _load(request: HttpRequest, body: StateBody, survey_id: int) -> selectors.Report | HttpResponse:
    try:
        return selectors.report(request.user, body, survey_id)
    except Http404:
        return error_page(request, _("No such 360 survey in this state body."), status=404)
    except PermissionDenied as exc:
        return error_page(request, str(exc), status=403)


def _threshold(report: selectors.Report) -> float | None:
    try:
        return float(rules.version_of(report.survey).value("survey360")["training_need_below"])
    except Exception:  # a version that no longer loads: the chart goes without the line
        return None


@require_safe
@body_view
def report_page(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    report = _load(request, body, survey_id)
    if isinstance(report, HttpResponse):
        return report
    lang = display.lang()
    survey = report.survey
    comps: list[dict[str, Any]] = []
    profile = None
    if report.shown:
        for c in report.competencies:
            comps.append({
                "name": c["name"][lang], "score": c["score"], "percent": round(c["score"] * 100),
                "need": c["training_need"],
                "effective": [i["effective"][lang] for i in c["indicators"]],
                "ineffective": [i["ineffective"][lang] for i in c["indicators"] if i["ineffective"]],
            })
        profile = chart.profile([(c["name"], c["score"], c["need"]) for c in comps], _threshold(report))
    by_role = None
    if report.by_role:
        by_role = [{"role": RaterRole(role).label,
                    "scores": [round(report.by_role[role].get(c["id"], 0) * 100) for c in report.competencies]}
                   for role in report.by_role]
    return render(request, "web/survey360/report.html", {
        "report": report, "survey": survey, "comps": comps, "chart": profile, "by_role": by_role,
        "index_percent": round(report.index * 100) if report.index is not None else None,
        "group": labels.GROUP_LABELS.get(survey.group, survey.group),
        "position": display.pick(survey.position_title_kk, survey.position_title_ru),
        "unit": display.pick(survey.unit_name_kk, survey.unit_name_ru),
        "refused": [labels.PURPOSE_LABELS.get(p, p) for p in report.uses.get("refused", [])],
        "uses_clause": report.uses.get("clause", ""),
        "current": "survey360",
    })


@require_safe
@body_view
def report_csv(request: HttpRequest, body: StateBody, survey_id: int) -> HttpResponse:
    """The report's aggregates as CSV: competency, score. Nothing per rater exists to export."""
    report = _load(request, body, survey_id)
    if isinstance(report, HttpResponse):
        return report
    lang = display.lang()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey360-{report.survey.pk}.csv"'
    response.write("\ufeff")
    out = csv.writer(response)
    out.writerow([_("Servant"), report.survey.servant_name])
    out.writerow([_("Questionnaires answered"), report.answered])
    if not report.shown:
        out.writerow([_("Result"), _("Not enough responses") if report.status == selectors.NOT_ENOUGH
                      else _("The survey is not closed yet")])
        return response
    out.writerow([_("360 index"), report.index, report.clause])
    out.writerow([_("Competency"), _("Score"), _("Training need")])
    for c in report.competencies:
        out.writerow([c["name"][lang], c["score"], _("yes") if c["training_need"] else ""])
    return response
