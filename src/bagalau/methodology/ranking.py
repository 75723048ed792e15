"""The ranking method (саралау әдісі): checking a submitted ranking against the version (spec 5.2).

Who ranks, the scale and the quotas were not found in any retrieved text (Q-01), so this module
ships no numbers: it reads them from the version and refuses, naming what is missing, when the
version leaves them unfilled. Only the "direct grade" input is implemented: the evaluator gives
each servant a label of the scale, and the quota caps the share of each label in the group.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import ParameterNotSet
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import problem, use


def validate_ranking(version: MethodologyVersion, grades: Mapping[str, str],
                     on: dt.date | None = None) -> Decision:
    """VALID or INVALID for `grades` (servant id -> label) in one ranking group.

    A quota q for a label allows at most floor(q * n) servants of a group of n with that label
    (spec 5.2 worked example: q = 1/4, n = 4 -> one EFFECTIVE).
    """
    used = use(version, on)
    param = version.param("ranking")
    settings = used("ranking")
    missing = tuple(k for k, v in settings.items() if v is None)
    if missing:
        raise ParameterNotSet(
            version.id, "ranking", "ranking cannot be validated until these are loaded from the "
            "body's text (spec 5.2, Q-01); no default numbers are shipped", missing,
        )
    problems: list[Problem] = []
    for servant, label in grades.items():
        if label not in settings["scale"]:
            problems.append(problem(
                f"grades[{servant}]", "ranking_label",
                f"{label!r} is not on the ranking scale {', '.join(settings['scale'])}", param.clause,
            ))
    n = len(grades)
    if n < settings["min_group_size"]:
        problems.append(problem(
            "grades", "ranking_group_size",
            f"a ranking group needs at least {settings['min_group_size']} servants, got {n}", param.clause,
        ))
    counts = Counter(grades.values())
    allowed: dict[str, int] = {}
    for label, share in settings["quotas"].items():
        if share is None:
            continue
        allowed[label] = math.floor(share * n)
        if counts[label] > allowed[label]:
            problems.append(problem(
                "grades", "ranking_quota",
                f"{counts[label]} of {n} servants are {label}; the quota {share} allows {allowed[label]}",
                param.clause,
            ))
    return used.decide(
        "VALID" if not problems else "INVALID",
        problems=tuple(problems),
        inputs={"grades": dict(grades)},
        details={"group_size": n, "counts": dict(counts), "allowed": allowed},
    )
