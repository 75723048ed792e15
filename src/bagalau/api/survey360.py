"""The 360 survey: raters, questionnaires, anonymous answers and the development-only report."""

from __future__ import annotations

from ninja import Router

router = Router()
