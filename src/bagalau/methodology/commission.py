"""The Evaluation Commission: composition, quorum and the vote (spec 7).

The rules that are easy to get wrong (spec 17, rule 3): quorum is two thirds of the composition
*rounded up* (5 -> 4, 7 -> 5); the secretary is not a member, is not counted for quorum and never
votes (S1-p.62, Q-15); a tie is broken by the chair's vote (S1-p.61). A member who is being
evaluated does not vote on their own result, and quorum is recomputed without them (Q-16, [REC]).

Members are identified by opaque strings (the caller's ids); this module never sees a person.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import problem, use

NO_QUORUM = "NO_QUORUM"
TIE_UNRESOLVED = "TIE_UNRESOLVED"


def required_for_quorum(fraction: Fraction, members: int) -> int:
    """Smallest attendance that is at least `fraction` of `members` (exact: no float rounding)."""
    return math.ceil(fraction * members)


def check_composition(version: MethodologyVersion, members: Sequence[str], chair: str,
                      secretary: str | None, on: dt.date | None = None) -> Decision:
    """VALID or INVALID: enough members, a chair among them, a secretary who is not one of them."""
    used = use(version, on)
    min_param = used.param("commission.min_members")
    problems: list[Problem] = []
    distinct = set(members)
    if len(distinct) != len(members):
        problems.append(problem("members", "duplicate_member", "a person is listed twice"))
    if len(distinct) < min_param.value:
        problems.append(problem("members", "too_few_members",
                                f"the Commission needs at least {min_param.value} members, it has {len(distinct)}",
                                min_param.clause))
    if chair not in distinct:
        problems.append(problem("chair", "chair_not_member", "the chair must be one of the members",
                                min_param.clause))
    if secretary is not None and secretary in distinct:
        secretary_clause = version.param("commission.secretary_votes").clause
        problems.append(problem("secretary", "secretary_is_member",
                                "the secretary keeps the protocol and is not a voting member", secretary_clause))
    return used.decide("VALID" if not problems else "INVALID", problems=tuple(problems),
                       inputs={"members": len(members), "chair": chair, "secretary": secretary})


def quorum(version: MethodologyVersion, members: int, present: int, on: dt.date | None = None) -> Decision:
    """Whether `present` of `members` (the secretary excluded from both) make a valid sitting."""
    for name, value in (("members", members), ("present", present)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(name, f"must be a whole number >= 0, got {value!r}")
    if members == 0:
        raise InvalidInput("members", "a Commission has at least one member")
    if present > members:
        raise InvalidInput("present", f"{present} present is more than the {members} members")
    used = use(version, on)
    fraction = used("commission.quorum_fraction")
    required = required_for_quorum(fraction, members)
    return used.decide(
        present >= required,
        inputs={"members": members, "present": present},
        details={"required": required, "fraction": str(fraction)},
    )


@dataclass(frozen=True)
class Sitting:
    """Who is on the Commission and who came. The secretary is not in `members`."""

    members: tuple[str, ...]
    present: tuple[str, ...]
    chair: str
    secretary: str | None = None


def count_votes(version: MethodologyVersion, sitting: Sitting, votes: Mapping[str, str],
                evaluated: str | None = None, on: dt.date | None = None) -> Decision:
    """The Commission's decision on one servant's result: APPROVE, REVISE, NO_QUORUM or TIE_UNRESOLVED.

    `votes` maps each voter to an option of `commission.decision_options` (approve / revise,
    S1-p.65). The secretary's vote and the evaluated member's vote are not counted (warnings say
    so); every other member present must vote, as no abstention is provided for (Q-09).
    """
    used = use(version, on)
    options = used("commission.decision_options")
    voting = used("commission.voting")
    fraction = used("commission.quorum_fraction")
    secretary_votes = used("commission.secretary_votes")
    recusal = used("commission.member_under_evaluation")
    voting_clause = version.param("commission.voting").clause
    quorum_clause = version.param("commission.quorum_fraction").clause

    members, present = set(sitting.members), set(sitting.present)
    if sitting.secretary is not None and sitting.secretary in members:
        raise InvalidInput("secretary", "the secretary is not a member of the Commission")
    if not present <= members:
        raise InvalidInput("present", f"not members: {', '.join(sorted(present - members))}")
    warnings: list[str] = []
    counted = dict(votes)
    if sitting.secretary is not None and sitting.secretary in counted and not secretary_votes:
        del counted[sitting.secretary]
        warnings.append("the secretary's vote is not counted")
    recused = evaluated if evaluated in members and recusal == "recuse" else None
    if recused is not None:
        members.discard(recused)
        present.discard(recused)
        if counted.pop(recused, None) is not None:
            warnings.append("the member being evaluated does not vote on their own result")
    for voter, choice in counted.items():
        if voter not in present:
            raise InvalidInput(f"votes[{voter}]", "only members present vote")
        if choice not in options:
            raise InvalidInput(f"votes[{voter}]", f"must be one of {', '.join(options)}, got {choice!r}")
    silent = sorted(present - set(counted))
    if silent:
        raise InvalidInput("votes", f"no vote from members present: {', '.join(silent)} "
                                    "(abstention is not provided for)")

    required = required_for_quorum(fraction, len(members))
    details = {
        "members": len(members), "present": len(present), "required": required,
        "recused": recused, "open_vote": voting["open"],
    }
    inputs = {"votes": dict(votes), "evaluated": evaluated}
    if len(present) < required or not members:
        return used.decide(NO_QUORUM, quorum_clause, inputs=inputs, details=details,
                           warnings=tuple(warnings))
    tally = Counter(counted.values())
    details["tally"] = {o: tally.get(o, 0) for o in options}
    ranked = tally.most_common()
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return used.decide(ranked[0][0].upper(), voting_clause, inputs=inputs,
                           details={**details, "casting_vote": False}, warnings=tuple(warnings))
    chair_vote = counted.get(sitting.chair)
    if chair_vote is None:  # the chair is absent or recused: nobody may break the tie
        problems: tuple[Problem, ...] = (problem(
            "votes", "tie_without_chair", "the vote is tied and the chair did not vote", voting_clause),)
        return used.decide(TIE_UNRESOLVED, voting_clause, inputs=inputs, details=details,
                           problems=problems, warnings=tuple(warnings))
    return used.decide(chair_vote.upper(), voting_clause, inputs=inputs,
                       details={**details, "casting_vote": True}, warnings=tuple(warnings))


# -- around the sitting ---------------------------------------------------------------------------


def schedule_agreed_with(version: MethodologyVersion, on: dt.date | None = None) -> Decision:
    """Whose consent the evaluation schedule and the meeting dates need (S1-p.57, S1-p.63)."""
    used = use(version, on)
    return used.decide(used("commission.schedule_agreed_with"))


def check_member_replacement(version: MethodologyVersion, by: str, on: dt.date | None = None) -> Decision:
    """VALID only for the way the text allows: an amendment of the order that formed the
    Commission, by the authorized person (S1-p.59). There is no ad-hoc deputy."""
    used = use(version, on)
    allowed = used("commission.member_replacement")
    problems = () if by == allowed else (problem(
        "by", "member_replacement", f"a chair or member is replaced only by {allowed}, not {by!r}",
        version.param("commission.member_replacement").clause),)
    return used.decide("VALID" if not problems else "INVALID", problems=problems, inputs={"by": by})


def check_session_documents(version: MethodologyVersion, documents: Sequence[str],
                            on: dt.date | None = None) -> Decision:
    """VALID if HR brought every document the sitting needs (S1-p.64)."""
    used = use(version, on)
    needed = used("commission.documents")
    missing = [d for d in needed if d not in documents]
    problems = tuple(problem("documents", "missing_document", f"{d} is missing",
                             version.param("commission.documents").clause) for d in missing)
    return used.decide("VALID" if not problems else "INVALID", problems=problems,
                       inputs={"documents": list(documents)}, details={"missing": missing})


def check_revision(version: MethodologyVersion, corrected_rating: str | None, justification: str,
                   on: dt.date | None = None) -> Decision:
    """A "revise" decision must carry the corrected rating, recorded in the protocol's correction
    column (S1-p.66), and a justification ([REC], spec 7)."""
    used = use(version, on)
    record = used("commission.revision_record")
    labels = used("rating_labels")
    clause = version.param("commission.revision_record").clause
    problems: list[Problem] = []
    if corrected_rating not in labels:
        problems.append(problem("corrected_rating", "revision_rating",
                                f"a revision needs the corrected rating, one of {', '.join(labels)}", clause))
    if not justification.strip():
        problems.append(problem("justification", "revision_justification",
                                "a revision needs its justification", clause))
    return used.decide("VALID" if not problems else "INVALID", clause, problems=tuple(problems),
                       inputs={"corrected_rating": corrected_rating}, details={"recorded_in": record})


def final_approver(version: MethodologyVersion, on: dt.date | None = None) -> Decision:
    """The Commission does not finalize: the results are approved by this role (S1-p.67)."""
    used = use(version, on)
    return used.decide(used("commission.final_approval_by"))
