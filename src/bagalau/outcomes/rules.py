"""The outcomes' calls into the rules core, each turned into plain values or a ValidationError
naming the field, the rule and the clause.

Which version: a result carries the version its meeting ran under (`FinalResult.methodology_version`,
made effective with the body's own parameters): familiarization, the refusal act, the appeal window
and the uses of the result all follow it.

The refusal act and the delivery to a refuser are set by the G2018 text (S0-p.40); the typical
G2023 version carries them modelled on it and flagged unverified, and a body whose act says
otherwise sets its own values in its adoption (lawbook local parameters). A version that sets
neither refuses the act with the clause it lacks: a rule is never borrowed from another version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from bagalau.assessments.survey360 import services as survey360_services
from bagalau.cycles.errors import core_error
from bagalau.lawbook.selectors import version_named as body_version_named
from bagalau.lawbook.selectors import working_calendar
from bagalau.methodology import appeal as appeal_core
from bagalau.methodology import deadlines, familiarization, uses
from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.explain import render_deadline
from bagalau.methodology.model import LANGUAGES, MethodologyVersion
from bagalau.orgs.models import StateBody

APPEAL_RULE = "appeal_last_day"
FAMILIARIZATION_RULE = "familiarization_due"


def run(call: Any, *args: Any, field: str = "__all__", **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except MethodologyError as exc:
        raise core_error(exc, field) from exc


def version_of(body: StateBody, version_id: str, on: dt.date | None = None) -> MethodologyVersion:
    """The effective version `version_id` for the body (its own parameters applied)."""
    try:
        return body_version_named(body, version_id, on)
    except MethodologyError as exc:
        raise core_error(exc, "version") from exc


@dataclass(frozen=True)
class Due:
    on: dt.date
    rule: str
    clause: str
    explanation: dict[str, Any] = field(default_factory=dict)


def due(version: MethodologyVersion, rule_id: str, anchor: dt.date, *, field_name: str = "__all__") -> Due:
    decision = run(deadlines.compute_deadline, version, rule_id, anchor, working_calendar(), field=field_name)
    lines = {lang: render_deadline(decision, lang) for lang in LANGUAGES}
    return Due(decision.value, rule_id, decision.clause, {"decision": decision.as_dict(), "lines": lines})


def appeal_last_day(version: MethodologyVersion, decision_on: dt.date) -> Due:
    """The last day to appeal, counted from the commission decision (S1-p.70, Q-08)."""
    return due(version, APPEAL_RULE, decision_on, field_name="filed_on")


def timeliness(version: MethodologyVersion, decision_on: dt.date, filed_on: dt.date,
               familiarized_on: dt.date | None) -> Decision:
    return run(appeal_core.appeal_timeliness, version, decision_on, filed_on, familiarized_on, working_calendar(),
               field="filed_on")


def working_days_left(today: dt.date, last: dt.date) -> int:
    if today > last:
        return 0
    return int(working_calendar().working_days_between(today, last).value)


def remote_channels(version: MethodologyVersion, on: dt.date) -> Decision:
    """The channels that record a remote notice (S1-p.12 para 2, p.69)."""
    return run(familiarization.channels, version, False, on, field="channel")


def _rule(version: MethodologyVersion, call: Any, *args: Any, field_name: str) -> Decision:
    try:
        return call(version, *args)
    except MethodologyError as exc:
        raise core_error(exc, field_name) from exc


def refusal_act(version: MethodologyVersion, hr_specialists: int, other_servants: int, on: dt.date) -> Decision:
    """VALID or INVALID: the act's signatures against the rule (S0-p.40)."""
    return _rule(version, familiarization.check_refusal_act, hr_specialists, other_servants, on,
                 field_name="witnesses")


def refuser_channels(version: MethodologyVersion, on: dt.date) -> Decision:
    """Where the result goes for a servant who refused (S0-p.40 para 2)."""
    return _rule(version, familiarization.channels, True, on, field_name="channel")


def check_outcome(version: MethodologyVersion, outcome: str, on: dt.date) -> Decision:
    return run(appeal_core.check_outcome, version, outcome, on, field="outcome")


def outcome_codes(version: MethodologyVersion) -> list[dict[str, Any]]:
    try:
        return list(version.value("appeal.outcomes"))
    except MethodologyError:
        return []


def venues(version: MethodologyVersion, on: dt.date) -> Decision:
    return run(appeal_core.venues, version, on, field="venue")


def may_use(version: MethodologyVersion, basis: str, purpose: str, on: dt.date) -> Decision:
    """Whether a result of type `basis` may found a decision on `purpose` (S1-p.9). A 360 result is
    judged by the 360 survey's own door, the one its API answers with: one refusal, one clause."""
    if basis == "method_360":
        return survey360_services.require_use_under(version, purpose, on, field="basis")
    decision = run(uses.may_use, version, basis, purpose, on, field="basis")
    if not decision.value:
        allowed = ", ".join(decision.details.get("allowed_purposes") or []) or _("none")
        raise ValidationError({"basis": _("A %(basis)s result cannot be the basis of a %(purpose)s proposal under "
                                          "%(clause)s (allowed: %(allowed)s).")
                               % {"basis": basis.replace("_", " "), "purpose": purpose, "clause": decision.clause,
                                  "allowed": allowed}})
    return decision


def clause_of(version: MethodologyVersion, key: str) -> str:
    try:
        return version.param(key).clause
    except MethodologyError:
        return ""
