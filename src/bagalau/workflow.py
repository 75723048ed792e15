"""The engine behind every workflow: STATE x ACTION -> STATE transition tables, with the roles
allowed to make each move (DESIGN.md section 2).

Each app declares its own roles and tables in its `workflow.py` (cycles, commission, outcomes,
ranking, 360 survey) and binds them in one `Workflow`; this module holds what they share, so a
move is checked, refused and traced to its clause the same way in every app:

* a `Transition` names one or several roles (the protocol is signed by the chair, the members and
  the secretary) and the version parameters its clause comes from, first one the version sets
  wins (typical-g2023 has no `commission.member_replacement`, the move then cites the next one);
* a `Table` refuses at import a move with an unknown state or action, or two moves for one cell;
* `Workflow.fire` answers the transition and the role (of those held) it is made in, or raises
  the app's refusal: an `IllegalTransition` (the API answers 409) unless the app keeps its own;
* `clause_of` turns a transition into the clause of the version in use, never typed in Python.

Nothing else changes a document's state: services call `fire()` and store its target. `edit` and
the other self-moves say who may change a document's content in which state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion


def _held(roles: str | Iterable[str]) -> frozenset[str]:
    return frozenset({roles} if isinstance(roles, str) else roles)


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    roles: frozenset[str]
    params: tuple[str, ...] = ()  # the version parameters the clause comes from, first one set wins
    # The parameter of the variant where the first head is the direct manager (S1-p.46, p.52).
    first_head_param: str = ""

    @property
    def param(self) -> str:
        """The move's own parameter ("" for a move no clause governs)."""
        return self.params[0] if self.params else ""


def t(source: str, action: str, target: str, roles: str | Iterable[str], *params: str,
      first_head_param: str = "") -> Transition:
    """A transition, written the way the tables read: `t(DRAFT, "submit", SUBMITTED, DIRECT_MANAGER, "param")`."""
    return Transition(source, action, target, _held(roles), params, first_head_param)


@dataclass(frozen=True)
class Table:
    """The moves of one document type."""

    doc_type: str
    states: tuple[str, ...]
    actions: tuple[str, ...]
    transitions: tuple[Transition, ...]

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for tr in self.transitions:
            if tr.source not in self.states or tr.target not in self.states or tr.action not in self.actions:
                raise ValueError(f"{self.doc_type}: {tr} uses an unknown state or action")
            if (tr.source, tr.action) in seen:
                raise ValueError(f"{self.doc_type}: two transitions for {tr.source} x {tr.action}")
            seen.add((tr.source, tr.action))

    def get(self, state: str, action: str) -> Transition | None:
        return next((tr for tr in self.transitions if tr.source == state and tr.action == action), None)

    def roles_for(self, action: str) -> frozenset[str]:
        """Every role that makes `action` in some state."""
        return frozenset().union(*(tr.roles for tr in self.transitions if tr.action == action))

    def role_for(self, action: str) -> str:
        """The one role that makes `action`, for the tables where each action has one (plans, sheets,
        ranking lists); ValueError when there are several."""
        roles = self.roles_for(action)
        if len(roles) != 1:
            raise ValueError(f"{self.doc_type}: action {action!r} has roles {set(roles)}")
        return next(iter(roles))

    def targets(self, action: str) -> set[str]:
        return {tr.target for tr in self.transitions if tr.action == action}


class IllegalTransition(ValidationError):
    """A move the table does not allow; the message names the document, state, action and role(s).

    A ValidationError with code "illegal_transition": the API's handler answers it with 409. An app
    whose pages name its documents differently from their type subclasses it with its `labels`."""

    labels: ClassVar[Mapping[str, str]] = {}

    def __init__(self, doc_type: str, state: str, action: str, roles: str | Iterable[str]) -> None:
        held = sorted(_held(roles))
        self.doc_type, self.state, self.action, self.roles = doc_type, state, action, tuple(held)
        super().__init__(
            _("Not allowed: %(doc)s in state “%(state)s” cannot take the action “%(action)s” "
              "by the role “%(role)s”.")
            % {"doc": self.labels.get(doc_type, doc_type), "state": state, "action": action,
               "role": ", ".join(held) or "-"},
            code="illegal_transition",
        )


# What a workflow raises for a move its tables refuse: (doc_type, state, action, roles held).
Refusal = Callable[[str, str, str, frozenset[str]], Exception]


class Workflow:
    """An app's tables and the roles they name, in the order a move made by someone holding several
    is recorded in (the audit then names a stable role)."""

    def __init__(self, roles: tuple[str, ...], *tables: Table, refusal: Refusal = IllegalTransition) -> None:
        for table in tables:
            for tr in table.transitions:
                if not tr.roles or not tr.roles <= set(roles):
                    raise ValueError(f"{table.doc_type}: {tr} uses an unknown role")
        self.roles = roles
        self.tables = {table.doc_type: table for table in tables}
        self.refusal = refusal

    def table(self, doc_type: str) -> Table:
        try:
            return self.tables[doc_type]
        except KeyError:
            raise ValueError(f"unknown document type {doc_type!r}; known: {', '.join(self.tables)}") from None

    def fire(self, doc_type: str, state: str, action: str, roles: str | Iterable[str]) -> tuple[Transition, str]:
        """The transition for `state x action` and the role (of those held) it is made in, or the
        workflow's refusal."""
        held = _held(roles)
        tr = self.table(doc_type).get(state, action)
        if tr is not None:
            for role in self.roles:
                if role in held and role in tr.roles:
                    return tr, role
        raise self.refusal(doc_type, state, action, held)

    def available(self, doc_type: str, state: str, roles: Iterable[str]) -> list[Transition]:
        """The moves open in `state` to someone holding `roles` (for the pages' buttons)."""
        held = _held(roles)
        return [tr for tr in self.table(doc_type).transitions if tr.source == state and tr.roles & held]


def clause_of(version: MethodologyVersion, transition: Transition, first_head_is_direct: bool = False) -> str:
    """The clause of the version's parameter the move rests on: the first-head variant when the first
    head is the direct manager and the move has one, else the first of its parameters the version
    sets ("" if none)."""
    if first_head_is_direct and transition.first_head_param:
        keys: tuple[str, ...] = (transition.first_head_param,)
    else:
        keys = transition.params
    for key in keys:
        try:
            return version.param(key).clause
        except MethodologyError:
            continue
    return ""
