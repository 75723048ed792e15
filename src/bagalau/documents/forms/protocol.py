"""Annex 3: the protocol of the Evaluation Commission's meeting, printed from the canonical content
its signatures cover (the stored JSON, not a re-read of the rows): members present and absent, the
quorum with its clause, per servant the method, the result of the evaluation, the "correction by
the Commission" column, the decision with the votes for and against and the chair's casting vote;
then the signatures with their validity and the authorized person's approval (S-p.58-67)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from bagalau.commission import selectors
from bagalau.commission.models import CommissionMeeting, Protocol, ProtocolSignature
from bagalau.cycles.models import EvaluationCycle
from bagalau.documents import formatting
from bagalau.documents.forms import common
from bagalau.documents.registry import Form, register
from bagalau.documents.texts import text

ANNEX = "3"
CODE = "protocol"
SIGNER_ROLES = {"chair": "role_chair", "member": "role_member", "secretary": "role_secretary",
                "authorized": "role_authorized"}


def load(user: Any, body: Any, object_id: int) -> Protocol:
    found = Protocol.objects.filter(body=body, pk=object_id).only("pk", "meeting_id").first()
    if found is None:
        raise Http404(_("No such protocol in this state body."))
    return selectors.protocol(user, body, found.meeting_id).protocol


def of_cycle(cycle: EvaluationCycle) -> list[int]:
    return list(Protocol.objects.filter(body_id=cycle.body_id, meeting__cycle=cycle, state="final")
                .order_by("meeting__meeting_on", "pk").values_list("pk", flat=True))


def _items(content: dict[str, Any], v: Any, lang: str) -> list[list[str]]:
    rows = []
    for n, e in enumerate(content.get("items", []), start=1):
        s = e["servant"]
        decision = e.get("decision") or ""
        votes = ""
        if e.get("votes_for") is not None:
            votes = f"{e.get('votes_for')} / {e.get('votes_against')}"
            if e.get("casting_vote"):
                votes += f" ({text('casting_vote', lang)})"
        rows.append([str(n), s["name"], common.localized(s.get("position_kk", ""), s.get("position_ru", ""), lang),
                     text(f"method_{e.get('method', 'kpi')}", lang),
                     common.rating(v, e.get("original_result", ""), lang),
                     common.rating(v, e.get("corrected_result", ""), lang),
                     text(f"decision_{decision}", lang) if decision else "", votes])
    return rows


def build(protocol: Protocol, lang: str) -> dict[str, Any]:
    protocol = Protocol.objects.select_related("body", "meeting").get(pk=protocol.pk)
    meeting: CommissionMeeting = protocol.meeting
    content = json.loads(protocol.content)
    v = common.version(content.get("methodology_version") or meeting.methodology_version)
    signatures = list(ProtocolSignature.objects.filter(protocol=protocol).order_by("signed_at", "pk"))
    final = content.get("stage") == "final"
    times = [s.signed_at for s in signatures] + ([meeting.approved_at] if meeting.approved_at else [])
    created = max(times) if times else (protocol.finalized_at or protocol.prepared_at)
    data = common.skeleton(
        form=CODE, title_key="protocol_title", annex=ANNEX, lang=lang, body=protocol.body, v=v, created=created,
        state=meeting.state, signed=bool(signatures), filename=common.ascii_stem(CODE, protocol.pk, lang),
        signed_content=protocol.content_sha256 if signatures else "")
    order = content.get("order") or {}
    data["facts"] = [
        [text("protocol_number", lang), content.get("number", "")],
        [text("meeting_date", lang), formatting.day(content["meeting"]["date"])],
        [text("place", lang), content["meeting"].get("place", "")],
        [text("period", lang), formatting.period(*(dt.date.fromisoformat(d)
                                                    for d in content["cycle"]["period"]))],
        [text("order", lang), text("order_ref", lang, number=order.get("number", ""),
                                   date=formatting.day(order.get("date")), revision=order.get("revision", ""))],
    ]
    if not final:
        data["facts"].append([text("state", lang), text("protocol_draft", lang)])
    members = []
    for m in content.get("members", []):
        role = text(SIGNER_ROLES.get(m["role"], "role_member"), lang)
        if m.get("external"):
            role += f" ({text('external', lang)})"
        present = "" if m.get("present") is None else text("present" if m["present"] else "absent", lang)
        members.append([m["name"], common.localized(m.get("position_kk", ""), m.get("position_ru", ""), lang), role,
                        present])
    if content.get("secretary"):
        members.append([content["secretary"]["name"], "", text("role_secretary", lang), ""])
    data["sections"].append({"heading": text("members", lang),
                             "columns": [text("full_name", lang), text("position", lang), text("role", lang),
                                         text("attendance", lang)],
                             "widths": [28, 36, 22, 14], "rows": members})
    quorum = content.get("quorum")
    clause_ids: list[str] = []
    if quorum:
        line = text("quorum_line", lang, members=quorum["members"], present=quorum["present"],
                    required=quorum["required"], fraction=quorum["fraction"])
        verdict = text("quorate" if quorum["quorate"] else "not_quorate", lang)
        data["sections"].append({"heading": text("quorum", lang),
                                 "paragraphs": [f"{line}: {verdict} ({quorum['clause']})"]})
        clause_ids.append(quorum["clause"])
    data["sections"].append({
        "heading": text("considered", lang),
        "columns": ["№", text("full_name", lang), text("position", lang), text("method", lang),
                    text("original_result", lang), text("correction", lang), text("decision", lang),
                    text("votes", lang)],
        "widths": [4, 17, 15, 8, 17, 17, 11, 11],
        "rows": _items(content, v, lang),
    })
    for e in content.get("items", []):
        clause_ids += [e.get("original_clause", ""), e.get("decision_clause", "")]
    approval = (text("approval_line", lang, date=formatting.day(protocol.approved_on), name=protocol.approved_by_name)
                if protocol.approved_on else text("not_approved", lang))
    data["summary"] = [[text("approval", lang), approval]]
    clause_ids.append(protocol.approval_clause)
    on = dt.date.fromisoformat(content["meeting"]["date"])
    data["clauses"] = common.clause_refs(v, clause_ids, on, lang)
    rows: list[dict[str, Any]] = [{"role": SIGNER_ROLES.get(s.role, "role_member"), "name": s.signer_name,
                                   "signed_at": s.signed_at, "valid": s.content_sha256 == protocol.content_sha256
                                   or s.role == "authorized"} for s in signatures]
    signed_seats = {s.seat_id for s in signatures}
    if final:
        for m in content.get("members", []):
            if m.get("present") and m["seat"] not in signed_seats:
                rows.append({"role": SIGNER_ROLES.get(m["role"], "role_member"), "name": m["name"], "signed_at": None})
        sec = content.get("secretary")
        if sec and sec["seat"] not in signed_seats:
            rows.append({"role": "role_secretary", "name": sec["name"], "signed_at": None})
    data["signatures"] = common.signature_rows(rows, lang)
    return data


FORM = register(Form(code=CODE, model="commission.protocol", title_key="protocol_title",
                     template="documents/forms/protocol.html", load=load, build=build, of_cycle=of_cycle, order=30))
