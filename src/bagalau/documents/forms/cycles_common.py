"""What the plan (Annex 9) and sheet (Annex 10) forms share: the servant's facts from the cycle's
snapshot and the signature rows (who signed, in which role, when; and who has still to sign)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bagalau.cycles.models import Participant
from bagalau.cycles.selectors import SignatureStatus
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.texts import text


def servant_facts(p: Participant, lang: str) -> list[list[str]]:
    cycle = p.cycle
    return [
        [text("full_name", lang), p.servant_name],
        [text("position", lang), common.localized(p.position_title_kk, p.position_title_ru, lang)],
        [text("unit", lang), common.localized(p.unit_name_kk, p.unit_name_ru, lang)],
        [text("category", lang), p.category],
        [text("period", lang), formatting.period(cycle.period_start, cycle.period_end)],
    ]


def role_key(role: str, reviewer_kind: str) -> str:
    if role == "reviewer":
        return f"role_{reviewer_kind}" if reviewer_kind in ("superior_manager", "first_head") else "role_reviewer"
    return f"role_{role}"


def signature_rows(statuses: list[SignatureStatus], expected: list[tuple[str, str]], reviewer_kind: str,
                   lang: str) -> dict[str, Any]:
    """Each signature given, then each expected (role, name) not signed yet."""
    rows: list[dict[str, Any]] = []
    done: set[str] = set()
    for s in statuses:
        sig = s.signature
        done.add(sig.role)
        rows.append({"role": role_key(sig.role, reviewer_kind), "name": sig.signer_name, "signed_at": sig.signed_at,
                     "valid": s.valid})
    for role, name in expected:
        if role not in done and name:
            rows.append({"role": role_key(role, reviewer_kind), "name": name, "signed_at": None, "valid": None})
    return common.signature_rows(rows, lang)


def created(statuses: list[SignatureStatus], fallback: dt.datetime) -> dt.datetime:
    """The last signature's time, else the last change: the PDF's fixed creation date."""
    times = [s.signature.signed_at for s in statuses]
    return max(times) if times else fallback


def signed_content(statuses: list[SignatureStatus]) -> str:
    valid = [s.signature.content_sha256 for s in statuses if s.valid]
    return valid[-1] if valid else ""
