"""G2025 rules (spec 5.5): the annual result, who evaluates, how long records are kept.

The annual result is the automatic average of the quarterly evaluations (verified); the quarterly
scale is not verified, so the scores are taken as given. A seconded servant is evaluated by the
host body, an absent evaluator by the person substituting for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from statistics import fmean

from bagalau.methodology.decision import Decision
from bagalau.methodology.eligibility import add_months
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import use


def annual_from_quarters(version: MethodologyVersion, scores: Sequence[float],
                         on: dt.date | None = None) -> Decision:
    used = use(version, on)
    rule = used("annual.score")
    if len(scores) != rule["periods"]:
        raise InvalidInput("scores", f"the annual result averages {rule['periods']} quarterly scores, "
                                     f"got {len(scores)}")
    for i, s in enumerate(scores):
        if isinstance(s, bool) or not isinstance(s, int | float):
            raise InvalidInput(f"scores[{i}]", f"must be a number, got {s!r}")
    return used.decide(round(fmean(scores), 4), inputs={"scores": list(scores)},
                       details={"method": rule["method"]})


def evaluating_party(version: MethodologyVersion, seconded: bool, evaluator_absent: bool,
                     on: dt.date | None = None) -> Decision:
    """Who evaluates: the host body for a seconded servant, else the substitute of an absent
    evaluator, else the usual evaluator."""
    used = use(version, on)
    if seconded:
        return used.decide(used("evaluators.seconded_servant"), inputs={"seconded": True})
    if evaluator_absent:
        return used.decide(used("evaluators.absent_evaluator"), inputs={"evaluator_absent": True})
    return used.decide("evaluator", used.version.param("evaluators.absent_evaluator").clause,
                       inputs={"seconded": False, "evaluator_absent": False})


def retention_until(version: MethodologyVersion, evaluation_end: dt.date, on: dt.date | None = None) -> Decision:
    """Last day the evaluation documents must be kept (years counted from the end of the evaluation)."""
    used = use(version, on)
    years = used("records.retention_years")
    return used.decide(add_months(evaluation_end, 12 * years), inputs={"evaluation_end": evaluation_end})
