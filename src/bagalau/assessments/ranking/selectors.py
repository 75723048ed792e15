"""Reads of the ranking lists, for the pages and the API, with a bounded number of queries.

Every read is filtered by the body first; a list of another body is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.assessments.ranking import access, workflow
from bagalau.assessments.ranking.models import RankingEntry, RankingList
from bagalau.assessments.ranking.services import effective_version
from bagalau.cycles.access import servant_id_of
from bagalau.cycles.models import EvaluationCycle
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion, Parameter
from bagalau.orgs.models import StateBody


def lists_for(user: Any, body: StateBody, cycle_id: int | None = None) -> QuerySet[RankingList]:
    """The lists `user` may read in `body`: all for HR and the other body readers, else those in
    which he is the evaluator or the superior."""
    qs = RankingList.objects.filter(body=body).select_related("cycle")
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if not access.is_body_reader(user, body):
        sid = servant_id_of(user, body)
        if sid is None:
            return qs.none()
        qs = qs.filter(Q(evaluator_id=sid) | Q(reviewer_id=sid))
    return qs.order_by("-cycle__period_start", "unit_code", "evaluator_name", "pk")


@dataclass
class ScaleRow:
    code: str
    label: str
    quota: str  # "1/4" or ""


@dataclass
class ListView:
    ranking_list: RankingList
    entries: list[RankingEntry]
    version: MethodologyVersion | None
    parameter: Parameter | None
    settings: dict[str, Any]
    scale: list[ScaleRow]
    clause_title: str
    roles: frozenset[str]
    actions: list[str]
    error: str = ""
    methods: Parameter | None = None  # which position group is ranked (methods_by_group), often unverified

    @property
    def ranked_groups(self) -> list[str]:
        value = self.methods.value if self.methods is not None else None
        return [group for group, methods in (value or {}).items() if "ranking" in methods]


def _scale(version: MethodologyVersion, settings: dict[str, Any], lang: str) -> list[ScaleRow]:
    labels = version.param("rating_labels").value or {}
    quotas = settings.get("quotas") or {}
    rows = []
    for code in settings.get("scale") or ():
        label = labels.get(code)
        share = quotas.get(code)
        rows.append(ScaleRow(code, label.get(lang) if label else code, str(share) if share is not None else ""))
    return rows


def list_view(user: Any, body: StateBody, list_id: int, lang: str = "kk") -> ListView:
    ranking_list = RankingList.objects.filter(body=body, pk=list_id).select_related("cycle", "cycle__body").first()
    if ranking_list is None or not access.may_read(user, body, ranking_list):
        raise Http404(_("No such ranking list in this state body."))
    entries = list(RankingEntry.objects.filter(ranking_list=ranking_list).select_related("participant")
                   .order_by("position", "servant_name", "pk"))
    roles = access.list_roles(user, body, ranking_list)
    actions = [t.action for t in workflow.available(workflow.RANKING, ranking_list.state, roles)]
    try:
        version = effective_version(ranking_list.cycle)
        parameter = version.param("ranking")
        settings = dict(parameter.value or {})
        title = next((c.title.get(lang) for c in version.clauses if c.id == parameter.clause), parameter.clause)
        return ListView(ranking_list, entries, version, parameter, settings, _scale(version, settings, lang), title,
                        roles, actions, methods=version.param("methods_by_group"))
    except MethodologyError as exc:
        return ListView(ranking_list, entries, None, None, {}, [], "", roles, actions, error=str(exc))


def cycles_of(body: StateBody) -> QuerySet[EvaluationCycle]:
    return EvaluationCycle.objects.filter(body=body).order_by("-period_start", "-pk")
