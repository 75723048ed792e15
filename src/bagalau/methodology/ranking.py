"""The ranking method (саралау әдісі): checking a submitted ranking against the version (spec 5.2).

Who ranks, the scale and the quotas were not found in any retrieved text (Q-01), so this module
ships no numbers: it reads them from the version (or from the body's own act applied to it,
`methodology.local`) and refuses, naming what is missing, when they are unfilled. Only the
"direct grade" input is implemented: the evaluator gives each servant a label of the scale, and
the quota caps the share of each label in the group.

Three situations the text does not settle are settings of the version, never guesses here:

* a group smaller than `min_group_size` (a unit of one): `small_group` says whether it is refused
  (the reading when the setting is absent) or graded without the quotas, with a warning, since a
  share of a group of one cannot be applied (floor(1/4 * 1) = 0 would forbid every top grade);
* ties: `tie_rule` "shared_rank" gives servants with the same grade the same position
  (1, 2, 2, 4); "not_allowed" makes the evaluator order them, and an unordered tie is refused;
* the position order follows the scale: its first label is the best.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping
from typing import Any

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import InvalidInput, ParameterNotSet
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import Used, problem, use


def settings(version: MethodologyVersion, on: dt.date | None = None) -> tuple[Used, dict[str, Any]]:
    """The ranking settings, or ParameterNotSet naming every unfilled one (spec 5.2, Q-01)."""
    used = use(version, on)
    values = dict(used("ranking"))
    missing = tuple(k for k, v in values.items() if v is None)
    if missing:
        raise ParameterNotSet(
            version.id, "ranking", "ranking cannot be validated until these are loaded from the "
            "body's text (spec 5.2, Q-01); no default numbers are shipped", missing,
        )
    return used, values


def validate_ranking(version: MethodologyVersion, grades: Mapping[str, str],
                     on: dt.date | None = None, group_size: int | None = None) -> Decision:
    """VALID or INVALID for `grades` (servant id -> label) in one ranking group.

    A quota q for a label allows at most floor(q * n) servants of a group of n with that label
    (spec 5.2 worked example: q = 1/4, n = 4 -> one EFFECTIVE). `group_size` is n when only part
    of the group is graded yet (the quota is a share of the whole group); default len(grades).
    """
    used, s = settings(version, on)
    clause = version.param("ranking").clause
    problems: list[Problem] = []
    warnings: list[str] = []
    for servant, label in grades.items():
        if label not in s["scale"]:
            problems.append(problem(
                f"grades[{servant}]", "ranking_label",
                f"{label!r} is not on the ranking scale {', '.join(s['scale'])}", clause,
            ))
    n = len(grades) if group_size is None else group_size
    if n < len(grades):
        raise InvalidInput("group_size", f"{n} is smaller than the {len(grades)} servants graded")
    small = n < s["min_group_size"]
    quotas_apply = True
    if small and s.get("small_group") == "no_quota":
        quotas_apply = False
        warnings.append(f"the group has {n} servant(s), fewer than {s['min_group_size']}: graded without "
                        f"the quotas ({clause})")
    elif small:
        problems.append(problem(
            "grades", "ranking_group_size",
            f"a ranking group needs at least {s['min_group_size']} servants, got {n}", clause,
        ))
    counts = Counter(grades.values())
    allowed: dict[str, int] = {}
    for label, share in s["quotas"].items():
        if share is None or not quotas_apply:
            continue
        allowed[label] = math.floor(share * n)
        if counts[label] > allowed[label]:
            problems.append(problem(
                "grades", "ranking_quota",
                f"{counts[label]} of {n} servants are {label}; the quota {share} allows {allowed[label]}",
                clause,
            ))
    return used.decide(
        "VALID" if not problems else "INVALID",
        problems=tuple(problems), warnings=tuple(warnings),
        inputs={"grades": dict(grades)},
        details={"group_size": n, "counts": dict(counts), "allowed": allowed, "quotas_applied": quotas_apply},
    )


def positions(version: MethodologyVersion, grades: Mapping[str, str],
              order: Mapping[str, int | None] | None = None, on: dt.date | None = None) -> Decision:
    """Each servant's position in the group (1 = best), by the scale's order and `tie_rule`.

    `order` is the evaluator's order among servants of the same grade (lower first); it is only
    read under "not_allowed", where two servants of one grade without distinct orders are a tie
    the evaluator must resolve. Labels off the scale are left to `validate_ranking`.
    """
    used, s = settings(version, on)
    clause = version.param("ranking").clause
    rank_of = {label: i for i, label in enumerate(s["scale"])}
    order = order or {}
    on_scale = {k: v for k, v in grades.items() if v in rank_of}
    problems: list[Problem] = []
    result: dict[str, int] = {}
    if s["tie_rule"] == "shared_rank":
        for servant, label in on_scale.items():
            result[servant] = 1 + sum(1 for other in on_scale.values() if rank_of[other] < rank_of[label])
    else:
        by_label: dict[str, list[str]] = {}
        for servant, label in on_scale.items():
            by_label.setdefault(label, []).append(servant)
        for label, servants in by_label.items():
            given = [order.get(x) for x in servants]
            if len(servants) > 1 and (None in given or len(set(given)) != len(given)):
                problems.append(problem(
                    "order", "ranking_tie",
                    f"{len(servants)} servants are {label}; ties are not allowed, give each a distinct "
                    f"order", clause,
                ))
        ranked = sorted(on_scale, key=lambda x: (rank_of[on_scale[x]], order.get(x) or 0, x))
        result = {servant: i + 1 for i, servant in enumerate(ranked)}
    return used.decide(
        result if not problems else None, problems=tuple(problems),
        inputs={"grades": dict(grades), "order": dict(order)}, details={"tie_rule": s["tie_rule"]},
    )
