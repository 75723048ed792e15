"""What a result may be used for (spec 10).

In G2023, KPI and ranking results are the basis for bonuses, incentives, training, rotation,
promotion, demotion and dismissal; 360 results are not (S1-p.9). A service about to pay a bonus
asks `may_use(version, "method_360", "bonus")` and gets False with the clause, instead of
relying on a screen that happens not to offer the option.
"""

from __future__ import annotations

import datetime as dt

from bagalau.methodology.decision import Decision
from bagalau.methodology.errors import InvalidInput
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.parameters import PURPOSES
from bagalau.methodology.rulebase import use

RESULT_TYPES = ("kpi", "ranking", "method_360")


def may_use(version: MethodologyVersion, result_type: str, purpose: str,
            on: dt.date | None = None) -> Decision:
    if result_type not in RESULT_TYPES:
        raise InvalidInput("result_type", f"must be one of {', '.join(RESULT_TYPES)}, got {result_type!r}")
    if purpose not in PURPOSES:
        raise InvalidInput("purpose", f"must be one of {', '.join(PURPOSES)}, got {purpose!r}")
    used = use(version, on)
    allowed = used(f"result_uses.{result_type}")
    return used.decide(
        purpose in allowed,
        inputs={"result_type": result_type, "purpose": purpose},
        details={"allowed_purposes": list(allowed)},
    )
