"""The parameters a version file must (or may) set, and the check of each value.

The rules read parameters by these keys; the loader refuses a file that lacks a required one,
names an unknown one, or gives a value of the wrong shape. The tuples below are the vocabulary
of the domain (method, purpose, absence, channel codes), not legal numbers: those are in the
version files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from bagalau.methodology.model import HEAD, NON_HEAD
from bagalau.methodology.reader import Reader

METHODS = ("kpi", "ranking", "method_360", "quarterly", "annual")

PURPOSES = (
    "bonus", "incentive", "training", "rotation", "promotion", "demotion", "dismissal", "training_needs",
)

ABSENCES = (
    "annual_leave", "social_leave", "temporary_incapacity", "business_trip", "internship",
    "retraining", "professional_development",
)

CHANNELS = (
    "written", "registered_letter", "telephonogram", "telegram", "sms", "email",
    "other_recorded_means", "intranet_portal", "unified_hr_database", "edms", "e_qyzmet",
)

KPI_FIELDS = (
    "text", "expected_change", "measure", "target", "unit", "resources_note", "deadline",
    "strategic_goal_ref",
)

REQUIRED_DEADLINES = (
    "iwp_due", "sheet_resubmission_due", "hr_to_commission_due", "commission_notice_by",
    "familiarization_due", "appeal_last_day",
)

# Ranking vocabulary (methodology.ranking): ties share a position, or the evaluator must order them.
RANKING_TIE_RULES = ("shared_rank", "not_allowed")
RANKING_SMALL_GROUP = ("refuse", "no_quota")
RANKING_RATER_ROLES = ("direct_manager",)

_RATING_CODE = re.compile(r"^[A-Z][A-Z_]*$")

# Each takes (reader, value, key, parameters) and returns the value to store (possibly normalized).

Check = Callable[[Reader, Any, str, Mapping[str, Any]], Any]


def _methods_by_group(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=(HEAD, NON_HEAD))
    return {g: r.choices(m[g], f"{key}.{g}", METHODS, empty_ok=False) for g in (HEAD, NON_HEAD)}


def _purposes(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.choices(v, key, PURPOSES)


def _positive_int(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.integer(v, key, minimum=1)


def _bool(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.boolean(v, key)


def _smart_criteria(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    if not isinstance(v, list) or not v:
        raise r.fail(key, "must be a non-empty list of criteria")
    out = []
    for i, item in enumerate(v):
        k = f"{key}[{i}]"
        m = r.mapping(item, k, required=("code", "fields", "label"))
        out.append({
            "code": r.text(m["code"], f"{k}.code"),
            "fields": r.choices(m["fields"], f"{k}.fields", KPI_FIELDS),
            "label": r.localized(m["label"], f"{k}.label"),
        })
    return tuple(out)


def _grading(r: Reader, v: Any, key: str, params: Mapping[str, Any]) -> Any:
    """The count-to-rating table must cover 0..kpi.count exactly once (no gap, no overlap)."""
    count_node = params.get("kpi.count")
    count = count_node.get("value") if isinstance(count_node, Mapping) else None
    if not isinstance(count, int):
        raise r.fail(key, "a grading table needs kpi.count to be set")
    if not isinstance(v, list) or not v:
        raise r.fail(key, "must be a non-empty list of {min, max, rating}")
    rows = []
    for i, item in enumerate(v):
        k = f"{key}[{i}]"
        m = r.mapping(item, k, required=("min", "max", "rating"))
        lo = r.integer(m["min"], f"{k}.min", minimum=0)
        hi = r.integer(m["max"], f"{k}.max", minimum=0)
        if lo > hi:
            raise r.fail(k, f"min {lo} is greater than max {hi}")
        rating = r.text(m["rating"], f"{k}.rating")
        if not _RATING_CODE.match(rating or ""):
            raise r.fail(f"{k}.rating", f"must be an upper-case code like PROPER, got {rating!r}")
        rows.append((lo, hi, rating))
    rows.sort()
    expected = 0
    for lo, hi, rating in rows:
        if lo > expected:
            raise r.fail(key, f"gap: no rating for {expected}..{lo - 1} achieved")
        if lo < expected:
            raise r.fail(key, f"overlap: {lo} achieved is rated twice (row {rating})")
        expected = hi + 1
    if expected != count + 1:
        if expected <= count:
            raise r.fail(key, f"gap: no rating for {expected}..{count} achieved")
        raise r.fail(key, f"rows go beyond kpi.count = {count}")
    return tuple({"min": lo, "max": hi, "rating": rating} for lo, hi, rating in rows)


def _rating_labels(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key)
    out = {}
    for code, label in m.items():
        if not isinstance(code, str) or not _RATING_CODE.match(code):
            raise r.fail(f"{key}.{code}", "rating codes are upper-case, like PROPER")
        out[code] = r.localized(label, f"{key}.{code}")
    return out


def deadline_rule(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key)
    unit = r.choice(m.get("unit"), f"{key}.unit", ("working_days", "calendar_days", "calendar_date"))
    if unit == "calendar_date":
        r.mapping(m, key, required=("unit", "month_offset", "day", "anchor"))
        return {
            "unit": unit,
            "month_offset": r.integer(m["month_offset"], f"{key}.month_offset", minimum=0, maximum=12),
            "day": r.integer(m["day"], f"{key}.day", minimum=1, maximum=31),
            "anchor": r.localized(m["anchor"], f"{key}.anchor"),
        }
    r.mapping(m, key, required=("unit", "amount", "direction", "anchor"))
    return {
        "unit": unit,
        "amount": r.integer(m["amount"], f"{key}.amount", minimum=0, maximum=366),
        "direction": r.choice(m["direction"], f"{key}.direction", ("after", "before")),
        "anchor": r.localized(m["anchor"], f"{key}.anchor"),
    }


def _quorum_fraction(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.fraction(v, key)


def _voting(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=("open", "majority_of", "tie_breaker"))
    return {
        "open": r.boolean(m["open"], f"{key}.open"),
        "majority_of": r.choice(m["majority_of"], f"{key}.majority_of", ("votes_cast_by_present_members",)),
        "tie_breaker": r.choice(m["tie_breaker"], f"{key}.tie_breaker", ("chair",)),
    }


def _member_under_evaluation(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.choice(v, key, ("recuse",))


def _decision_options(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.choices(v, key, ("approve", "revise"), empty_ok=False)


def _outcomes(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    if not isinstance(v, list) or not v:
        raise r.fail(key, "must be a non-empty list")
    out = []
    for i, item in enumerate(v):
        m = r.mapping(item, f"{key}[{i}]", required=("code", "label"))
        out.append({"code": r.text(m["code"], f"{key}[{i}].code"),
                    "label": r.localized(m["label"], f"{key}[{i}].label")})
    return tuple(out)


def _min_time(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=("months",))
    return {"months": r.integer(m["months"], f"{key}.months", minimum=0, maximum=24)}


def _absences(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.choices(v, key, ABSENCES)


def _transitional(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=("absence_types", "window_from", "window_to", "route_clause"))
    window_from = r.date(m["window_from"], f"{key}.window_from")
    window_to = r.date(m["window_to"], f"{key}.window_to")
    assert window_from is not None and window_to is not None  # not nullable: the reader refuses None
    if window_from > window_to:
        raise r.fail(key, "window_from is after window_to")
    return {
        "absence_types": r.choices(m["absence_types"], f"{key}.absence_types", ABSENCES, empty_ok=False),
        "window_from": window_from,
        "window_to": window_to,
        "route_clause": r.text(m["route_clause"], f"{key}.route_clause"),
    }


def _channels(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    return r.choices(v, key, CHANNELS, empty_ok=False)


def _refusal_act(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=("form", "hr_specialist", "other_servants"))
    return {
        "form": r.choice(m["form"], f"{key}.form", ("free",)),
        "hr_specialist": r.integer(m["hr_specialist"], f"{key}.hr_specialist", minimum=0),
        "other_servants": r.integer(m["other_servants"], f"{key}.other_servants", minimum=0),
    }


def _ranking(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    """Ranking settings; every inner value may be null (unfilled) and then ranking refuses to run."""
    fields = ("scale", "quotas", "rater_role", "group", "input_type", "min_group_size", "tie_rule")
    m = r.mapping(v, key, required=fields, optional=("small_group",))
    out: dict[str, Any] = dict.fromkeys(fields)
    if m.get("small_group") is not None:
        # What a group below min_group_size gets: refused (the default reading when absent) or
        # graded without the quotas, which cannot be applied to so few (methodology.ranking).
        out["small_group"] = r.choice(m["small_group"], f"{key}.small_group", RANKING_SMALL_GROUP)
    if m["scale"] is not None:
        out["scale"] = tuple(r.text(x, f"{key}.scale[{i}]") for i, x in enumerate(m["scale"] or []))
        if not out["scale"]:
            raise r.fail(f"{key}.scale", "must not be empty")
    if m["quotas"] is not None:
        q = r.mapping(m["quotas"], f"{key}.quotas")
        out["quotas"] = {
            code: (None if share is None else r.fraction(share, f"{key}.quotas.{code}"))
            for code, share in q.items()
        }
        if out["scale"] is not None:
            for code in out["quotas"]:
                if code not in out["scale"]:
                    raise r.fail(f"{key}.quotas.{code}", "is not a label of ranking.scale")
    if m["rater_role"] is not None:
        out["rater_role"] = r.choice(m["rater_role"], f"{key}.rater_role", RANKING_RATER_ROLES)
    if m["group"] is not None:
        out["group"] = r.choice(m["group"], f"{key}.group", ("unit", "body"))
    if m["input_type"] is not None:
        out["input_type"] = r.choice(m["input_type"], f"{key}.input_type", ("direct_grade",))
    if m["min_group_size"] is not None:
        out["min_group_size"] = r.integer(m["min_group_size"], f"{key}.min_group_size", minimum=1)
    if m["tie_rule"] is not None:
        out["tie_rule"] = r.choice(m["tie_rule"], f"{key}.tie_rule", RANKING_TIE_RULES)
    return out


def _survey360_extras(r: Reader, m: Mapping[str, Any], key: str, roles: Mapping[str, Any]) -> dict[str, Any]:
    """The optional settings: minimum raters per role (per group), the most raters, and the groups
    a 360 may also be run for where `methods_by_group` does not require it ("optional", spec 4.2).
    A None value is a setting the version leaves open for the body's act to fill."""
    out: dict[str, Any] = {}
    if "min_raters" in m:
        if m["min_raters"] is None:
            out["min_raters"] = None
        else:
            mins = r.mapping(m["min_raters"], f"{key}.min_raters", required=(HEAD, NON_HEAD))
            out["min_raters"] = {}
            for g in (HEAD, NON_HEAD):
                per = r.mapping(mins[g], f"{key}.min_raters.{g}")
                for role in per:
                    if role not in (roles[g] or []):
                        raise r.fail(f"{key}.min_raters.{g}.{role}", f"is not a rater role of the {g} group")
                out["min_raters"][g] = {
                    role: r.integer(n, f"{key}.min_raters.{g}.{role}", minimum=0) for role, n in per.items()}
    if "max_raters" in m:
        out["max_raters"] = (None if m["max_raters"] is None
                             else r.integer(m["max_raters"], f"{key}.max_raters", minimum=1))
    if "optional_for" in m:
        out["optional_for"] = (None if m["optional_for"] is None
                               else r.choices(m["optional_for"], f"{key}.optional_for", (HEAD, NON_HEAD)))
    return out


