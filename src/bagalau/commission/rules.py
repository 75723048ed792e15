"""The commission's calls into the rules core, in one place, each turned into plain values or a
ValidationError that names the field, the rule and the clause.

The core decides (methodology.commission, methodology.deadlines); this module only picks the
version, builds the core's inputs from rows and words the refusals. Where a version leaves an
optional parameter out (typical-g2023 sets no `commission.member_replacement`,
`commission.documents`, `commission.revision_record` or `commission.schedule_agreed_with`; Koksu
sets them all), the same rule is applied here with the clause of the nearest parameter the version
does set, and the fallback is named in the decision's details, so nothing legal is invented: the
rule is the text's (S1-p.59, p.64, p.66), only its clause id is borrowed.

Which version: an order is checked under the body's version on the order date; a meeting pins the
body's version on the meeting date (procedural steps follow the version of their day, Q-11) and
every later step of that meeting uses it. The original result of an agenda item keeps the clause
of the cycle's own version.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.cycles.errors import core_error
from bagalau.lawbook.selectors import version_for, working_calendar
from bagalau.methodology import commission as core
from bagalau.methodology import deadlines
from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.explain import render_deadline
from bagalau.methodology.model import LANGUAGES, MethodologyVersion
from bagalau.methodology.rulebase import problem
from bagalau.methodology.versions import get_version
from bagalau.orgs.models import StateBody

NOTICE_RULE = "commission_notice_by"
FAMILIARIZATION_RULE = "familiarization_due"
REPLACEMENT_BY = "authorized_person_order_amendment"
DOCUMENTS = ("evaluation_sheets", "draft_protocol")


def run(call: Any, *args: Any, field: str = "__all__", **kwargs: Any) -> Any:
    """Run a rule of the core; its refusal becomes a ValidationError naming `field`."""
    try:
        return call(*args, **kwargs)
    except MethodologyError as exc:
        raise core_error(exc, field) from exc


def version_on(body: StateBody, on: dt.date, *, field: str = "__all__") -> MethodologyVersion:
    """The version the body had adopted on `on`, or a ValidationError naming `field`."""
    try:
        return version_for(body, on)
    except MethodologyError as exc:
        raise ValidationError({field: _("No methodology version of this body is in force on %(date)s: %(problem)s")
                               % {"date": on.isoformat(), "problem": str(exc)}}) from exc


def version_named(version_id: str) -> MethodologyVersion:
    return run(get_version, version_id)


def has_param(version: MethodologyVersion, key: str) -> bool:
    try:
        version.param(key)
    except MethodologyError:
        return False
    return True


def clause(version: MethodologyVersion, *keys: str) -> str:
    """The clause of the first of `keys` the version sets ("" if none)."""
    for key in keys:
        if has_param(version, key):
            return version.param(key).clause
    return ""


def min_members(version: MethodologyVersion) -> tuple[int, str]:
    p = run(version.param, "commission.min_members")
    return int(p.value), p.clause


# -- composition and replacement -------------------------------------------------------------------

def composition(version: MethodologyVersion, members: Sequence[str], chair: str, secretary: str,
                on: dt.date) -> Decision:
    """The core's VALID/INVALID on the composition (S0-p.5, S1-p.62)."""
    return run(core.check_composition, version, list(members), chair, secretary, on, field="members")


def replacement(version: MethodologyVersion, on: dt.date) -> Decision | None:
    """The core's check that a replacement goes through an amending order (S1-p.59), or None when
    the version does not set the parameter (the service then cites `commission.min_members`)."""
    if not has_param(version, "commission.member_replacement"):
        return None
    return run(core.check_member_replacement, version, REPLACEMENT_BY, on, field="amends")


# -- dates -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    """A computed date with the rule, clause and the day-by-day count it came from."""

    on: dt.date
    rule: str
    clause: str
    explanation: dict[str, Any] = field(default_factory=dict)

    @property
    def lines(self) -> dict[str, list[str]]:
        return self.explanation.get("lines", {})


def due(version: MethodologyVersion, rule_id: str, anchor: dt.date, *, field_name: str = "__all__") -> Due:
    calendar = working_calendar()
    decision = run(deadlines.compute_deadline, version, rule_id, anchor, calendar, field=field_name)
    lines = {lang: render_deadline(decision, lang) for lang in LANGUAGES}
    return Due(on=decision.value, rule=rule_id, clause=decision.clause,
               explanation={"decision": decision.as_dict(), "lines": lines})


