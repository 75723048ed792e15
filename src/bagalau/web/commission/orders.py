"""The commission page: the order in force (chair, members, secretary, the minimum size and the
quorum with their clauses), every revision, the meetings, and the forms: the authorized person
forms the commission or amends its order (S0-p.5, S1-p.59); HR proposes a meeting (S1-p.57)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from bagalau.commission import selectors, services, workflow
from bagalau.commission.models import MeetingState
from bagalau.cycles import clock
from bagalau.cycles.models import CycleState, EvaluationCycle
from bagalau.orgs.models import StateBody
from bagalau.web.commission import common, forms
from bagalau.web.cycles.common import body_view, redirect
from bagalau.web.cycles.forms import leftover_errors

ORDER_FIELDS = {"number", "order_date", "chair", "members", "secretary", "reason"}
MEETING_FIELDS = {"cycle", "meeting_on", "place"}


def page_context(request: HttpRequest, body: StateBody, *, order_form: dict[str, Any] | None = None,
                 order_errors: dict[str, list[str]] | None = None, amend: bool = False,
                 meeting_form: dict[str, Any] | None = None,
                 meeting_errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    view = selectors.commission(request.user, body)
    is_hr = workflow.HR in view.roles
    meetings = list(selectors.meetings(request.user, body)[:50])
    seats = view.seats
    current = {"number": "", "order_date": clock.today().isoformat(), "reason": "",
               "chair": view.chair.user_id if view.chair else None,
               "members": [s.user_id for s in seats if s.role == "member"],
               "secretary": view.secretary.user_id if view.secretary else None}
    form = {**current, **(order_form or {})}
    cycles = list(EvaluationCycle.objects.filter(body=body, state=CycleState.LAUNCHED).order_by("-period_start")) \
        if is_hr else []
    return {
        "view": view, "order": view.order, "seats": [{"seat": s, "label": common.SEAT_LABELS.get(s.role, s.role)}
                                                     for s in seats],
        "may_form": view.may_form, "is_hr": is_hr,
        "candidates": common.candidates(body) if view.may_form else {},
        "form": form, "form_errors": order_errors or {}, "amend": amend,
        "form_top": leftover_errors(order_errors or {}, ORDER_FIELDS),
        "meeting_top": leftover_errors(meeting_errors or {}, MEETING_FIELDS),
        "meetings": [{"meeting": m, "tone": common.MEETING_STATE_TONES.get(m.state, ""),
                      "state": m.get_state_display()} for m in meetings],
        "cycles": cycles, "meeting_form": meeting_form or {}, "meeting_errors": meeting_errors or {},
        "today": clock.today(),
    }


@body_view
@require_safe
def commission_page(request: HttpRequest, body: StateBody) -> HttpResponse:
    return render(request, "web/commission/commission.html", page_context(request, body))


@body_view
@require_POST
def order_form(request: HttpRequest, body: StateBody) -> HttpResponse:
    """Form the commission (draft and issue the order at once) or, with intent=amend, amend the
    order in force: the only way to replace a chair, member or secretary (S1-p.59)."""
    amend = request.POST.get("intent") == "amend"
    posted = {"number": request.POST.get("number", ""), "order_date": request.POST.get("order_date", ""),
              "reason": request.POST.get("reason", ""), "chair": _maybe_int(request.POST.get("chair")),
              "members": [_maybe_int(m) for m in request.POST.getlist("members")],
              "secretary": _maybe_int(request.POST.get("secretary"))}
    try:
        values = forms.parse_order(request.POST)
        arguments = forms.order_arguments(values)
        if amend:
            view = selectors.commission(request.user, body)
            if view.order is None:
                raise ValidationError({"__all__": _("There is no order in force to amend.")})
            order = services.amend_order(request.user, body, view.order.pk, reason=values["reason"], **arguments)
        else:
            order = services.create_order(request.user, body, **arguments)
        services.issue_order(request.user, body, order.pk, expected_version=order.version)
    except ValidationError as exc:
        errors = forms.order_errors(common.errors_of(exc))
        context = page_context(request, body, order_form=posted, order_errors=errors, amend=amend)
        return render(request, "web/commission/commission.html", context, status=400)
    messages.success(request, _("The order is issued: the commission is formed.") if not amend
                     else _("The amending order is issued."))
    return redirect(reverse("web:commission"))


def _maybe_int(value: Any) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


@body_view
@require_POST
def propose(request: HttpRequest, body: StateBody) -> HttpResponse:
    """HR proposes a meeting for a launched cycle; a date too close to notify is refused on the
    date field, with the last notice day and its rule."""
    posted = {"cycle": request.POST.get("cycle", ""), "meeting_on": request.POST.get("meeting_on", ""),
              "place": request.POST.get("place", "")}
    try:
        cycle_id = _maybe_int(posted["cycle"])
        if cycle_id is None:
            raise ValidationError({"cycle": _("Choose the cycle.")})
        meeting_on = forms.parse_date(posted["meeting_on"], "meeting_on")
        meeting = services.propose_meeting(request.user, body, cycle_id=cycle_id, meeting_on=meeting_on,
                                           place=posted["place"])
    except ValidationError as exc:
        context = page_context(request, body, meeting_form=posted, meeting_errors=common.errors_of(exc))
        return render(request, "web/commission/commission.html", context, status=400)
    messages.success(request, _("The meeting is proposed; the chair is asked to agree the date."))
    return redirect(reverse("web:commission_meeting", args=[meeting.pk]))


@body_view
@require_safe
def my_votes(request: HttpRequest, body: StateBody) -> HttpResponse:
    tasks = selectors.my_votes_to_cast(request.user, body)
    return render(request, "web/commission/my_votes.html", {"tasks": tasks,
                                                             "in_session": MeetingState.IN_SESSION})