def _survey360(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=(
        "scale", "rater_roles", "anonymity_min_responses", "aggregation", "training_need_below",
        "self_rating",
    ), optional=("min_raters", "max_raters", "optional_for"))
    scale = r.mapping(m["scale"], f"{key}.scale", required=("kind",), optional=("min", "max"))
    kind = r.choice(scale["kind"], f"{key}.scale.kind", ("binary", "likert"))
    scale_out: dict[str, Any] = {"kind": kind}
    if kind == "likert":
        lo = r.integer(scale.get("min"), f"{key}.scale.min")
        hi = r.integer(scale.get("max"), f"{key}.scale.max")
        if lo >= hi:
            raise r.fail(f"{key}.scale", "min must be below max")
        scale_out.update(min=lo, max=hi)
    roles = r.mapping(m["rater_roles"], f"{key}.rater_roles", required=(HEAD, NON_HEAD))
    threshold = m["training_need_below"]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float) or not 0 <= threshold <= 1:
        raise r.fail(f"{key}.training_need_below", f"must be a number in 0..1, got {threshold!r}")
    return {
        "scale": scale_out,
        "rater_roles": {
            g: tuple(r.text(x, f"{key}.rater_roles.{g}[{i}]") for i, x in enumerate(roles[g] or []))
            for g in (HEAD, NON_HEAD)
        },
        "anonymity_min_responses": r.integer(m["anonymity_min_responses"], f"{key}.anonymity_min_responses",
                                             minimum=1),
        "aggregation": r.choice(m["aggregation"], f"{key}.aggregation",
                                ("mean_of_respondents_then_competencies",)),
        "training_need_below": float(threshold),
        "self_rating": r.boolean(m["self_rating"], f"{key}.self_rating"),
        **_survey360_extras(r, m, key, roles),
    }