def notice_due(version: MethodologyVersion, meeting_on: dt.date) -> Due:
    """The last day to notify the evaluators, counted back from the meeting (S1-p.57, Q-06)."""
    return due(version, NOTICE_RULE, meeting_on, field_name="meeting_on")


def familiarization_due(version: MethodologyVersion, approved_on: dt.date) -> Due:
    """Familiarization within the version's working days of the approval (S1-p.68, Q-07)."""
    return due(version, FAMILIARIZATION_RULE, approved_on, field_name="approved_on")


def working_day(day: dt.date) -> tuple[bool, str]:
    """Whether `day` is a working day, and the reason code of the calendar."""
    status = working_calendar().day(day)
    return status.working, status.reason


# -- the sitting -----------------------------------------------------------------------------------

def quorum(version: MethodologyVersion, members: int, present: int, on: dt.date) -> Decision:
    """Two thirds of the composition, rounded up (S1-p.58); the secretary counted in neither."""
    return run(core.quorum, version, members, present, on, field="present")


def count_votes(version: MethodologyVersion, sitting: core.Sitting, votes: Mapping[str, str],
                evaluated: str | None, on: dt.date) -> Decision:
    return run(core.count_votes, version, sitting, dict(votes), evaluated, on, field="votes")


def decision_options(version: MethodologyVersion) -> tuple[str, ...]:
    return tuple(run(version.value, "commission.decision_options"))


def rating_codes(version: MethodologyVersion) -> tuple[str, ...]:
    return tuple(run(version.value, "rating_labels"))


def rating_label(version: MethodologyVersion, code: str, lang: str) -> str:
    labels = run(version.value, "rating_labels")
    label = labels.get(code)
    if not label:
        return code
    return label.get(lang) or label.get("kk") or code


def check_revision(version: MethodologyVersion, corrected: str, reason: str, on: dt.date) -> Decision:
    """A "revise" vote carries the corrected result (one of the version's rating codes) and its
    reason (S1-p.66, spec 7). VALID or INVALID with the problems, each with its clause."""
    if has_param(version, "commission.revision_record"):
        return run(core.check_revision, version, corrected or None, reason, on, field="corrected_result")
    used_clause = clause(version, "commission.decision_options")
    problems: list[Problem] = []
    codes = rating_codes(version)
    if corrected not in codes:
        problems.append(problem("corrected_result", "revision_rating",
                                f"a revision needs the corrected rating, one of {', '.join(codes)}", used_clause))
    if not reason.strip():
        problems.append(problem("reason", "revision_justification", "a revision needs its justification",
                                     used_clause))
    return Decision(value="VALID" if not problems else "INVALID", clause=used_clause, version_id=version.id,
                    verified=False, problems=tuple(problems), inputs={"corrected_rating": corrected},
                    details={"recorded_in": "protocol_correction_column",
                             "fallback": "commission.decision_options"})


def documents(version: MethodologyVersion, present: Sequence[str], on: dt.date) -> Decision:
    """Whether HR brought what the sitting needs: the sheets and the draft protocol (S1-p.64)."""
    if has_param(version, "commission.documents"):
        return run(core.check_session_documents, version, list(present), on, field="documents")
    used_clause = clause(version, "deadlines.hr_to_commission_due", "commission.decision_options")
    missing = [d for d in DOCUMENTS if d not in present]
    problems = tuple(problem("documents", "missing_document", f"{d} is missing", used_clause) for d in missing)
    return Decision(value="VALID" if not problems else "INVALID", clause=used_clause, version_id=version.id,
                    verified=False, problems=problems, details={"missing": missing, "fallback": "documents"})


def approval(version: MethodologyVersion, on: dt.date) -> tuple[str, str]:
    """(who approves, clause): the authorized person (S1-p.67)."""
    if has_param(version, "commission.final_approval_by"):
        decided = run(core.final_approver, version, on)
        return decided.value, decided.clause
    return "authorized_person", clause(version, "commission.decision_options")


def correction(revise_votes: Mapping[str, str], chair: str) -> tuple[str | None, bool]:
    """The corrected result of a "revise" decision from the values the revising members proposed:
    the value most of them gave; on a tie between values, the chair's (his vote decides a tie,
    S1-p.61), if he voted to revise. (None, False) when that does not settle it: the members vote
    again. Returns (value, decided_by_the_chair)."""
    if not revise_votes:
        return None, False
    ranked = Counter(revise_votes.values()).most_common()
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return ranked[0][0], False
    top = {value for value, n in ranked if n == ranked[0][1]}
    chair_value = revise_votes.get(chair)
    if chair_value in top:
        return chair_value, True
    return None, False
