"""After the decision: familiarization, refusal acts, remote notice, appeals and consequences."""

from __future__ import annotations

from ninja import Router

router = Router()
