"""Who signs, approves and reviews the KPI documents (spec 5.1, review chain).

The direct manager fills and signs the sheet (S1-p.49); the superior manager approves the plan
and reviews the sheet (S1-p.45, S1-p.51), unless the direct manager is the first head of the
body, who then does both (S1-p.46, S1-p.52): the superior step is skipped, not left empty. The
superior manager only agrees or returns, and a return needs a ground the text names (S1-p.53-54).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import problem, use


def sheet_signer(version: MethodologyVersion, on: dt.date | None = None) -> Decision:
    used = use(version, on)
    return used.decide(used("review.sheet_signed_by"))


def plan_approver(version: MethodologyVersion, direct_manager_is_first_head: bool,
                  on: dt.date | None = None) -> Decision:
    used = use(version, on)
    key = "review.plan_approver_if_direct_is_first_head" if direct_manager_is_first_head else "review.plan_approver"
    return used.decide(used(key), inputs={"direct_manager_is_first_head": direct_manager_is_first_head})


def sheet_reviewer(version: MethodologyVersion, direct_manager_is_first_head: bool,
                   on: dt.date | None = None) -> Decision:
    used = use(version, on)
    key = ("review.sheet_reviewer_if_direct_is_first_head" if direct_manager_is_first_head
           else "review.sheet_reviewer")
    return used.decide(used(key), inputs={"direct_manager_is_first_head": direct_manager_is_first_head})


def check_superior_review(version: MethodologyVersion, decision: str, grounds: Sequence[str] = (),
                          on: dt.date | None = None) -> Decision:
    """VALID if the superior manager's decision is one the text allows, and a return names a ground."""
    used = use(version, on)
    options = used("review.superior_decisions")
    allowed_grounds = used("review.return_grounds")
    options_clause = version.param("review.superior_decisions").clause
    grounds_clause = version.param("review.return_grounds").clause
    problems: list[Problem] = []
    if decision not in options:
        problems.append(problem("decision", "superior_decision",
                                f"the superior manager may only {' or '.join(options)}, not {decision!r}",
                                options_clause))
    if decision == "return_for_correction":
        if not grounds:
            problems.append(problem("grounds", "return_without_ground",
                                    "a return for correction needs its ground", grounds_clause))
        for g in grounds:
            if g not in allowed_grounds:
                problems.append(problem("grounds", "return_ground",
                                        f"{g!r} is not a ground for return ({', '.join(allowed_grounds)})",
                                        grounds_clause))
    return used.decide("VALID" if not problems else "INVALID", options_clause, problems=tuple(problems),
                       inputs={"decision": decision, "grounds": list(grounds)})
