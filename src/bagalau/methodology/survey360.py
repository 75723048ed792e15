"""The 360 method: scoring the questionnaires on the version's competency matrix (spec 5.3).

Scale, rater roles, aggregation and the anonymity threshold are version parameters (unverified
background values where the text is silent, Q-02). Anonymity is enforced in the result itself,
not left to the screen: below the threshold of responses nothing is scored, and the per-role
breakdown is shown only when every role group present reaches the threshold, because a single
small group could otherwise be read off by subtracting the others from the total.

360 results do not feed bonuses or personnel decisions in G2023 (S1-p.9): see `uses.may_use`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import InvalidInput, ParameterNotSet
from bagalau.methodology.model import CompetencyMatrix, MethodologyVersion, group_for
from bagalau.methodology.rulebase import use

INSUFFICIENT = "INSUFFICIENT_RESPONSES"


@dataclass(frozen=True)
class Response360:
    """One anonymous questionnaire: the rater's role and an answer per (competency id, indicator
    ordinal). Binary scale answers are "effective" / "ineffective"; Likert answers are integers."""

    rater_role: str
    answers: Mapping[tuple[str, int], Any]


def _normalized(scale: Mapping[str, Any], answer: Any, where: str) -> float:
    if scale["kind"] == "binary":
        if answer not in ("effective", "ineffective"):
            raise InvalidInput(where, f"binary scale answers are effective/ineffective, got {answer!r}")
        return 1.0 if answer == "effective" else 0.0
    lo, hi = scale["min"], scale["max"]
    if isinstance(answer, bool) or not isinstance(answer, int) or not lo <= answer <= hi:
        raise InvalidInput(where, f"answers are whole numbers {lo}..{hi}, got {answer!r}")
    return (answer - lo) / (hi - lo)


def _competency_means(matrix: CompetencyMatrix, group: str, scale: Mapping[str, Any],
                      responses: Sequence[Response360]) -> dict[str, float]:
    """Mean over respondents of each respondent's mean over the competency's indicators."""
    valid = matrix.indicators(group)
    per_comp: dict[str, list[float]] = {}
    for n, response in enumerate(responses):
        mine: dict[str, list[float]] = {}
        for (comp, ordinal), answer in response.answers.items():
            if comp not in valid or not 1 <= ordinal <= len(valid[comp]):
                raise InvalidInput(f"responses[{n}].answers", f"no indicator {comp}/{ordinal} for group {group}")
            mine.setdefault(comp, []).append(_normalized(scale, answer, f"responses[{n}].answers"))
        for comp, values in mine.items():
            per_comp.setdefault(comp, []).append(fmean(values))
    return {comp: round(fmean(values), 4) for comp, values in per_comp.items()}


def score_360(version: MethodologyVersion, is_head: bool, responses: Sequence[Response360],
              on: dt.date | None = None) -> Decision:
    """The 360 index (0..1) of one evaluated servant, with competency scores and training needs.

    The group (heads / non-heads) comes from the head flag, never from the category code.
    """
    used = use(version, on)
    settings = used("survey360")
    matrix = version.competencies
    if matrix is None:
        raise ParameterNotSet(version.id, "competencies", version.competencies_note)
    used.clause(matrix.clause)
    group = group_for(is_head)
    allowed_roles = settings["rater_roles"][group]
    for n, r in enumerate(responses):
        if r.rater_role == "self" and not settings["self_rating"]:
            raise InvalidInput(f"responses[{n}].rater_role", "self-rating is not part of this 360")
        if r.rater_role not in allowed_roles:
            raise InvalidInput(f"responses[{n}].rater_role",
                               f"{r.rater_role!r} does not rate the {group} group ({', '.join(allowed_roles)})")
    threshold = settings["anonymity_min_responses"]
    inputs = {"is_head": is_head, "responses": len(responses)}
    if len(responses) < threshold:
        return used.decide(
            None, inputs=inputs,
            details={"status": INSUFFICIENT, "group": group, "min_responses": threshold},
            warnings=(f"{len(responses)} responses, fewer than {threshold}: nothing is shown (anonymity)",),
        )
    scores = _competency_means(matrix, group, settings["scale"], responses)
    index = round(fmean(scores.values()), 4) if scores else None
    by_role_counts: dict[str, int] = {}
    for r in responses:
        by_role_counts[r.rater_role] = by_role_counts.get(r.rater_role, 0) + 1
    warnings: list[str] = []
    by_role: dict[str, Any] | None = None
    if all(c >= threshold for c in by_role_counts.values()):
        by_role = {
            role: _competency_means(matrix, group, settings["scale"],
                                    [r for r in responses if r.rater_role == role])
            for role in by_role_counts
        }
    else:
        warnings.append(f"per-role results withheld: a role group has fewer than {threshold} responses")
    need_below = settings["training_need_below"]
    return used.decide(
        index, inputs=inputs,
        details={
            "status": "SCORED", "group": group, "competencies": scores, "by_role": by_role,
            "training_needs": sorted(c for c, s in scores.items() if s < need_below),
        },
        warnings=tuple(warnings),
    )
