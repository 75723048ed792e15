"""The work items of the ranking steps, with the step's due date and rule (inbox).

Action codes: ranking.grade (evaluator), ranking.correct (evaluator, after a return),
ranking.review (superior), ranking.forward (HR). A person with no login cannot be assigned: the
item then goes to the HR role, which chases the step on paper (as the KPI steps do).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.assessments.ranking.models import RankingList
from bagalau.cycles.dues import Due
from bagalau.inbox import services as inbox
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, Servant

TITLES = {
    "ranking.grade": gettext_noop("Grade and sign the ranking list of %(unit)s"),
    "ranking.correct": gettext_noop("Correct and sign again the returned ranking list of %(unit)s"),
    "ranking.review": gettext_noop("Review the ranking list of %(unit)s"),
    "ranking.forward": gettext_noop("Submit the agreed ranking list of %(unit)s to the Commission"),
}


def _titles(code: str, ranking_list: RankingList) -> dict[str, str]:
    out = {}
    for lang in ("kk", "ru", "en"):
        unit = ranking_list.unit_name_ru if lang == "ru" and ranking_list.unit_name_ru else ranking_list.unit_name_kk
        with translation.override(lang):
            out[lang] = (_(TITLES[code]) % {"unit": unit or ranking_list.evaluator_name})[:300]
    return out


def _url(ranking_list: RankingList) -> str:
    try:
        return reverse("web:ranking_list", args=[ranking_list.pk])
    except NoReverseMatch:
        return ""


def open_step(ranking_list: RankingList, code: str, due: Due, servant: Servant | None = None,
              hr: bool = False) -> None:
    body = ranking_list.body
    user = None
    if not hr and servant is not None:
        candidate = getattr(servant, "user", None)
        if candidate is not None and candidate.is_active and roles_for(candidate, body):
            user = candidate
    inbox.open_item(
        body=body, obj=ranking_list, action=code, due=due.on, due_rule=due.rule if due.on else "",
        due_clause=due.clause if due.on else "", due_explanation=due.explanation or None,
        assignee=user, assignee_role="" if user is not None else Role.HR, subject_servant=None,
        titles=_titles(code, ranking_list), url=_url(ranking_list),
    )


def close_steps(ranking_list: RankingList, actor: object, *codes: str) -> None:
    for code in codes:
        inbox.close_items(obj=ranking_list, action=code, actor=actor)
