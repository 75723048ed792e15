"""The 360 survey's workflow as an explicit transition table: STATE x ACTION -> STATE, with the
role allowed to make the move (DESIGN.md section 2).

HR assigns raters while the survey is a draft, sends the questionnaires (open), may still add or
withdraw a rater who has not answered, and closes it; the survey also closes itself when the last
rater answers ("system"). Raters only submit, while it is open. Closing freezes the result: there
is no move out of closed, so nobody can watch the aggregate change answer by answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.assessments.survey360.models import SurveyState
from bagalau.workflow import Table, Workflow, t

HR = "hr"
RATER = "rater"
SYSTEM = "system"
ROLES = (HR, RATER, SYSTEM)

SURVEY = "survey360"
S = SurveyState

SURVEY_TABLE = Table(
    SURVEY,
    states=tuple(SurveyState.values),
    actions=("assign", "withdraw", "open", "submit", "close", "cancel"),
    transitions=(
        t(S.DRAFT, "assign", S.DRAFT, HR),
        t(S.DRAFT, "withdraw", S.DRAFT, HR),
        t(S.DRAFT, "open", S.OPEN, HR),
        t(S.DRAFT, "cancel", S.CANCELLED, HR),
        t(S.OPEN, "assign", S.OPEN, HR),
        t(S.OPEN, "withdraw", S.OPEN, HR),
        t(S.OPEN, "submit", S.OPEN, RATER),
        t(S.OPEN, "close", S.CLOSED, (HR, SYSTEM)),
        t(S.OPEN, "cancel", S.CANCELLED, HR),
    ),
)


class IllegalMove(ValidationError):
    """The table has no such move from the survey's state, or not for this role. Unlike the other
    apps' IllegalTransition it is a plain refusal of the `state` field (the API answers 422)."""

    def __init__(self, doc_type: str, state: str, action: str, roles: Iterable[str]) -> None:
        role = ", ".join(sorted(roles))
        self.state, self.action, self.role = state, action, role
        super().__init__({"state": _("A 360 survey in the state “%(state)s” does not allow “%(action)s” "
                                     "(%(role)s).") % {"state": SurveyState(state).label, "action": action,
                                                       "role": role}})


WORKFLOW = Workflow(ROLES, SURVEY_TABLE, refusal=IllegalMove)
fire = WORKFLOW.fire
