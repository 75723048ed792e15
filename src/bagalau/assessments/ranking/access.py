"""Who acts on a ranking list, from the list's snapshot people and the body's grants.

The evaluator and the superior are the servants recorded on the list (taken from the cycle's
snapshot); a user acts as one of them through the login linked to that servant record. HR, the
authorized person and the auditor read every list of the body; nobody reads another body's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bagalau.assessments.ranking.models import RankingList
from bagalau.cycles.access import BODY_READERS, servant_id_of
from bagalau.cycles.workflow import DIRECT_MANAGER, HR, REVIEWER
from bagalau.orgs.access import roles_for
from bagalau.orgs.models import Role, StateBody

ROLE_LABELS = {
    DIRECT_MANAGER: gettext_noop("evaluator"),
    REVIEWER: gettext_noop("superior"),
    HR: gettext_noop("HR service"),
}


def list_roles(user: Any, body: StateBody, ranking_list: RankingList) -> frozenset[str]:
    roles: set[str] = set()
    sid = servant_id_of(user, body)
    if sid is not None:
        if ranking_list.evaluator_id == sid:
            roles.add(DIRECT_MANAGER)
        if ranking_list.reviewer_id == sid:
            roles.add(REVIEWER)
    if Role.HR in roles_for(user, body):
        roles.add(HR)
    return frozenset(roles)


def require(user: Any, body: StateBody, ranking_list: RankingList, role: str, *, action: str) -> None:
    if role not in list_roles(user, body, ranking_list):
        raise PermissionDenied(
            _("Not allowed: %(action)s is done by the %(role)s of this ranking list.")
            % {"action": action, "role": _(ROLE_LABELS[role])})


def require_hr(user: Any, body: StateBody, *, action: str) -> None:
    if Role.HR not in roles_for(user, body):
        raise PermissionDenied(_("Not allowed: %(action)s is done by the HR service.") % {"action": action})


def is_body_reader(user: Any, body: StateBody) -> bool:
    return bool(roles_for(user, body) & set(BODY_READERS))


def may_read(user: Any, body: StateBody, ranking_list: RankingList) -> bool:
    return ranking_list.body_id == body.pk and (
        is_body_reader(user, body) or bool(list_roles(user, body, ranking_list)))


def list_roles_hr(user: Any, body: StateBody) -> frozenset[str]:
    """{"hr"} when `user` holds the HR role in `body` (the pages' prepare button)."""
    return frozenset({HR}) if Role.HR in roles_for(user, body) else frozenset()
