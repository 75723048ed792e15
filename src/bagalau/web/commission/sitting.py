"""The meeting page (web:commission_meeting), made for the chair's and the secretary's laptop or
tablet: the date with the last notice day and its rule, the chair's consent, HR's moving or
cancelling of the meeting, the draft protocol, the attendance, the live quorum (S1-p.58), each
servant's item with its tally, the members' vote buttons, the secretary's "record the decision"
and the closing of the sitting.

Every action on the sitting answers an htmx request with the panel only (attendance, quorum and
items are swapped together, so the counts never disagree); without htmx the page is redrawn. A
refusal (no quorum, the secretary's vote, a tie the chair did not break) is shown in the panel,
and nothing was written but the audit record of the refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.commission import selectors, services, workflow
from bagalau.commission.models import ItemState, MeetingState, SeatRole
from bagalau.commission.selectors import MeetingDetail, Tally
from bagalau.cycles import clock
from bagalau.cycles.errors import Conflict
from bagalau.orgs.models import StateBody
from bagalau.web.commission import common, forms
from bagalau.web.cycles import display
from bagalau.web.cycles.common import body_view, is_partial, redirect, vary_on_htmx

TEMPLATE = "web/commission/meeting.html"


def _item_view(detail: MeetingDetail, tally: Tally, *, can_vote: bool, can_decide: bool) -> dict[str, Any]:
    item, meeting = tally.item, detail.meeting
    version = meeting.methodology_version
    mine = next((v for v in tally.votes if detail.my_seat and v.seat.pk == detail.my_seat.pk), None)
    recused_me = bool(detail.my_seat and tally.recused and tally.recused.pk == detail.my_seat.pk)
    present_me = bool(detail.my_seat and detail.attendance.get(detail.my_seat.pk))
    pending = item.state == ItemState.PENDING
    return {
        "item": item, "tally": tally, "name": item.participant.servant_name,
        "method": item.get_method_display(),
        "original": common.rating_text(version, item.original_result), "original_clause": item.original_clause,
        "corrected": common.rating_text(version, item.corrected_result),
        "decision": common.DECISION_LABELS.get(item.decision, "") if item.decision else "",
        "projected": common.PROJECTED_LABELS.get(tally.projected or "", tally.projected or ""),
        "votes": [{"name": v.seat.name, "choice": v.choice, "chair": v.seat.role == SeatRole.CHAIR,
                   "corrected": common.rating_text(version, v.corrected_result), "reason": v.reason}
                  for v in tally.votes],
        "missing": [s.name for s in tally.missing],
        "mine": mine, "recused_me": recused_me,
        "can_vote": can_vote and pending and present_me and not recused_me,
        "can_decide": can_decide and pending,
    }


def meeting_context(request: HttpRequest, detail: MeetingDetail, *, panel_error: str = "",
                    panel_message: str = "", form_errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    meeting = detail.meeting
    roles = detail.roles
    in_session = meeting.state == MeetingState.IN_SESSION
    is_secretary = workflow.SECRETARY in roles
    is_member = workflow.MEMBER in roles
    notice = display.due_info(detail.notice.by, detail.notice.rule, detail.notice.clause, today=clock.today(),
                              explanation=meeting.notice_explanation or None)
    seats = [{"seat": s, "label": common.SEAT_LABELS.get(s.role, s.role),
              "present": detail.attendance.get(s.pk), "votes": s.votes} for s in detail.seats]
    version = meeting.methodology_version
    items = [_item_view(detail, t, can_vote=in_session and is_member and not is_secretary,
                        can_decide=in_session and is_secretary) for t in detail.items]
    return {
        "detail": detail, "meeting": meeting, "order": detail.order, "quorum": detail.quorum, "notice": notice,
        "state": meeting.get_state_display(), "tone": common.MEETING_STATE_TONES.get(meeting.state, ""),
        "seats": seats, "voting_seats": [s for s in seats if s["votes"]], "items": items,
        "in_session": in_session, "is_secretary": is_secretary, "is_member": is_member,
        "can_consent": "consent" in detail.actions, "can_prepare": "prepare_protocol" in detail.actions,
        "can_open": "open" in detail.actions, "can_attendance": in_session and is_secretary,
        "can_conclude": "conclude" in detail.actions,
        # HR's moves: the transition table says in which states (proposed, scheduled; cancel also a sitting).
        "can_reschedule": "reschedule" in detail.actions, "can_cancel": "cancel" in detail.actions,
        "rating_choices": common.rating_choices(version),
        "protocol": detail.protocol, "panel_error": panel_error, "panel_message": panel_message,
        "form_errors": form_errors or {}, "today": clock.today(),
    }


def _render(request: HttpRequest, body: StateBody, meeting_id: int, *, status: int = 200, **extra: Any
            ) -> HttpResponse:
    detail = selectors.meeting_detail(request.user, body, meeting_id)
    context = meeting_context(request, detail, **extra)
    if is_partial(request):
        # htmx swaps only 2xx answers: a refusal is drawn in the panel with a 200.
        return vary_on_htmx(render(request, f"{TEMPLATE}#panel", context))
    return vary_on_htmx(render(request, TEMPLATE, context, status=status))


@body_view
@require_safe
def meeting_page(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    return _render(request, body, meeting_id)


def _act(request: HttpRequest, body: StateBody, meeting_id: int, call: Callable[[], Any], done: str
         ) -> HttpResponse:
    """Run one service; the panel (htmx) or the page again with the outcome."""
    try:
        call()
    except PermissionDenied as exc:
        return _render(request, body, meeting_id, status=403, panel_error=common.flat(exc))
    except (Conflict, workflow.IllegalTransition) as exc:
        return _render(request, body, meeting_id, status=409, panel_error=common.flat(exc))
    except ValidationError as exc:
        return _render(request, body, meeting_id, status=400, panel_error=common.flat(exc),
                       form_errors=common.errors_of(exc))
    if is_partial(request):
        return _render(request, body, meeting_id, panel_message=done)
    messages.success(request, done)
    return redirect(reverse("web:commission_meeting", args=[meeting_id]))


def _item_id(request: HttpRequest, body: StateBody, meeting_id: int) -> int:
    try:
        item_id = int(request.POST.get("item", ""))
    except ValueError:
        raise ValidationError({"item": _("Choose the agenda item.")}) from None
    detail = selectors.meeting_detail(request.user, body, meeting_id)
    if not any(t.item.pk == item_id for t in detail.items):
        raise ValidationError({"item": _("No such item on this meeting's agenda.")})
    return item_id


@body_view
@require_POST
def vote(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        item_id = _item_id(request, body, meeting_id)
        services.cast_vote(request.user, body, item_id, choice=request.POST.get("choice", ""),
                           corrected_result=request.POST.get("corrected_result", ""),
                           reason=request.POST.get("reason", ""))

    return _act(request, body, meeting_id, call, _("Your vote is recorded."))


@body_view
@require_POST
def decide(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.record_decision(request.user, body, _item_id(request, body, meeting_id))

    return _act(request, body, meeting_id, call, _("The decision is recorded."))


@body_view
@require_POST
def attendance(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.record_attendance(request.user, body, meeting_id, present=forms.parse_present(request.POST))

    return _act(request, body, meeting_id, call, _("The attendance is recorded."))


@body_view
@require_POST
def open_session(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.open_session(request.user, body, meeting_id, expected_version=forms.parse_version(request.POST),
                              present=forms.parse_present(request.POST))

    return _act(request, body, meeting_id, call, _("The sitting is open."))


@body_view
@require_POST
def conclude(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.conclude_meeting(request.user, body, meeting_id, expected_version=forms.parse_version(request.POST))

    return _act(request, body, meeting_id, call, _("The sitting is closed; the protocol is ready to sign."))


@body_view
@require_POST
def consent(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.consent_to_meeting(request.user, body, meeting_id,
                                    expected_version=forms.parse_version(request.POST))

    return _act(request, body, meeting_id, call, _("You agreed the date; the evaluated servants are notified."))


@body_view
@require_POST
def prepare_protocol(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    def call() -> None:
        services.prepare_draft_protocol(request.user, body, meeting_id)

    return _act(request, body, meeting_id, call, _("The draft protocol is prepared."))


@body_view
@require_POST
def reschedule(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    """HR moves a proposed or scheduled meeting: the service checks the new date (a later working
    day whose notice day has not passed) and asks the chair's consent again."""
    def call() -> None:
        # A place left out keeps the current one; the form always sends it, pre-filled.
        place = request.POST["place"] if "place" in request.POST else None
        services.reschedule_meeting(request.user, body, meeting_id, expected_version=forms.parse_version(request.POST),
                                    meeting_on=str(request.POST.get("meeting_on", "")), place=place)

    return _act(request, body, meeting_id, call, _("The meeting is moved; the chair is asked to agree the new date."))


@body_view
@require_POST
def cancel(request: HttpRequest, body: StateBody, meeting_id: int) -> HttpResponse:
    """HR calls the meeting off with a reason; its undecided items go back for another agenda."""
    def call() -> None:
        services.cancel_meeting(request.user, body, meeting_id, expected_version=forms.parse_version(request.POST),
                                reason=str(request.POST.get("reason", "")))

    return _act(request, body, meeting_id, call, _("The meeting is cancelled; its undecided items can go on another "
                                                   "agenda."))
