"""What the form builders share: the header with the state body and the legal references of the
methodology version, clause titles and rating labels from the version file, signature rows, the
footer, and the skeleton of the data dict (see `registry`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bagalau.documents import formatting
from bagalau.documents.texts import Labels, text
from bagalau.methodology.errors import MethodologyError
from bagalau.methodology.model import MethodologyVersion
from bagalau.methodology.versions import get_version


def version(version_id: str) -> MethodologyVersion | None:
    if not version_id:
        return None
    try:
        return get_version(version_id)
    except MethodologyError:
        return None


def _act(lang: str, kind: str, number: str, date: dt.date) -> str:
    kinds = {"order": "act_order", "decision": "act_decision"}
    label = text(kinds[kind], lang) if kind in kinds else kind
    return text("act_ref", lang, kind=label, number=number, date=formatting.day(date))


def legal(v: MethodologyVersion | None, lang: str) -> dict[str, str]:
    """The methodology's title and its act: issuer, kind, number, date, registration, amendments."""
    if v is None:
        return {"methodology": "", "reference": "", "version": ""}
    ident = v.identity
    parts = [ident.issuing_body.get(lang), _act(lang, ident.act_kind, ident.number, ident.date)]
    if ident.state_registration_number:
        parts.append(text("registration", lang, number=ident.state_registration_number))
    amendments = [_act(lang, ident.act_kind, a.number, a.date) for a in ident.amended_by]
    if amendments:
        parts.append(f"{text('amended_by', lang)} {', '.join(amendments)}")
    return {"methodology": v.title.get(lang), "reference": "; ".join(parts), "version": v.id}


def clause_refs(v: MethodologyVersion | None, ids: list[str], on: dt.date, lang: str) -> list[dict[str, Any]]:
    """Each clause once, in the order given, with its title in the wording in force on `on`."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for cid in ids:
        if not cid or cid in seen:
            continue
        seen.add(cid)
        title, verified = "", False
        if v is not None:
            try:
                wordings = v.wordings(cid)
            except MethodologyError:
                wordings = ()
            chosen = next((w for w in wordings if w.covers(on)), wordings[-1] if wordings else None)
            if chosen is not None:
                title, verified = chosen.title.get(lang), chosen.verified
        out.append({"id": cid, "title": title, "verified": verified})
    return out


def rating(v: MethodologyVersion | None, code: str, lang: str) -> str:
    """The version's label of a rating code, with the code: "Label (CODE)"."""
    if not code:
        return ""
    if v is None:
        return code
    try:
        labels = v.value("rating_labels")
    except MethodologyError:
        return code
    label = (labels.get(code) or {}).get(lang)
    return f"{label} ({code})" if label else code


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return ""
    return text("yes" if value else "no", lang)


def localized(kk: str, ru: str, lang: str) -> str:
    return (ru if lang == "ru" else kk) or kk or ru


def ascii_stem(*parts: Any) -> str:
    stem = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^A-Za-z0-9._-]+", "_", stem)[:120]


def signature_rows(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """rows: [{role (texts key), name, signed_at (datetime|None), valid (bool|None)}]."""
    out = []
    for r in rows:
        status = ""
        if r.get("signed_at") is None:
            status = text("not_signed", lang)
        elif r.get("valid") is False:
            status = text("signature_invalid", lang)
        out.append({"role": text(r["role"], lang) if r.get("role") else "", "name": r.get("name", ""),
                    "signed_at": formatting.moment(r.get("signed_at")), "status": status})
    return {"columns": [text("role", lang), text("full_name", lang), text("signed_at", lang)], "rows": out}


def skeleton(*, form: str, title_key: str, annex: str | None, lang: str, body: Any, v: MethodologyVersion | None,
             created: dt.datetime, state: str, signed: bool, filename: str, signed_content: str = "") -> dict[str, Any]:
    """The parts every form has; the builder fills facts, sections, summary, clauses, signatures."""
    return {
        "form": form,
        "lang": lang,
        "title": text(title_key, lang),
        "annex": text("annex", lang, n=annex) if annex else "",
        "body_name": localized(body.name_kk, body.name_ru, lang),
        "legal": legal(v, lang),
        "labels": Labels(lang).as_dict(),
        "facts": [],
        "sections": [],
        "summary": [],
        "clauses": [],
        "signatures": {"columns": [], "rows": []},
        "footer": {"generated": text("generated", lang, date=formatting.moment(created)),
                   "colophon": text("colophon", lang),
                   "signed_content": f"{text('signed_content', lang)}: {signed_content}" if signed_content else ""},
        "created": created.isoformat(),
        "object": {"state": state, "signed": signed, "methodology_version": v.id if v else ""},
        "filename": filename,
    }
