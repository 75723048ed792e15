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

from bagalau.methodology.decision import Decision, Problem
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


# -- who is surveyed, the questionnaire, the raters and the answers --------------------------------

def applies_to(version: MethodologyVersion, is_head: bool, on: dt.date | None = None) -> Decision:
    """Whether a 360 is run for a servant of this group: required where `methods_by_group` names
    method_360 for the group, optional where the version's `survey360.optional_for` names it
    (spec 4.2: "no, or optional" for non-heads). Never decided by the category code (Q-23)."""
    used = use(version, on)
    group = group_for(is_head)
    by_group = used("methods_by_group")
    if "method_360" in by_group[group]:
        return used.decide(True, inputs={"is_head": is_head}, details={"group": group, "basis": "required"})
    settings = used("survey360")
    optional = settings.get("optional_for")
    warnings: tuple[str, ...] = ()
    if optional is None:
        warnings = (f"the version leaves open whether the {group} group may also have a 360; "
                    "the body's act has not filled survey360.optional_for",)
        optional = ()
    basis = "optional" if group in optional else "not_applicable"
    return used.decide(group in optional, inputs={"is_head": is_head},
                       details={"group": group, "basis": basis}, warnings=warnings)


def questionnaire(version: MethodologyVersion, is_head: bool, on: dt.date | None = None) -> Decision:
    """The questionnaire of one evaluated servant: every competency of the version's matrix with the
    indicators of the servant's group (head flag, S0-Annex 4 / the body's annex), and the scale."""
    used = use(version, on)
    settings = used("survey360")
    matrix = version.competencies
    if matrix is None:
        raise ParameterNotSet(version.id, "competencies", version.competencies_note)
    used.clause(matrix.clause)
    group = group_for(is_head)
    items = []
    for comp in matrix.competencies:
        indicators = comp.indicators.get(group, ())
        if not indicators:
            continue
        items.append({
            "id": comp.id, "name": comp.name.as_dict(),
            "indicators": [{"ordinal": i.ordinal, "effective": i.effective.as_dict(),
                            "ineffective": i.ineffective.as_dict() if i.ineffective else None}
                           for i in indicators],
        })
    return used.decide(
        items, clause=matrix.clause, inputs={"is_head": is_head},
        details={"group": group, "group_label": matrix.group(is_head).label.as_dict(),
                 "scale": dict(settings["scale"]), "matrix_verified": matrix.verified,
                 "indicator_count": sum(len(c["indicators"]) for c in items)},
    )


def check_raters(version: MethodologyVersion, is_head: bool, by_role: Mapping[str, int],
                 on: dt.date | None = None) -> Decision:
    """Whether the raters assigned (count per role) meet the version's rules: allowed roles, the
    minimum per role, the maximum, and at least the anonymity threshold in all (else no result can
    ever be shown). Value True when they do; each shortfall is a Problem naming the setting."""
    used = use(version, on)
    settings = used("survey360")
    group = group_for(is_head)
    allowed = settings["rater_roles"][group]
    problems = []
    for role, n in sorted(by_role.items()):
        if n and role not in allowed:
            problems.append(Problem(f"raters.{role}", "ROLE_NOT_ALLOWED",
                                    f"{role!r} does not rate the {group} group ({', '.join(allowed)})"))
    mins = (settings.get("min_raters") or {}).get(group, {})
    for role, need in sorted(mins.items()):
        if by_role.get(role, 0) < need:
            problems.append(Problem(f"raters.{role}", "BELOW_MIN_PER_ROLE",
                                    f"{role}: {by_role.get(role, 0)} assigned, at least {need} required"))
    total = sum(n for role, n in by_role.items() if role in allowed)
    threshold = settings["anonymity_min_responses"]
    if total < threshold:
        problems.append(Problem("raters", "BELOW_ANONYMITY_THRESHOLD",
                                f"{total} raters, fewer than the {threshold} responses needed to show any result"))
    most = settings.get("max_raters")
    if most is not None and total > most:
        problems.append(Problem("raters", "ABOVE_MAX", f"{total} raters, at most {most}"))
    return used.decide(
        not problems, inputs={"is_head": is_head, "by_role": dict(by_role)},
        details={"group": group, "allowed_roles": list(allowed), "min_raters": dict(mins),
                 "max_raters": most, "min_responses": threshold},
        problems=tuple(problems),
    )


def may_rate(version: MethodologyVersion, rater_role: str, is_head: bool, is_self: bool,
             on: dt.date | None = None) -> Decision:
    """Whether one person may rate in this role: never themself unless the version has
    self-rating, and only in a role the group's rater list names."""
    used = use(version, on)
    settings = used("survey360")
    group = group_for(is_head)
    if is_self and not settings["self_rating"]:
        return used.decide(False, inputs={"rater_role": rater_role, "is_self": True},
                           details={"reason": "SELF_RATING"})
    allowed = settings["rater_roles"][group]
    ok = rater_role in allowed
    return used.decide(ok, inputs={"rater_role": rater_role, "is_self": is_self},
                       details={"reason": "" if ok else "ROLE_NOT_ALLOWED", "allowed_roles": list(allowed)})


def checked_answers(version: MethodologyVersion, is_head: bool, answers: Mapping[str, Any]
                    ) -> dict[str, Any]:
    """One questionnaire's answers keyed "competency/ordinal", checked against the scale and the
    group's indicators. Every indicator must be answered: a complete questionnaire weighs every
    respondent equally in each competency (spec 5.3 aggregation) and leaves no pattern of skipped
    items that could tell respondents apart."""
    settings = version.value("survey360")
    matrix = version.competencies
    if matrix is None:
        raise ParameterNotSet(version.id, "competencies", version.competencies_note)
    group = group_for(is_head)
    expected = [f"{c}/{i.ordinal}" for c, inds in matrix.indicators(group).items() for i in inds]
    unknown = sorted(k for k in answers if k not in expected)
    if unknown:
        raise InvalidInput("answers", f"no such indicator for the {group} group: {', '.join(unknown)}")
    missing = [k for k in expected if k not in answers]
    if missing:
        raise InvalidInput("answers", f"{len(missing)} indicator(s) not answered, first {missing[0]}")
    out: dict[str, Any] = {}
    for key in expected:
        _normalized(settings["scale"], answers[key], f"answers.{key}")
        out[key] = answers[key]
    return out


def response_from_stored(rater_role: str, answers: Mapping[str, Any]) -> Response360:
    """A stored questionnaire ("competency/ordinal" keys) as the scorer takes it."""
    parsed = {}
    for key, value in answers.items():
        comp, _, ordinal = key.rpartition("/")
        parsed[(comp, int(ordinal))] = value
    return Response360(rater_role=rater_role, answers=parsed)
