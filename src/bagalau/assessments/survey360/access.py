"""Who may do what with a 360 survey. HR (or the system administrator) runs it; a rater may only
see and answer their own questionnaire; the report is for the servant evaluated and HR."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from bagalau.cycles.access import servant_id_of
from bagalau.orgs.access import has_role, require_role
from bagalau.orgs.models import Role, StateBody

MANAGERS = (Role.HR, Role.ADMIN)
READERS = (Role.HR, Role.ADMIN, Role.AUDITOR)


def require_hr(actor: Any, body: StateBody, *, action: str) -> str:
    return require_role(actor, body, MANAGERS, action=action)


def can_manage(user: Any, body: StateBody) -> bool:
    return has_role(user, body, MANAGERS)


def can_read_all(user: Any, body: StateBody) -> bool:
    return has_role(user, body, READERS)


def require_reader(user: Any, body: StateBody) -> str:
    """The body's list of surveys and each survey's page are HR's work and the auditor's reading;
    anyone else is refused by name (403) on the page and in the API alike, not shown an empty list."""
    return require_role(user, body, READERS, action=_("read the body's 360 surveys"))


def require_report_reader(user: Any, body: StateBody, survey: Any) -> str:
    """The servant evaluated reads their own report; HR and the administrator read every one."""
    if has_role(user, body, MANAGERS):
        return Role.HR if has_role(user, body, (Role.HR,)) else Role.ADMIN
    if servant_id_of(user, body) == survey.servant_id:
        return Role.SERVANT
    raise PermissionDenied(_("Not allowed: only the servant evaluated and the HR service read a 360 report."))


def require_rater(user: Any, body: StateBody, assignment: Any) -> None:
    if servant_id_of(user, body) != assignment.rater_id:
        raise PermissionDenied(_("Not allowed: this questionnaire was sent to another rater."))