def _annual_score(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
    m = r.mapping(v, key, required=("method", "periods"))
    return {
        "method": r.choice(m["method"], f"{key}.method", ("mean_of_quarters",)),
        "periods": r.integer(m["periods"], f"{key}.periods", minimum=1, maximum=12),
    }


REQUIRED_PARAMETERS: dict[str, Check] = {
    "methods_by_group": _methods_by_group,
    "result_uses.kpi": _purposes,
    "result_uses.ranking": _purposes,
    "result_uses.method_360": _purposes,
    "kpi.count": _positive_int,
    "kpi.smart_criteria": _smart_criteria,
    "kpi.grading": _grading,
    "kpi.partial_counts_as_achieved": _bool,
    "rating_labels": _rating_labels,
    **{f"deadlines.{rule}": deadline_rule for rule in REQUIRED_DEADLINES},
    "commission.min_members": _positive_int,
    "commission.quorum_fraction": _quorum_fraction,
    "commission.voting": _voting,
    "commission.secretary_votes": _bool,
    "commission.member_under_evaluation": _member_under_evaluation,
    "commission.decision_options": _decision_options,
    "appeal.outcomes": _outcomes,
    "eligibility.min_time_in_position": _min_time,
    "eligibility.absence_without_participation": _absences,
    "eligibility.transitional": _transitional,
    "familiarization.channels": _channels,
    "familiarization.refusal_act": _refusal_act,
    "familiarization.refuser_delivery_channels": _channels,
    "ranking": _ranking,
    "survey360": _survey360,
}

def _one_of(*allowed: str) -> Check:
    def check(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
        return r.choice(v, key, allowed)
    return check


def _some_of(*allowed: str) -> Check:
    def check(r: Reader, v: Any, key: str, _: Mapping[str, Any]) -> Any:
        return r.choices(v, key, allowed, empty_ok=False)
    return check


# Who does what in the review chain and around the Commission: roles as the text names them.
OPTIONAL_PARAMETERS: dict[str, Check] = {
    "review.sheet_signed_by": _one_of("direct_manager"),
    "review.plan_approver": _one_of("superior_manager"),
    "review.plan_approver_if_direct_is_first_head": _one_of("first_head"),
    "review.sheet_reviewer": _one_of("superior_manager"),
    "review.sheet_reviewer_if_direct_is_first_head": _one_of("first_head"),
    "review.superior_decisions": _some_of("agree", "return_for_correction"),
    "review.return_grounds": _some_of("insufficient_evidence", "unreliable_evidence"),
    "commission.schedule_agreed_with": _one_of("chair"),
    "commission.member_replacement": _one_of("authorized_person_order_amendment"),
    "commission.documents": _some_of("evaluation_sheets", "draft_protocol"),
    "commission.revision_record": _one_of("protocol_correction_column"),
    "commission.final_approval_by": _one_of("authorized_person"),
    "appeal.venues": _some_of("authorized_body", "territorial_department"),
    "appeal.court": _bool,
    "annual.score": _annual_score,
    "evaluators.absent_evaluator": _one_of("substitute"),
    "evaluators.seconded_servant": _one_of("host_body"),
    "evaluators.first_head_subordinates": _one_of("head_of_apparatus_if_first_head_decides"),
    "records.retention_years": _positive_int,
}


def freeze(value: Any) -> Any:
    """Read-only copies: the registry is shared by the whole process, so nobody may mutate it."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(v) for v in value)
    return value
