"""Familiarization with the results and the refusal act (spec 8).

G2018 (Kentau S0-p.40): familiarization is in writing; a servant who refuses gets a free-form act
signed by the specialist responsible for HR and two other servants of the body, and the results
are then sent through the intranet portal, the unified HR database or the e-document system.
G2023 (Koksu S1-p.12): absent servants are familiarized remotely through channels that record
delivery. The counts and the channels come from the version.
"""

from __future__ import annotations

import datetime as dt

from bagalau.methodology.decision import Decision, Problem
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.rulebase import problem, use


def check_refusal_act(version: MethodologyVersion, hr_specialists: int, other_servants: int,
                      on: dt.date | None = None) -> Decision:
    """VALID if the act carries the signatures the version requires."""
    for name, value in (("hr_specialists", hr_specialists), ("other_servants", other_servants)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(name, f"must be a whole number >= 0, got {value!r}")
    used = use(version, on)
    param = used.param("familiarization.refusal_act")
    rule = param.value
    problems: list[Problem] = []
    if hr_specialists < rule["hr_specialist"]:
        problems.append(problem("hr_specialists", "refusal_act_hr",
                                f"the act needs {rule['hr_specialist']} HR specialist signature(s)", param.clause))
    if other_servants < rule["other_servants"]:
        problems.append(problem("other_servants", "refusal_act_witnesses",
                                f"the act needs {rule['other_servants']} other servants' signatures, "
                                f"it has {other_servants}", param.clause))
    return used.decide("VALID" if not problems else "INVALID", problems=tuple(problems),
                       inputs={"hr_specialists": hr_specialists, "other_servants": other_servants},
                       details={"form": rule["form"]})


def channels(version: MethodologyVersion, refused: bool = False, on: dt.date | None = None) -> Decision:
    """The channels through which results may be delivered (to a refuser: the refusal channels)."""
    used = use(version, on)
    key = "familiarization.refuser_delivery_channels" if refused else "familiarization.channels"
    return used.decide(tuple(used(key)), inputs={"refused": refused})
