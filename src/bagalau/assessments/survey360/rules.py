"""The methodology version of a survey and the core's rules, as the Django side calls them: a
refusal of the core becomes a ValidationError naming the field (cycles.errors.run_core)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bagalau.cycles.errors import core_error
from bagalau.lawbook.selectors import version_for
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion
from bagalau.orgs.models import StateBody


def version_on(body: StateBody, day: dt.date, field: str = "methodology_version") -> MethodologyVersion:
    """The body's effective version on `day` (its own act's values applied by the lawbook)."""
    try:
        return version_for(body, day)
    except MethodologyError as exc:
        raise core_error(exc, field) from exc


def version_of(survey: Any) -> MethodologyVersion:
    """The version a survey is pinned to: the body's on the survey's snapshot day."""
    return version_on(survey.body, survey.snapshot_on)


def rater_problems(check: Any) -> list[str]:
    """The core's rater check (`survey360.check_raters`) as sentences in the active language, each
    with the clause, naming the roles by their labels."""
    from django.utils.translation import gettext as _

    from bagalau.assessments.survey360.models import RaterRole

    def label(role: str) -> str:
        return str(RaterRole(role).label) if role in RaterRole.values else role

    counts = dict(check.inputs.get("by_role", {}))
    details = check.details
    total = sum(n for role, n in counts.items() if role in details["allowed_roles"])
    out = []
    for p in check.problems:
        role = p.field.partition(".")[2]  # "raters.<role>" for the problems of one role
        if p.code == "ROLE_NOT_ALLOWED":
            text = _("%(role)s does not rate this group of positions.") % {"role": label(role)}
        elif p.code == "BELOW_MIN_PER_ROLE":
            text = _("%(role)s: %(n)s assigned, at least %(min)s required.") % {
                "role": label(role), "n": counts.get(role, 0), "min": details["min_raters"].get(role, 0)}
        elif p.code == "BELOW_ANONYMITY_THRESHOLD":
            text = _("%(n)s raters: at least %(min)s are needed before any result can be shown.") % {
                "n": total, "min": details["min_responses"]}
        elif p.code == "ABOVE_MAX":
            text = _("%(n)s raters: at most %(max)s.") % {"n": total, "max": details["max_raters"]}
        else:
            text = p.message
        out.append(f"{text} ({check.clause})")
    return out
