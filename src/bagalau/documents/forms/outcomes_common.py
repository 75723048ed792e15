"""What the outcomes forms (refusal act, familiarization sheet, appeal letter) share: the servant's
facts from the cycle's snapshot and the result as approved, with the version's label and clause."""

from __future__ import annotations

from typing import Any

from bagalau.commission.models import FinalResult
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.texts import text


def result_facts(result: FinalResult, v: Any, lang: str) -> list[list[str]]:
    p = result.participant
    return [
        [text("full_name", lang), p.servant_name],
        [text("position", lang), common.localized(p.position_title_kk, p.position_title_ru, lang)],
        [text("unit", lang), common.localized(p.unit_name_kk, p.unit_name_ru, lang)],
        [text("period", lang), formatting.period(result.cycle.period_start, result.cycle.period_end)],
        [text("final_result", lang), common.rating(v, result.value, lang)],
        [text("result_approved_on", lang), formatting.day(result.approved_on)],
        [text("protocol", lang), f"№ {result.protocol.number}"],
    ]


def paper_rows(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Signature rows of a paper act: a name without a recorded time signs the printed copy."""
    out = common.signature_rows(rows, lang)
    for row, given in zip(out["rows"], rows, strict=True):
        if given.get("signed_at") is None:
            row["status"] = text("sign_on_paper", lang)
    return out
