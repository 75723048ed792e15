"""The protocol of the commission's sitting, laid out as Annex 3: the members present and absent,
the quorum, per servant the method, the original result, the correction by the commission, the
decision, the votes and the chair's casting vote; the signatures with their validity; the sign
button for each signatory, the authorized person's approval and, after it, the final results with
the familiarization due date and its rule (S1-p.64-68)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.commission import access, selectors, services, workflow
from bagalau.commission.models import FinalResult, MeetingState, ProtocolState, SignatureRole
from bagalau.cycles import clock
from bagalau.cycles.errors import Conflict
from bagalau.orgs.models import StateBody
from bagalau.web.commission import common, forms
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, redirect

SIGNER_LABELS: dict[str, Promise] = {
    SignatureRole.CHAIR: common.SEAT_LABELS["chair"],
    SignatureRole.MEMBER: common.SEAT_LABELS["member"],
    SignatureRole.SECRETARY: common.SEAT_LABELS["secretary"],
}


def protocol_context(request: HttpRequest, body: StateBody, meeting_id: int, *, error: str = "") -> dict[str, Any]:
    view = selectors.protocol(request.user, body, meeting_id)
    meeting, content = view.meeting, view.content
    version = meeting.methodology_version
    roles = access.meeting_roles(request.user, body, meeting)
    lang = display.lang()
    members = [{"name": m["name"], "role": common.SEAT_LABELS.get(m["role"], m["role"]),
                "position": (m.get("position_ru") if lang == "ru" else m.get("position_kk")) or "",
                "external": m.get("external"), "present": m.get("present")} for m in content.get("members", [])]
    rows = []
    for n, entry in enumerate(content.get("items", []), start=1):
        rows.append({
            "n": n, "name": entry["servant"]["name"], "method": entry.get("method", ""),
            "original": common.rating_text(version, entry.get("original_result", "")),
            "original_clause": entry.get("original_clause", ""),
            "corrected": common.rating_text(version, entry.get("corrected_result", "")),
            "decision": common.DECISION_LABELS.get(entry.get("decision", ""), ""),
            "decision_clause": entry.get("decision_clause", ""),
            "votes_for": entry.get("votes_for"), "votes_against": entry.get("votes_against"),
            "casting_vote": entry.get("casting_vote"),
            "votes": [{"name": v["name"], "choice": v["choice"],
                       "corrected": common.rating_text(version, v.get("corrected_result", "")),
                       "reason": v.get("reason", "")} for v in entry.get("votes", [])],
        })
    signed = {s.signature.user_id for s in view.signatures if s.signature.role != SignatureRole.AUTHORIZED}
    final = view.protocol.state == ProtocolState.FINAL
    can_sign = (final and meeting.state == MeetingState.DECIDED and request.user.pk not in signed
                and any(s.user_id == request.user.pk for s in view.required))
    can_approve = meeting.state == MeetingState.PROTOCOL_SIGNED and workflow.AUTHORIZED in roles
    results: list[Any] = []
    familiarization = None
    if meeting.state == MeetingState.APPROVED:
        results = list(FinalResult.objects.filter(protocol=view.protocol).select_related("participant")
                       .order_by("agenda_item__ordinal", "pk"))
        if results:
            first = results[0]
            familiarization = display.due_info(first.familiarization_due, first.familiarization_rule,
                                               first.familiarization_clause, today=clock.today(),
                                               explanation=first.familiarization_explanation or None)
    return {
        "view": view, "meeting": meeting, "content": content, "members": members, "rows": rows,
        "quorum": content.get("quorum"), "final": final,
        "signatures": [{"name": s.signature.signer_name,
                        "role": SIGNER_LABELS.get(s.signature.role, _("Authorized person")),
                        "signed_at": s.signature.signed_at, "valid": s.valid} for s in view.signatures],
        "missing": [s.name for s in view.missing], "can_sign": can_sign, "can_approve": can_approve,
        "results": [{"result": r, "value": common.rating_text(version, r.value),
                     "original": common.rating_text(version, r.original_result)} for r in results],
        "familiarization": familiarization, "error": error,
        "state": meeting.get_state_display(), "tone": common.MEETING_STATE_TONES.get(meeting.state, ""),
    }


@body_view
@require_safe
def protocol_page(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    return render(request, "web/commission/protocol.html", protocol_context(request, body, meeting_id))


def _act(request: HttpRequest, body: StateBody, meeting_id: int, call: Any, done: str) -> HttpResponse:
    try:
        call()
    except PermissionDenied as exc:
        status, error = 403, common.flat(exc)
    except (Conflict, workflow.IllegalTransition) as exc:
        status, error = 409, common.flat(exc)
    except ValidationError as exc:
        status, error = 400, common.flat(exc)
    else:
        messages.success(request, done)
        return redirect(reverse("web:commission_protocol", args=[meeting_id]))
    return render(request, "web/commission/protocol.html", protocol_context(request, body, meeting_id, error=error),
                  status=status)


@body_view
@require_POST
def sign(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    return _act(request, body, meeting_id, lambda: services.sign_protocol(request.user, body, meeting_id),
                _("You signed the protocol."))


@body_view
@require_POST
def approve(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    return _act(request, body, meeting_id,
                lambda: services.approve_results(request.user, body, meeting_id,
                                                 expected_version=forms.parse_version(request.POST)),
                _("The results are approved: they are final."))
