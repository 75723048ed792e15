"""The 360 survey's workflow as an explicit transition table: STATE x ACTION -> STATE, with the
role allowed to make the move (DESIGN.md section 2).

HR assigns raters while the survey is a draft, sends the questionnaires (open), may still add or
withdraw a rater who has not answered, and closes it; the survey also closes itself when the last
rater answers ("system"). Raters only submit, while it is open. Closing freezes the result: there
is no move out of closed, so nobody can watch the aggregate change answer by answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.assessments.survey360.models import SurveyState

HR = "hr"
RATER = "rater"
SYSTEM = "system"
ROLES = (HR, RATER, SYSTEM)

S = SurveyState


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: tuple[str, ...]


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, "assign", S.DRAFT, (HR,)),
    Transition(S.DRAFT, "withdraw", S.DRAFT, (HR,)),
    Transition(S.DRAFT, "open", S.OPEN, (HR,)),
    Transition(S.DRAFT, "cancel", S.CANCELLED, (HR,)),
    Transition(S.OPEN, "assign", S.OPEN, (HR,)),
    Transition(S.OPEN, "withdraw", S.OPEN, (HR,)),
    Transition(S.OPEN, "submit", S.OPEN, (RATER,)),
    Transition(S.OPEN, "close", S.CLOSED, (HR, SYSTEM)),
    Transition(S.OPEN, "cancel", S.CANCELLED, (HR,)),
)
STATES = tuple(SurveyState.values)
ACTIONS = ("assign", "withdraw", "open", "submit", "close", "cancel")


def _check_table() -> None:
    seen: set[tuple[str, str]] = set()
    for t in TRANSITIONS:
        assert t.source in STATES and t.target in STATES and t.action in ACTIONS, t
        assert set(t.roles) <= set(ROLES), t
        assert (t.source, t.action) not in seen, t
        seen.add((t.source, t.action))


_check_table()


class IllegalMove(ValidationError):
    """The table has no such move from the survey's state, or not for this role."""

    def __init__(self, state: str, action: str, role: str) -> None:
        self.state, self.action, self.role = state, action, role
        super().__init__({"state": _("A 360 survey in the state “%(state)s” does not allow “%(action)s” "
                                     "(%(role)s).") % {"state": SurveyState(state).label, "action": action,
                                                       "role": role}})


def fire(state: str, action: str, role: str) -> Transition:
    for t in TRANSITIONS:
        if t.source == state and t.action == action:
            if role not in t.roles:
                raise IllegalMove(state, action, role)
            return t
    raise IllegalMove(state, action, role)
