"""The individual report of a 360 survey with the competency chart. It prints only what the survey's
selector releases: the result frozen at closing, as aggregates per competency (and per rater group
when every group reached the threshold). No rater's name or answer is ever read here. Below the
anonymity threshold the report says "not enough responses" and carries no number; a survey still
open has no report and the form refuses it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.assessments.survey360 import selectors
from bagalau.assessments.survey360.models import RaterRole, Survey360
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

CODE = "report360"
# The chart's bars: a score of `scale` fills CHART_WIDTH units of the chart's 170-unit view box.
CHART_WIDTH = 80


def load(user: Any, body: Any, object_id: int) -> Survey360:
    """The survey, for its servant or HR (the survey's selector decides), once it is closed."""
    report = selectors.report(user, body, object_id)
    if report.status == "OPEN":
        raise ValidationError({"survey": _("The 360 survey is not closed yet: it has no report.")})
    survey = report.survey
    survey.released_report = report  # type: ignore[attr-defined]  # what the selector released; printed as is
    return survey


def of_cycle(cycle: Any) -> list[int]:
    return []  # a 360 survey belongs to a servant, not to a cycle's batch


def _report(survey: Survey360) -> selectors.Report:
    report = getattr(survey, "released_report", None)
    if report is None:
        raise ValidationError({"survey": _("The 360 report is printed only through its survey's selector.")})
    return report


def _name(competency: dict[str, Any], lang: str) -> str:
    name = competency["name"]
    return str(name.get(lang) or name.get("kk") or "") if isinstance(name, dict) else str(name)


def _chart(report: selectors.Report, lang: str) -> list[dict[str, Any]]:
    # Scores are shares of the top answer (0..1) in the versions seen so far; a version scoring on
    # a point scale gets bars relative to its largest score.
    top = max([float(c["score"]) for c in report.competencies] + [0.0])
    scale = 1.0 if top <= 1 else top
    return [{"label": _name(c, lang), "value": str(c["score"]), "max": scale,
             "width": round(CHART_WIDTH * float(c["score"]) / scale)} for c in report.competencies]


def build(survey: Survey360, lang: str) -> dict[str, Any]:
    report = _report(survey)
    v = common.version(survey.methodology_version)
    closed = survey.closed_on or survey.snapshot_on
    # The report has no time of day of its own (answers carry none, by design): the closing day.
    created = dt.datetime.combine(closed, dt.time(0, 0), tzinfo=dt.UTC)
    data = common.skeleton(form=CODE, title_key="report360_title", annex=None, lang=lang, body=survey.body, v=v,
                           created=created, state=survey.state, signed=False,
                           filename=common.ascii_stem(CODE, survey.pk, lang))
    data["facts"] = [
        [text("full_name", lang), survey.servant_name],
        [text("position", lang), common.localized(survey.position_title_kk, survey.position_title_ru, lang)],
        [text("unit", lang), common.localized(survey.unit_name_kk, survey.unit_name_ru, lang)],
        [text("category", lang), survey.category],
        [text("snapshot_on", lang), formatting.day(survey.snapshot_on)],
        [text("closed_on", lang), formatting.day(survey.closed_on)],
        [text("responses", lang), str(report.answered)],
    ]
    if not report.shown:
        data["sections"].append({"heading": text("report360_chart", lang), "paragraphs": [
            text("not_enough_responses", lang, answered=report.answered, required=report.min_responses or "-")]})
    else:
        data["sections"].append({"heading": text("report360_chart", lang), "chart": _chart(report, lang)})
        data["sections"].append({
            "heading": text("competency", lang),
            "columns": [text("competency", lang), text("score", lang), text("training_need", lang)],
            "widths": [60, 15, 25],
            "rows": [[_name(c, lang), str(c["score"]), common.yes_no(c["training_need"], lang)]
                     for c in report.competencies],
        })
        if report.by_role:
            names = {c["id"]: _name(c, lang) for c in report.competencies}
            rows = []
            for role, scores in sorted(report.by_role.items()):
                label = str(RaterRole(role).label) if role in RaterRole.values else role
                rows += [[label, names.get(cid, cid), str(score)] for cid, score in (scores or {}).items()]
            data["sections"].append({"heading": text("by_role", lang), "widths": [25, 60, 15], "rows": rows,
                                     "columns": [text("rater_group", lang), text("competency", lang),
                                                 text("score", lang)]})
        data["summary"] = [[text("index360", lang), str(report.index)]]
    data["sections"].append({"heading": "", "paragraphs": [text("anonymity_note", lang)]})
    data["clauses"] = common.clause_refs(v, [report.clause, *report.clauses], closed, lang)
    return data


FORM = register(Form(code=CODE, model="survey360.survey360", title_key="report360_title",
                     template="documents/forms/report360.html", load=load, build=build, of_cycle=of_cycle,
                     order=60))
